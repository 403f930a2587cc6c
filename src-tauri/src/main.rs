//! `panelist-kiosk`: the kiosk window. Opens the data directory on the embedded defaults
//! (SQLite, the offline rules brain, espeak-ng, whisper), creates one locked-down window
//! and registers the commands; every rule lives in the `panelist-kiosk` library.

// The kiosk is a GUI app: no console window on Windows.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod window;

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context;
use panelist_kiosk::{Kiosk, KioskSettings};
use panelist_service::Panelist;

/// What the commands share.
pub struct AppState {
    pub kiosk: Mutex<Kiosk>,
    pub started: Instant,
}

fn main() {
    let started = Instant::now();
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
    if let Err(e) = run(started) {
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

fn run(started: Instant) -> anyhow::Result<()> {
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
    let app = Panelist::open(&data_dir, extractor)
        .with_context(|| format!("cannot open the data directory {}", data_dir.display()))?;
    let settings = KioskSettings::load(&data_dir)?;
    let model = panelist_kiosk::find_model(&settings, &data_dir);
    let kiosk = Kiosk::new(app, settings, model, panelist_kiosk::open_microphone());
    tauri::Builder::default()
        .manage(AppState {
            kiosk: Mutex::new(kiosk),
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
            commands::kiosk_abandon,
            commands::kiosk_wipe,
            commands::kiosk_unlock,
            commands::admin_sessions,
        ])
        // The kiosk is not closed by the window manager (Alt+F4 and the like); it is left
        // with the admin PIN (`kiosk_unlock`), which exits the app.
        .on_window_event(|_window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                api.prevent_close();
            }
        })
        .setup(|app| {
            window::open_kiosk_window(app.handle())?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .context("the kiosk window failed")
}
