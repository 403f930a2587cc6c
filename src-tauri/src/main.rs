//! `panelist-kiosk`: the kiosk window. Opens the data directory on the embedded defaults
//! (SQLite, the offline rules brain, espeak-ng, whisper), creates one locked-down window
//! and registers the commands; every rule lives in the `panelist-kiosk` library.

// The kiosk is a GUI app: no console window on Windows.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod admin_commands;
mod commands;
mod dialog;
mod window;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use panelist_admin::{Admin, SyncMonitor, SyncSchedule};
use panelist_kiosk::{Kiosk, KioskSettings};
use panelist_service::{Actor, Panelist};
use tauri::Manager;

/// What the commands share.
pub struct AppState {
    /// The kiosk's journey; it takes its own lock, briefly, per step.
    pub kiosk: Kiosk,
    /// Admin mode: its own connection to the same database, and the signed-in account;
    /// opened on first use, off the kiosk's start.
    admin: OnceLock<Mutex<Admin>>,
    opener: Opener,
    /// The background sync's status.
    pub sync: Arc<SyncMonitor>,
    /// Started with `--admin`: only the admin window, closing it quits.
    pub admin_only: bool,
    pub started: Instant,
}

/// How to open a `Panelist` on the data directory with the configured brain.
struct Opener {
    data_dir: PathBuf,
    extractor: panelist_resume::Extractor,
}

impl Opener {
    /// Opens with the rules brain, then attaches the one the stored brain mode names (an
    /// admin setting: the kiosk and admin mode use the same one).
    fn open(&self) -> anyhow::Result<Panelist> {
        let mut app =
            Panelist::open(&self.data_dir, self.extractor.clone()).with_context(|| {
                format!("cannot open the data directory {}", self.data_dir.display())
            })?;
        let mode = panelist_admin::stored_brain_mode(&app);
        if mode != panelist_admin::BrainMode::Offline {
            app.set_brain(panelist_admin::build_brain(mode, &self.data_dir)?);
        }
        Ok(app)
    }
}

impl AppState {
    /// Admin mode's state, opened the first time it is needed.
    pub fn admin(&self) -> anyhow::Result<&Mutex<Admin>> {
        if let Some(admin) = self.admin.get() {
            return Ok(admin);
        }
        let opened = Mutex::new(Admin::new(self.opener.open()?));
        // Two first callers at once: one wins, the other's copy is dropped.
        let _ = self.admin.set(opened);
        self.admin.get().context("admin mode's state was not kept")
    }
}

