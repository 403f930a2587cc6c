//! The kiosk's candidate journey without a window: the recording notice and consent,
//! registration with a résumé, the microphone check, the spoken interview loop (the
//! avatar's speech with its viseme timeline, the microphone, live and final
//! transcription) and the wipe between candidates.
//!
//! The Tauri shell (`src-tauri/`) only translates between the UI and [`Kiosk`]; every
//! rule of the journey lives here and is tested without a window.

pub mod bindings;
pub mod dto;
mod error;
mod journey;
mod settings;
pub mod turn;
mod voice;

pub use error::{KioskError, Result};
pub use journey::{notice, validate_form, Kiosk, PIN_ATTEMPTS_KEY};
pub use settings::{
    check_pin, KioskSettings, ADMIN_IDLE_SECONDS, DEFAULT_ADMIN_IDLE_SECONDS, END_GRACE_SECONDS,
    END_SILENCE_SECONDS, PIN_DIGITS, SETTINGS_FILE,
};
pub use voice::{base64, mic_error, EventSink, OpenSource, Voice};

use panelist_audio::{AudioSource, Microphone};

/// Opens the real microphone (cpal) by name, or the system default.
pub fn open_microphone() -> OpenSource {
    Box::new(|device: Option<&str>| {
        let mic = Microphone::open(device).map_err(voice::mic_error)?;
        Ok(Box::new(mic) as Box<dyn AudioSource>)
    })
}

/// Finds the whisper model: `PANELIST_WHISPER_MODEL`, the setting, `models/` in the
/// working directory, `models/` in the data directory, then the repository's `models/`
/// (a kiosk run from a checkout). The first that exists wins; otherwise the first
/// candidate is returned and loading it reports a clear "model missing" error.
pub fn find_model(settings: &KioskSettings, data_dir: &std::path::Path) -> std::path::PathBuf {
    const MODEL_FILE: &str = "ggml-tiny.en.bin";
    let mut candidates = Vec::new();
    if let Some(p) = std::env::var_os("PANELIST_WHISPER_MODEL") {
        candidates.push(std::path::PathBuf::from(p));
    }
    if let Some(p) = &settings.whisper_model {
        candidates.push(p.clone());
    }
    candidates.push(std::path::Path::new("models").join(MODEL_FILE));
    candidates.push(data_dir.join("models").join(MODEL_FILE));
    candidates.push(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../models")
            .join(MODEL_FILE),
    );
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .unwrap_or_else(|| candidates[0].clone())
}
