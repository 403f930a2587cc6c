//! Tauri commands: each deserialises, calls the kiosk library and maps the error to the
//! `{code, message, field}` shape the UI branches on. No journey logic lives here.

use std::sync::Arc;

use panelist_kiosk::dto::{
    AnswerMode, AnswerStarted, ConsentNotice, InterviewCard, KioskEvent, KioskView, MicCheck,
    QuestionView, Registered, RegistrationForm, SpeechClip, Step, UiError,
};
use panelist_kiosk::{Kiosk, KioskError};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::AppState;

type Reply<T> = Result<T, UiError>;

fn kiosk<'a>(state: &'a State<'_, AppState>) -> &'a Kiosk {
    &state.kiosk
}

fn ui(e: KioskError) -> UiError {
    tracing::warn!(code = ?e.code(), "{e}");
    e.to_ui()
}

fn sink(channel: Channel<KioskEvent>) -> panelist_kiosk::EventSink {
    Arc::new(move |event| {
        // A closed page drops its channel; events to it are not an error.
        let _ = channel.send(event);
    })
}

#[tauri::command]
pub fn kiosk_view(state: State<'_, AppState>) -> KioskView {
    kiosk(&state).view()
}

/// The UI calls this once the Welcome screen is painted: the cold-start figure.
#[tauri::command]
pub fn kiosk_ready(state: State<'_, AppState>) -> u64 {
    let ms = u64::try_from(state.started.elapsed().as_millis()).unwrap_or(u64::MAX);
    println!("panelist-kiosk: welcome painted {ms} ms after start");
    ms
}

#[tauri::command(async)]
pub fn kiosk_interviews(state: State<'_, AppState>) -> Reply<Vec<InterviewCard>> {
    kiosk(&state).interviews().map_err(ui)
}

#[tauri::command(async)]
pub fn kiosk_find(state: State<'_, AppState>, code: String) -> Reply<InterviewCard> {
    kiosk(&state).find(&code).map_err(ui)
}

#[tauri::command]
pub fn kiosk_notice(state: State<'_, AppState>) -> ConsentNotice {
    kiosk(&state).notice()
}

#[tauri::command(async)]
pub fn kiosk_consent(state: State<'_, AppState>, interview: String, accepted: bool) -> Reply<()> {
    kiosk(&state).consent(&interview, accepted).map_err(ui)
}

#[tauri::command(async)]
pub fn kiosk_register(state: State<'_, AppState>, form: RegistrationForm) -> Reply<Registered> {
    kiosk(&state).register(form).map_err(ui)
}

#[tauri::command(async)]
pub fn kiosk_mic_check_start(
    state: State<'_, AppState>,
    events: Channel<KioskEvent>,
) -> Reply<String> {
    kiosk(&state).mic_check_start(sink(events)).map_err(ui)
}

#[tauri::command(async)]
pub fn kiosk_mic_check_stop(state: State<'_, AppState>) -> Reply<MicCheck> {
    kiosk(&state).mic_check_stop().map_err(ui)
}

#[tauri::command(async)]
pub fn kiosk_begin(state: State<'_, AppState>) -> Reply<QuestionView> {
    kiosk(&state).begin().map_err(ui)
}

#[tauri::command(async)]
pub fn kiosk_speech_finished(
    state: State<'_, AppState>,
    mode: AnswerMode,
    events: Channel<KioskEvent>,
) -> Reply<AnswerStarted> {
    kiosk(&state)
        .speech_finished(mode, sink(events))
        .map_err(ui)
}

#[tauri::command(async)]
pub fn kiosk_submit(state: State<'_, AppState>, typed: Option<String>) -> Reply<Step> {
    kiosk(&state).submit(typed).map_err(ui)
}

/// "Repeat the question": the answer clock stops; returns the question's speech.
#[tauri::command(async)]
pub fn kiosk_repeat_question(state: State<'_, AppState>) -> Reply<SpeechClip> {
    kiosk(&state).repeat_question().map_err(ui)
}

/// The repeated question has been heard: the answer clock runs again.
#[tauri::command(async)]
pub fn kiosk_repeat_finished(state: State<'_, AppState>) -> Reply<()> {
    kiosk(&state).repeat_finished().map_err(ui)
}

#[tauri::command(async)]
pub fn kiosk_abandon(state: State<'_, AppState>) -> Reply<Option<String>> {
    kiosk(&state).abandon().map_err(ui)
}

#[tauri::command(async)]
pub fn kiosk_wipe(state: State<'_, AppState>) {
    kiosk(&state).wipe();
}

/// Opens admin mode after the admin PIN is checked: the admin window (where staff sign
/// in with their own accounts) replaces the kiosk window until admin mode is left.
#[tauri::command(async)]
pub fn kiosk_unlock(app: AppHandle, state: State<'_, AppState>, pin: String) -> Reply<()> {
    kiosk(&state).unlock(&pin).map_err(ui)?;
    tracing::info!("kiosk unlocked with the admin PIN; opening admin mode");
    crate::window::enter_admin_mode(&app).map_err(|e| UiError {
        code: panelist_kiosk::dto::ErrorCode::Internal,
        message: format!("cannot open admin mode: {e}"),
        field: None,
    })
}
