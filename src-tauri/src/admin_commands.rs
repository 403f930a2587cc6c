//! Admin-mode commands (the admin window's capability only). Each locks the admin state,
//! calls `panelist-admin` (which checks the signed-in role) and maps the error; the save
//! dialogs are opened here, after the role check, because they are the shell's job.

use std::path::PathBuf;
use std::sync::{MutexGuard, PoisonError};

use panelist_admin::dto::*;
use panelist_admin::{Admin, AdminError, Permission};
use panelist_core::{Role, ScoreKey};
use panelist_ipc::{ErrorCode, UiError};
use panelist_kiosk::dto::SpeechClip;
use panelist_service::ExportFormat;
use tauri::{AppHandle, State};

use crate::AppState;

type Reply<T> = Result<T, UiError>;

/// Admin mode's state, opened on first use (a kiosk that never enters admin mode does
/// not pay for it at start). The command is the signed-in person's activity: the idle
/// sign-out clock starts again (one after the limit finds the account signed out).
fn admin<'a>(state: &'a State<'_, AppState>) -> Result<MutexGuard<'a, Admin>, UiError> {
    let mut guard = admin_quiet(state)?;
    guard.touch();
    Ok(guard)
}

/// The same without counting as activity: for what the UI polls on a timer (the sync
/// status), which must not keep an abandoned admin session open.
fn admin_quiet<'a>(state: &'a State<'_, AppState>) -> Result<MutexGuard<'a, Admin>, UiError> {
    let admin = state.admin().map_err(|e| {
        tracing::error!("admin mode cannot open: {e:#}");
        UiError {
            code: ErrorCode::Internal,
            message: format!("admin mode cannot open: {e:#}"),
            field: None,
        }
    })?;
    Ok(admin.lock().unwrap_or_else(PoisonError::into_inner))
}

fn ui(e: AdminError) -> UiError {
    tracing::warn!("admin: {e}");
    e.to_ui()
}

#[tauri::command(async)]
pub fn admin_status(state: State<'_, AppState>) -> Reply<AdminStatus> {
    admin(&state)?.status().map_err(ui)
}

/// Input in the admin window (keys, clicks, scrolling) without a command: the idle
/// clock starts again. Sent by the UI at most every few seconds.
#[tauri::command(async)]
pub fn admin_activity(state: State<'_, AppState>) -> Reply<()> {
    admin(&state).map(drop)
}

#[tauri::command(async)]
pub fn admin_first_admin(
    state: State<'_, AppState>,
    email: String,
    full_name: String,
    password: String,
) -> Reply<Account> {
    admin(&state)?
        .create_first_admin(&email, &full_name, &password)
        .map_err(ui)
}