fn main() {
    let started = Instant::now();
    panelist_service::private_files();
    let args: Vec<String> = std::env::args().collect();
    // The résumé extractor runs this same binary in a child process, so a hostile PDF
    // cannot take the kiosk down.
    if args.get(1).map(String::as_str) == Some("__extract-pdf") {
        std::process::exit(extract_pdf(args.get(2)));
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PANELIST_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    // `--admin` opens admin mode alone (a recruiter's desk, or the end-to-end test).
    let admin_only = args.iter().skip(1).any(|a| a == "--admin");
    if let Err(e) = run(started, admin_only) {
        eprintln!("panelist-kiosk: {e:#}");
        std::process::exit(1);
    }
}

fn extract_pdf(path: Option<&String>) -> i32 {
    let Some(path) = path else {
        eprintln!("usage: panelist-kiosk __extract-pdf FILE");
        return 2;
    };
    match std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|b| panelist_resume::extract_pdf_text_unisolated(&b).map_err(|e| e.to_string()))
    {
        Ok(text) => {
            print!("{text}");
            0
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

/// When a started kiosk first applies the retention rules (off its start-up path), and
/// how often after that, so a kiosk that runs for weeks still purges on time.
const RETENTION_FIRST: Duration = Duration::from_secs(20);
const RETENTION_EVERY: Duration = Duration::from_secs(6 * 3600);

fn spawn_retention(app: tauri::AppHandle) {
    let spawned = std::thread::Builder::new()
        .name("panelist-retention".into())
        .spawn(move || {
            std::thread::sleep(RETENTION_FIRST);
            loop {
                let state = app.state::<AppState>();
                match state.admin() {
                    Ok(admin) => {
                        let mut admin = admin.lock().unwrap_or_else(|p| p.into_inner());
                        match admin.app_mut().purge_expired(&Actor::Kiosk) {
                            Ok(report) if report != Default::default() => {
                                tracing::info!(?report, "retention purge")
                            }
                            Ok(_) => {}
                            Err(e) => tracing::warn!("retention purge failed: {e}"),
                        }
                    }
                    Err(e) => tracing::warn!("retention purge: {e:#}"),
                }
                std::thread::sleep(RETENTION_EVERY);
            }
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start the retention timer: {e}");
    }
}

/// How often admin mode's idle sign-out is checked.
const ADMIN_IDLE_CHECK: Duration = Duration::from_secs(5);

/// Signs out admin mode when its account has been idle for the limit (`kiosk.toml`
/// `admin_idle_seconds`, 5 minutes by default) and returns to the kiosk: staff who walk
/// away do not leave candidates' data open to the next person at the kiosk.
fn spawn_admin_idle_watch(app: tauri::AppHandle, admin_only: bool) {
    let spawned = std::thread::Builder::new()
        .name("panelist-admin-idle".into())
        .spawn(move || loop {
            std::thread::sleep(ADMIN_IDLE_CHECK);
            let state = app.state::<AppState>();
            // Admin mode that was never opened has nobody signed in.
            let Some(admin) = state.admin.get() else {
                continue;
            };
            let signed_out = admin
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .expire_idle();
            if signed_out {
                tracing::info!("admin mode was idle: signed out");
                if !admin_only {
                    crate::window::leave_admin_mode(&app, false);
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start admin mode's idle watch: {e}");
    }
}

fn run(started: Instant, admin_only: bool) -> anyhow::Result<()> {
    let data_dir = match std::env::var_os("PANELIST_DATA_DIR") {
        Some(d) => PathBuf::from(d),
        None => panelist_service::default_data_dir()
            .context("no data directory: set PANELIST_DATA_DIR")?,
    };
    let exe = std::env::current_exe().context("cannot locate the kiosk executable")?;
    let extractor = panelist_resume::Extractor {
        program: exe,
        args: vec!["__extract-pdf".into()],
        timeout: Duration::from_secs(20),
    };
    let opener = Opener {
        data_dir: data_dir.clone(),
        extractor,
    };
    let app = opener.open()?;
    let settings = KioskSettings::load(&data_dir)?;
    // A `whisper_model` no folder holds stops the kiosk with the models there; admin
    // mode alone (`--admin`) still opens, so the setting can be put right.
    let model = match panelist_kiosk::find_model(&settings, &data_dir) {
        Ok(model) => model,
        Err(e) if admin_only => {
            tracing::error!("{e}");
            std::path::PathBuf::from("models").join(panelist_kiosk::models::DEFAULT_MODEL)
        }
        Err(e) => return Err(anyhow::anyhow!("kiosk.toml: {e}")),
    };
    let kiosk = Kiosk::new(app, settings, panelist_kiosk::Devices::real(model));
    let sync = Arc::new(SyncMonitor::default());
    panelist_admin::spawn_background_sync(data_dir.clone(), sync.clone(), SyncSchedule::default());
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState {
            kiosk,
            admin: OnceLock::new(),
            opener,
            sync,
            admin_only,
            started,
        })
        .invoke_handler(tauri::generate_handler![
            commands::kiosk_view,
            commands::kiosk_ready,
            commands::kiosk_interviews,
            commands::kiosk_find,
            commands::kiosk_notice,
            commands::kiosk_consent,
            commands::kiosk_register,
            commands::kiosk_mic_check_start,
            commands::kiosk_mic_check_stop,
            commands::kiosk_begin,
            commands::kiosk_speech_finished,
            commands::kiosk_submit,
            commands::kiosk_repeat_question,
            commands::kiosk_repeat_finished,
            commands::kiosk_abandon,
            commands::kiosk_wipe,
            commands::kiosk_unlock,
            admin_commands::admin_status,
            admin_commands::admin_activity,
            admin_commands::admin_first_admin,
            admin_commands::admin_login,
            admin_commands::admin_logout,
            admin_commands::admin_leave,
            admin_commands::admin_users,
            admin_commands::admin_user_create,
            admin_commands::admin_interviews,
            admin_commands::admin_interview,
            admin_commands::admin_interview_create,
            admin_commands::admin_interview_generate,
            admin_commands::admin_interview_save,
            admin_commands::admin_interview_publish,
            admin_commands::admin_interview_archive,
            admin_commands::admin_interview_duplicate,
            admin_commands::admin_speak,
            admin_commands::admin_sessions,
            admin_commands::admin_report,
            admin_commands::admin_session_close,
            admin_commands::admin_answer_audio,
            admin_commands::admin_review,
            admin_commands::admin_adjust_score,
            admin_commands::admin_export,
            admin_commands::admin_candidates,
            admin_commands::admin_erase_candidate,
            admin_commands::admin_purge_now,
            admin_commands::admin_settings,
            admin_commands::admin_settings_save,
            admin_commands::admin_set_pin,
            admin_commands::admin_provider_key_set,
            admin_commands::admin_provider_key_remove,
            admin_commands::admin_mic_test,
            admin_commands::admin_backup,
            admin_commands::admin_audit,
            admin_commands::admin_audit_verify,
            admin_commands::admin_sync_status,
            admin_commands::admin_sync_now,
        ])
        // The kiosk is not closed by the window manager (Alt+F4 and the like); it is left
        // with the admin PIN. Closing the admin window leaves admin mode.
        .on_window_event(move |window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                api.prevent_close();
                if window.label() == window::ADMIN {
                    window::leave_admin_mode(window.app_handle(), admin_only);
                }
            }
        })
        .setup(move |app| {
            spawn_retention(app.handle().clone());
            spawn_admin_idle_watch(app.handle().clone(), admin_only);
            if admin_only {
                window::open_admin_window(app.handle(), false)?;
            } else {
                window::open_kiosk_window(app.handle())?;
            }
            Ok(())
        })
        .run(tauri::generate_context!())
        .context("the kiosk window failed")
}
