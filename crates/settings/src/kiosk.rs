//! The kiosk's settings, kept in `kiosk.toml` in the data directory, and the admin PIN
//! (stored only as an argon2id hash).

use std::path::Path;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};

use crate::error::{Result, SettingsError};
use crate::turn::{AnswerEnd, TurnPolicy};

pub const SETTINGS_FILE: &str = "kiosk.toml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KioskSettings {
    /// Seconds without input before the kiosk returns to Welcome (and abandons an open
    /// session, keeping its saved answers).
    pub idle_timeout_seconds: u32,
    /// Seconds the thank-you screen stays before the kiosk wipes and returns to Welcome.
    pub finish_return_seconds: u32,
    /// Whether candidates may type answers instead of speaking (an accommodation).
    pub typed_answers_allowed: bool,
    /// The microphone (a cpal device name); the system default when unset.
    pub microphone: Option<String>,
    /// espeak-ng voice and rate for the avatar.
    pub voice: String,
    pub rate_wpm: u32,
    /// The speech model by name (`tiny.en-ct2`, `base-ct2` for the CTranslate2 engine;
    /// `tiny.en`, `tiny.en-q8_0`, `base`, `base-q8_0`, … for whisper.cpp, as `models/`
    /// holds them; a path also works); `base-ct2` when unset.
    pub whisper_model: Option<String>,
    /// How a voice answer ends besides "Submit answer" and the timer.
    pub answer_end: AnswerEnd,
    /// With `after_silence`: silence after speech before "Finished?" is asked (1.5–10 s)…
    pub end_silence_seconds: f64,
    /// …and further silence before the answer is submitted (1–10 s).
    pub end_grace_seconds: f64,
    /// argon2id PHC string of the admin PIN.
    pub admin_pin_hash: Option<String>,
    /// Seconds without activity before admin mode signs out and returns to the kiosk
    /// ([`ADMIN_IDLE_SECONDS`]).
    pub admin_idle_seconds: u32,
}

/// Admin mode's idle sign-out when `kiosk.toml` does not set it: five minutes.
pub const DEFAULT_ADMIN_IDLE_SECONDS: u32 = 5 * 60;

/// Limits of admin mode's idle sign-out (a hand-edited `kiosk.toml` is held inside them).
pub const ADMIN_IDLE_SECONDS: std::ops::RangeInclusive<u32> = 60..=3600;

/// Limits of the kiosk's idle timeout (no input, no speech → back to Welcome).
pub const IDLE_TIMEOUT_SECONDS: std::ops::RangeInclusive<u32> = 30..=3600;

/// Limits of the avatar's speech rate, in words per minute.
pub const RATE_WPM: std::ops::RangeInclusive<u32> = 80..=400;

/// How many digits an admin PIN has. Six digits are a million guesses; with the growing
/// delay after failures (see `panelist_core::throttle`) that is years at a kiosk.
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 6..=12;

/// A PIN as it is stored: trimmed, digits only, [`PIN_DIGITS`] long.
pub fn check_pin(pin: &str) -> Result<&str> {
    let pin = pin.trim();
    let digits = pin.chars().count();
    if !pin.chars().all(|c| c.is_ascii_digit()) || !PIN_DIGITS.contains(&digits) {
        return Err(SettingsError::invalid(
            "pin",
            format!(
                "the PIN is {} to {} digits",
                PIN_DIGITS.start(),
                PIN_DIGITS.end()
            ),
        ));
    }
    Ok(pin)
}

/// Limits of the end-of-turn times (admin mode refuses values outside them; a hand-edited
/// `kiosk.toml` is held inside them).
pub const END_SILENCE_SECONDS: std::ops::RangeInclusive<f64> = 1.5..=10.0;
pub const END_GRACE_SECONDS: std::ops::RangeInclusive<f64> = 1.0..=10.0;

impl Default for KioskSettings {
    fn default() -> Self {
        Self {
            idle_timeout_seconds: 120,
            finish_return_seconds: 8,
            typed_answers_allowed: true,
            microphone: None,
            voice: "en-us".into(),
            rate_wpm: 165,
            whisper_model: None,
            answer_end: AnswerEnd::SubmitOnly,
            end_silence_seconds: 3.0,
            end_grace_seconds: 3.0,
            admin_pin_hash: None,
            admin_idle_seconds: DEFAULT_ADMIN_IDLE_SECONDS,
        }
    }
}

fn within(value: f64, range: &std::ops::RangeInclusive<f64>, default: f64) -> f64 {
    if value.is_finite() {
        value.clamp(*range.start(), *range.end())
    } else {
        default
    }
}

impl KioskSettings {
    /// The end-of-turn detector's settings, held inside their limits.
    pub fn turn_policy(&self) -> TurnPolicy {
        TurnPolicy {
            answer_end: self.answer_end,
            silence_seconds: within(self.end_silence_seconds, &END_SILENCE_SECONDS, 3.0),
            grace_seconds: within(self.end_grace_seconds, &END_GRACE_SECONDS, 3.0),
        }
    }

