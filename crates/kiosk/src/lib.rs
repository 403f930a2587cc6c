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
pub mod turn;
mod voice;

pub use error::{KioskError, Result};
pub use journey::{notice, validate_form, Kiosk, PIN_ATTEMPTS_KEY};
pub use panelist_service::{MAX_NAME_CHARS, PHONE_DIGITS};
pub use panelist_settings::{
    available_models, check_pin, find_model, models, KioskSettings, ADMIN_IDLE_SECONDS,
    DEFAULT_ADMIN_IDLE_SECONDS, END_GRACE_SECONDS, END_SILENCE_SECONDS, IDLE_TIMEOUT_SECONDS,
    PIN_DIGITS, RATE_WPM, SETTINGS_FILE,
};
pub use panelist_speech::{base64, Voice};
pub use voice::{mic_error, whisper, Devices, EventSink, LoadTranscriber, OpenSource};

use panelist_audio::{AudioSource, Microphone};

/// Opens the real microphone (cpal) by name, or the system default.
pub fn open_microphone() -> OpenSource {
    Box::new(|device: Option<&str>| {
        let mic = Microphone::open(device).map_err(voice::mic_error)?;
        Ok(Box::new(mic) as Box<dyn AudioSource>)
    })
}
