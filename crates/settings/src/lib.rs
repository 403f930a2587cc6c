//! The kiosk's settings without a device: `kiosk.toml` ([`KioskSettings`], its limits and
//! the admin PIN's hash), how a voice answer may end ([`AnswerEnd`], [`TurnPolicy`]), and
//! the whisper model locator ([`models`], [`find_model`]): finding `ggml-NAME.bin` files
//! and listing what the models folders hold needs no whisper.
//!
//! The kiosk journey, admin mode and the CLI read and write the settings here, so admin
//! mode does not depend on the kiosk (and its whisper, cpal and espeak) to show them.

mod error;
mod kiosk;
pub mod models;
mod turn;

use std::path::{Path, PathBuf};

pub use error::{Result, SettingsError};
pub use kiosk::{
    check_pin, KioskSettings, ADMIN_IDLE_SECONDS, DEFAULT_ADMIN_IDLE_SECONDS, END_GRACE_SECONDS,
    END_SILENCE_SECONDS, IDLE_TIMEOUT_SECONDS, PIN_DIGITS, RATE_WPM, SETTINGS_FILE,
};
pub use turn::{AnswerEnd, TurnPolicy};

/// Finds the whisper model the one way the CLI does ([`models::resolve`]):
/// `PANELIST_WHISPER_MODEL`, then the `whisper_model` setting (a name such as `base-ct2`,
/// or a path), then `base-ct2`, in `models/` of the working directory, of the data
/// directory, the installed models next to the program, then (debug builds) of the
/// repository.
///
/// A setting that names a model no folder holds is an error listing the models there.
/// With no setting, a missing default model is not: its expected path is returned and
/// loading it reports "model missing" when an interview begins (typed answers still work).
pub fn find_model(settings: &KioskSettings, data_dir: &Path) -> Result<PathBuf> {
    let chosen = settings.whisper_model.as_deref();
    match models::resolve(None, chosen, Some(data_dir)) {
        Ok(path) => Ok(path),
        Err(models::ModelError::NotFound { name, .. }) if chosen.is_none() => {
            Ok(Path::new("models").join(name))
        }
        Err(e) => Err(SettingsError::invalid("whisper_model", e.to_string())),
    }
}

/// The names of the whisper models the kiosk can use (what [`find_model`] searches).
pub fn available_models(data_dir: &Path) -> Vec<String> {
    models::available(&models::search_dirs(Some(data_dir)))
}