    /// The kiosk's idle timeout, held inside [`IDLE_TIMEOUT_SECONDS`]: a hand-edited
    /// `kiosk.toml` cannot switch the idle wipe off with 0, nor make it a day.
    pub fn idle_timeout_seconds(&self) -> u32 {
        self.idle_timeout_seconds
            .clamp(*IDLE_TIMEOUT_SECONDS.start(), *IDLE_TIMEOUT_SECONDS.end())
    }

    /// Admin mode's idle time, held inside [`ADMIN_IDLE_SECONDS`].
    pub fn admin_idle_seconds(&self) -> u32 {
        self.admin_idle_seconds
            .clamp(*ADMIN_IDLE_SECONDS.start(), *ADMIN_IDLE_SECONDS.end())
    }

    /// Reads `kiosk.toml` from `data_dir`; defaults when it does not exist. A file that
    /// exists but cannot be parsed is an error: a kiosk must not silently drop its PIN.
    pub fn load(data_dir: &Path) -> Result<Self> {
        let path = data_dir.join(SETTINGS_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                SettingsError::Internal(format!("{} is not valid: {e}", path.display()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(SettingsError::Internal(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    /// Writes the settings atomically (temporary file, then rename).
    pub fn save(&self, data_dir: &Path) -> Result<()> {
        let path = data_dir.join(SETTINGS_FILE);
        let text = toml::to_string_pretty(self)
            .map_err(|e| SettingsError::Internal(format!("cannot encode settings: {e}")))?;
        let tmp = data_dir.join(format!("{SETTINGS_FILE}.tmp"));
        std::fs::create_dir_all(data_dir)
            .and_then(|()| std::fs::write(&tmp, text))
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| SettingsError::Internal(format!("cannot write {}: {e}", path.display())))
    }

    /// Sets the admin PIN ([`PIN_DIGITS`] digits).
    pub fn set_pin(&mut self, pin: &str) -> Result<()> {
        let pin = check_pin(pin)?;
        let salt = SaltString::generate(&mut OsRng);
        let hash = hasher()?
            .hash_password(pin.as_bytes(), &salt)
            .map_err(|e| SettingsError::Internal(format!("cannot hash the PIN: {e}")))?;
        self.admin_pin_hash = Some(hash.to_string());
        Ok(())
    }

    /// Checks a PIN against the stored hash.
    pub fn verify_pin(&self, pin: &str) -> Result<()> {
        let stored = self.admin_pin_hash.as_deref().ok_or(SettingsError::NoPin)?;
        let parsed = PasswordHash::new(stored)
            .map_err(|e| SettingsError::Internal(format!("the stored PIN hash is invalid: {e}")))?;
        hasher()?
            .verify_password(pin.trim().as_bytes(), &parsed)
            .map_err(|_| SettingsError::WrongPin)
    }
}

/// argon2id with OWASP's minimum: 19 MiB, two passes, one lane.
fn hasher() -> Result<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| SettingsError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_round_trip_and_refusals() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| SettingsError::Internal(e.to_string()))?;
        let mut s = KioskSettings::load(dir.path())?;
        assert!(matches!(s.verify_pin("123456"), Err(SettingsError::NoPin)));
        for short_or_not_digits in [
            "12",
            "2468",
            "24681",
            "abcdefgh",
            "2468 10",
            "1234567890123",
        ] {
            assert!(
                s.set_pin(short_or_not_digits).is_err(),
                "{short_or_not_digits:?} was accepted"
            );
        }
        s.set_pin(" 246810 ")?;
        s.save(dir.path())?;
        let loaded = KioskSettings::load(dir.path())?;
        let hash = loaded.admin_pin_hash.clone().unwrap_or_default();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(!hash.contains("246810"));
        loaded.verify_pin("246810")?;
        assert!(matches!(
            loaded.verify_pin("246811"),
            Err(SettingsError::WrongPin)
        ));
        Ok(())
    }

    #[test]
    fn a_hand_edited_idle_timeout_is_held_inside_its_limits() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| SettingsError::Internal(e.to_string()))?;
        for (written, used) in [
            (0, 30),
            (5, 30),
            (30, 30),
            (90, 90),
            (3600, 3600),
            (86_400, 3600),
        ] {
            std::fs::write(
                dir.path().join(SETTINGS_FILE),
                format!("idle_timeout_seconds = {written}\n"),
            )
            .map_err(|e| SettingsError::Internal(e.to_string()))?;
            let s = KioskSettings::load(dir.path())?;
            assert_eq!(s.idle_timeout_seconds(), used, "written {written}");
        }
        Ok(())
    }

    #[test]
    fn a_corrupt_settings_file_is_an_error_not_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(SETTINGS_FILE), "idle_timeout_seconds = \"x")
            .expect("write");
        assert!(KioskSettings::load(dir.path()).is_err());
    }
}