#[tauri::command(async)]
pub fn admin_login(state: State<'_, AppState>, email: String, password: String) -> Reply<Account> {
    admin(&state)?.login(&email, &password).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_logout(state: State<'_, AppState>) -> Reply<()> {
    admin(&state)?.logout();
    Ok(())
}

/// Signs out and returns to the kiosk (a restart, so changed settings apply and the
/// kiosk starts clean on Welcome). In admin-only mode it closes the app.
#[tauri::command(async)]
pub fn admin_leave(app: AppHandle, state: State<'_, AppState>) {
    if let Ok(mut a) = admin(&state) {
        a.logout();
    }
    crate::window::leave_admin_mode(&app, state.admin_only);
}

#[tauri::command(async)]
pub fn admin_users(state: State<'_, AppState>) -> Reply<Vec<Account>> {
    admin(&state)?.users().map_err(ui)
}

#[tauri::command(async)]
pub fn admin_user_create(
    state: State<'_, AppState>,
    email: String,
    full_name: String,
    role: Role,
    password: String,
) -> Reply<Account> {
    admin(&state)?
        .create_user(&email, &full_name, role, &password)
        .map_err(ui)
}

#[tauri::command(async)]
pub fn admin_interviews(state: State<'_, AppState>) -> Reply<Vec<InterviewSummary>> {
    admin(&state)?.interviews().map_err(ui)
}

#[tauri::command(async)]
pub fn admin_interview(state: State<'_, AppState>, id: String) -> Reply<InterviewDetail> {
    admin(&state)?.interview(&id).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_interview_create(
    state: State<'_, AppState>,
    spec: InterviewSpecDto,
    questions: Option<Vec<QuestionDto>>,
) -> Reply<InterviewDetail> {
    admin(&state)?.create_interview(spec, questions).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_interview_generate(
    state: State<'_, AppState>,
    spec: InterviewSpecDto,
) -> Reply<Vec<QuestionDto>> {
    admin(&state)?.generate_questions(spec).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_interview_save(
    state: State<'_, AppState>,
    id: String,
    spec: InterviewSpecDto,
    questions: Vec<QuestionDto>,
) -> Reply<InterviewDetail> {
    admin(&state)?
        .save_interview(&id, spec, questions)
        .map_err(ui)
}

#[tauri::command(async)]
pub fn admin_interview_publish(state: State<'_, AppState>, id: String) -> Reply<InterviewDetail> {
    admin(&state)?.publish_interview(&id).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_interview_archive(state: State<'_, AppState>, id: String) -> Reply<InterviewDetail> {
    admin(&state)?.archive_interview(&id).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_interview_duplicate(state: State<'_, AppState>, id: String) -> Reply<InterviewDetail> {
    admin(&state)?.duplicate_interview(&id).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_speak(
    state: State<'_, AppState>,
    text: String,
    language: Option<String>,
) -> Reply<SpeechClip> {
    admin(&state)?.speak(&text, language.as_deref()).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_sessions(state: State<'_, AppState>, filter: SessionFilter) -> Reply<Vec<SessionRow>> {
    admin(&state)?.sessions(&filter).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_report(state: State<'_, AppState>, session_id: String) -> Reply<ReportView> {
    admin(&state)?.report(&session_id).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_session_close(state: State<'_, AppState>, session_id: String) -> Reply<()> {
    admin(&state)?.close_session(&session_id).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_answer_audio(
    state: State<'_, AppState>,
    session_id: String,
    number: u32,
) -> Reply<String> {
    admin(&state)?.answer_audio(&session_id, number).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_review(
    state: State<'_, AppState>,
    session_id: String,
    note: String,
) -> Reply<ReportView> {
    admin(&state)?.review(&session_id, &note).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_adjust_score(
    state: State<'_, AppState>,
    session_id: String,
    key: ScoreKey,
    value: u8,
    reason: String,
) -> Reply<ReportView> {
    admin(&state)?
        .adjust_score(&session_id, key, value, &reason)
        .map_err(ui)
}

/// Exports through a native save dialog; `None` when the dialog was cancelled.
#[tauri::command(async)]
pub fn admin_export(
    app: AppHandle,
    state: State<'_, AppState>,
    session_ids: Vec<String>,
    format: ExportFormat,
) -> Reply<Option<ExportResult>> {
    let name = {
        let a = admin(&state)?;
        panelist_admin::export_file_name(&a, &session_ids, format).map_err(ui)?
    };
    let Some(out) = crate::dialog::save_file(&app, &name) else {
        return Ok(None);
    };
    admin(&state)?
        .export(&session_ids, format, &out)
        .map(Some)
        .map_err(ui)
}

#[tauri::command(async)]
pub fn admin_candidates(state: State<'_, AppState>) -> Reply<Vec<CandidateRow>> {
    admin(&state)?.candidates().map_err(ui)
}

#[tauri::command(async)]
pub fn admin_erase_candidate(
    state: State<'_, AppState>,
    candidate_id: String,
) -> Reply<ErasureResult> {
    admin(&state)?.erase_candidate(&candidate_id).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_purge_now(state: State<'_, AppState>) -> Reply<PurgeResult> {
    admin(&state)?.purge_now().map_err(ui)
}

#[tauri::command(async)]
pub fn admin_settings(state: State<'_, AppState>) -> Reply<SettingsView> {
    admin(&state)?.settings().map_err(ui)
}

#[tauri::command(async)]
pub fn admin_settings_save(state: State<'_, AppState>, form: SettingsForm) -> Reply<SettingsView> {
    admin(&state)?.save_settings(form).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_provider_key_set(
    state: State<'_, AppState>,
    provider: String,
    key: String,
) -> Reply<SettingsView> {
    let mut a = admin(&state)?;
    a.set_provider_key(&provider, &key).map_err(ui)?;
    a.settings().map_err(ui)
}

#[tauri::command(async)]
pub fn admin_provider_key_remove(
    state: State<'_, AppState>,
    provider: String,
) -> Reply<SettingsView> {
    let mut a = admin(&state)?;
    a.remove_provider_key(&provider).map_err(ui)?;
    a.settings().map_err(ui)
}

#[tauri::command(async)]
pub fn admin_set_pin(state: State<'_, AppState>, pin: String) -> Reply<()> {
    admin(&state)?.set_pin(&pin).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_mic_test(state: State<'_, AppState>, device: Option<String>) -> Reply<MicTest> {
    admin(&state)?.mic_test(device.as_deref()).map_err(ui)
}

/// Backs the database up to a file chosen in a native save dialog; `None` when cancelled.
#[tauri::command(async)]
pub fn admin_backup(app: AppHandle, state: State<'_, AppState>) -> Reply<Option<String>> {
    let name = {
        let a = admin(&state)?;
        a.require(Permission::ManageSettings).map_err(ui)?;
        format!(
            "panelist-backup-{}.sqlite3",
            a.app().now().format("%Y-%m-%d-%H%M")
        )
    };
    let Some(out): Option<PathBuf> = crate::dialog::save_file(&app, &name) else {
        return Ok(None);
    };
    admin(&state)?.backup(&out).map_err(ui)?;
    Ok(Some(out.display().to_string()))
}

#[tauri::command(async)]
pub fn admin_audit(state: State<'_, AppState>, limit: Option<u32>) -> Reply<Vec<AuditRow>> {
    admin(&state)?.audit(limit.unwrap_or(200)).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_audit_verify(state: State<'_, AppState>) -> Reply<AuditVerification> {
    admin(&state)?.verify_audit().map_err(ui)
}

#[tauri::command(async)]
pub fn admin_sync_status(state: State<'_, AppState>) -> Reply<SyncStatus> {
    admin_quiet(&state)?.sync_status(&state.sync).map_err(ui)
}

#[tauri::command(async)]
pub fn admin_sync_now(state: State<'_, AppState>) -> Reply<SyncStatus> {
    admin(&state)?.sync_now(&state.sync).map_err(ui)
}
