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
pub use panelist_service::{MAX_NAME_CHARS, PHONE_DIGITS};
pub use settings::{
    check_pin, KioskSettings, ADMIN_IDLE_SECONDS, DEFAULT_ADMIN_IDLE_SECONDS, END_GRACE_SECONDS,
    END_SILENCE_SECONDS, IDLE_TIMEOUT_SECONDS, PIN_DIGITS, RATE_WPM, SETTINGS_FILE,
};
pub use voice::{
    base64, mic_error, whisper, Devices, EventSink, LoadTranscriber, OpenSource, Voice,
};

use panelist_audio::{AudioSource, Microphone};

/// Opens the real microphone (cpal) by name, or the system default.
pub fn open_microphone() -> OpenSource {
    Box::new(|device: Option<&str>| {
        let mic = Microphone::open(device).map_err(voice::mic_error)?;
        Ok(Box::new(mic) as Box<dyn AudioSource>)
    })
}

pub use panelist_transcribe::models;

/// Finds the whisper model the one way the CLI does ([`models::resolve`]):
/// `PANELIST_WHISPER_MODEL`, then the `whisper_model` setting (a name such as `base-q8_0`,
/// or a path), then `tiny.en`, in `models/` of the working directory, of the data
/// directory, the installed models next to the program, then (debug builds) of the
/// repository.
///
/// A setting that names a model no folder holds is an error listing the models there.
/// With no setting, a missing default model is not: its expected path is returned and
/// loading it reports "model missing" when an interview begins (typed answers still work).
pub fn find_model(
    settings: &KioskSettings,
    data_dir: &std::path::Path,
) -> Result<std::path::PathBuf> {
    let chosen = settings.whisper_model.as_deref();
    match models::resolve(None, chosen, Some(data_dir)) {
        Ok(path) => Ok(path),
        Err(models::ModelError::NotFound { file, .. }) if chosen.is_none() => {
            Ok(std::path::Path::new("models").join(file))
        }
        Err(e) => Err(KioskError::invalid("whisper_model", e.to_string())),
    }
}

/// The names of the whisper models the kiosk can use (what [`find_model`] searches).
pub fn available_models(data_dir: &std::path::Path) -> Vec<String> {
    models::available(&models::search_dirs(Some(data_dir)))
}
