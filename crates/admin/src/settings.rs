//! Admin settings: the brain mode, the kiosk's voice, microphone, timeout and PIN
//! (`kiosk.toml`), retention, audio upload, the microphone test and backups.

use std::path::Path;
use std::time::{Duration, Instant};

use panelist_audio::{AudioSource, CaptureOptions, Microphone};
use panelist_service::{Retention, RETENTION_DAYS};
use panelist_settings::{
    KioskSettings, ADMIN_IDLE_SECONDS, END_GRACE_SECONDS, END_SILENCE_SECONDS,
    IDLE_TIMEOUT_SECONDS, RATE_WPM,
};
use serde_json::json;

use crate::dto::{BrainSettingsView, MicTest, RetentionSettings, SettingsForm, SettingsView};
use crate::{brain, Admin, AdminError, BrainMode, Permission, Result, BRAIN_MODE_SETTING};

/// The settings key of "upload answer audio to the server" (read by every sync).
pub use panelist_sync::UPLOAD_AUDIO_SETTING;

/// espeak-ng's English voices offered in the settings (any installed voice name works).
const VOICES: &[&str] = &[
    "en-us",
    "en-gb",
    "en-gb-scotland",
    "en-gb-x-rp",
    "en-029",
    "en-gb-x-gbclan",
];

/// How long the microphone test records.
const MIC_TEST: Duration = Duration::from_secs(3);

impl Admin {
    pub fn brain_mode(&self) -> Result<BrainMode> {
        match self.app.setting(BRAIN_MODE_SETTING)? {
            Some(mode) => brain::parse_mode(&mode),
            None => Ok(BrainMode::Offline),
        }
    }

    pub fn settings(&self) -> Result<SettingsView> {
        self.require(Permission::ManageSettings)?;
        let data_dir = self.app.data_dir();
        let kiosk = KioskSettings::load(data_dir)?;
        let retention = self.app.retention()?;
        let mut voices: Vec<String> = VOICES.iter().map(|v| v.to_string()).collect();
        if !voices.contains(&kiosk.voice) {
            voices.insert(0, kiosk.voice.clone());
        }
        let whisper_model = kiosk
            .whisper_model
            .clone()
            .unwrap_or_else(|| panelist_settings::models::DEFAULT_MODEL.to_string());
        let mut whisper_models = panelist_settings::available_models(data_dir);
        if !whisper_models.contains(&whisper_model) {
            whisper_models.insert(0, whisper_model.clone());
        }
        let microphones = panelist_audio::list_input_devices()
            .map(|list| list.into_iter().map(|d| d.id).collect())
            .unwrap_or_default();
        Ok(SettingsView {
            brain: BrainSettingsView {
                mode: self.brain_mode()?,
                providers: brain::providers(data_dir, &self.secrets),
            },
            voice: kiosk.voice.clone(),
            rate_wpm: kiosk.rate_wpm,
            voices,
            microphone: kiosk.microphone.clone(),
            microphones,
            idle_timeout_seconds: kiosk.idle_timeout_seconds,
            typed_answers_allowed: kiosk.typed_answers_allowed,
            answer_end: kiosk.turn_policy().answer_end,
            end_silence_seconds: kiosk.turn_policy().silence_seconds,
            end_grace_seconds: kiosk.turn_policy().grace_seconds,
            whisper_model,
            whisper_models,
            pin_set: kiosk.admin_pin_hash.is_some(),
            admin_idle_seconds: kiosk.admin_idle_seconds(),
            data_dir: data_dir.display().to_string(),
            retention: RetentionSettings {
                audio_days: retention.audio_days,
                data_days: retention.data_days,
            },
            upload_audio: self.app.setting(UPLOAD_AUDIO_SETTING)?.as_deref() == Some("true"),
        })
    }

    /// Saves every field of the settings form. Kiosk settings take effect when the kiosk
    /// starts again (leaving admin mode restarts it).
    pub fn save_settings(&mut self, form: SettingsForm) -> Result<SettingsView> {
        self.require(Permission::ManageSettings)?;
        let actor = self.actor()?;
        let mode = form.brain_mode;
        check_settings_form(&form)?;
        let voice = form.voice.trim();
        let data_dir = self.app.data_dir().to_path_buf();
        let mut kiosk = KioskSettings::load(&data_dir)?;
        // A model is taken only if the kiosk can find it; the current one (even a path
        // written by hand) is kept as it is.
        if let Some(name) = form.whisper_model.map(|m| m.trim().to_string()) {
            let current = kiosk.whisper_model.as_deref();
            if current != Some(name.as_str())
                && !(current.is_none() && name == panelist_settings::models::DEFAULT_MODEL)
            {
                let dirs = panelist_settings::models::search_dirs(Some(&data_dir));
                panelist_settings::models::find(&name, &dirs)
                    .map_err(|e| AdminError::invalid("whisper_model", e.to_string()))?;
                kiosk.whisper_model = Some(name);
            }
        }
        kiosk.voice = voice.to_string();
        kiosk.rate_wpm = form.rate_wpm;
        kiosk.microphone = form
            .microphone
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty());
        kiosk.idle_timeout_seconds = form.idle_timeout_seconds;
        kiosk.typed_answers_allowed = form.typed_answers_allowed;
        kiosk.answer_end = form.answer_end;
        kiosk.end_silence_seconds = form.end_silence_seconds;
        kiosk.end_grace_seconds = form.end_grace_seconds;
        kiosk.admin_idle_seconds = form.admin_idle_seconds;
        kiosk.save(&data_dir)?;
        self.set_idle_limit(kiosk.admin_idle_seconds());
        self.app.record_audit(
            &actor,
            "settings.kiosk",
            "kiosk.toml",
            json!({"voice": kiosk.voice, "rate_wpm": kiosk.rate_wpm,
                   "microphone": kiosk.microphone, "idle_timeout_seconds": kiosk.idle_timeout_seconds,
                   "typed_answers_allowed": kiosk.typed_answers_allowed,
                   "answer_end": kiosk.answer_end, "end_silence_seconds": kiosk.end_silence_seconds,
                   "end_grace_seconds": kiosk.end_grace_seconds,
                   "admin_idle_seconds": kiosk.admin_idle_seconds,
                   "whisper_model": kiosk.whisper_model}),
        )?;
        self.app
            .set_setting(BRAIN_MODE_SETTING, Some(mode.as_str()), &actor)?;
        self.app.set_setting(
            UPLOAD_AUDIO_SETTING,
            Some(if form.upload_audio { "true" } else { "false" }),
            &actor,
        )?;
        let retention = Retention {
            audio_days: form.retention.audio_days,
            data_days: form.retention.data_days,
        };
        if retention != self.app.retention()? {
            self.app.set_retention(retention, &actor)?;
        }
        self.settings()
    }

    /// Stores an LLM provider's API key where the LLM brains read it (the OS keychain,
    /// or a file only this user can read). The key never reaches the audit log or the UI.
    pub fn set_provider_key(&mut self, provider: &str, key: &str) -> Result<()> {
        self.require(Permission::ManageSettings)?;
        let actor = self.actor()?;
        let data_dir = self.app.data_dir().to_path_buf();
        brain::check_provider(&data_dir, &self.secrets, provider)?;
        let key = key.trim();
        if key.is_empty() || key.len() > 512 || key.chars().any(char::is_whitespace) {
            return Err(AdminError::invalid(
                "key",
                "paste the provider's API key (one line, no spaces)",
            ));
        }
        let backend = self
            .secrets
            .set(provider, key)
            .map_err(|e| AdminError::Internal(format!("cannot store the key: {e}")))?;
        let stored_in = match backend {
            panelist_llm::Backend::Keychain => "keychain",
            panelist_llm::Backend::File => "file",
        };
        self.app.record_audit(
            &actor,
            "settings.provider_key",
            provider,
            json!({"stored_in": stored_in}),
        )?;
        Ok(())
    }

    /// Forgets an LLM provider's API key.
    pub fn remove_provider_key(&mut self, provider: &str) -> Result<()> {
        self.require(Permission::ManageSettings)?;
        let actor = self.actor()?;
        let data_dir = self.app.data_dir().to_path_buf();
        brain::check_provider(&data_dir, &self.secrets, provider)?;
        self.secrets
            .remove(provider)
            .map_err(|e| AdminError::Internal(format!("cannot remove the key: {e}")))?;
        self.app
            .record_audit(&actor, "settings.provider_key_removed", provider, json!({}))?;
        Ok(())
    }

    /// Sets the kiosk's admin PIN (6-12 digits), stored as an argon2id hash.
    pub fn set_pin(&mut self, pin: &str) -> Result<()> {
        self.require(Permission::ManageSettings)?;
        let actor = self.actor()?;
        let data_dir = self.app.data_dir().to_path_buf();
        let mut kiosk = KioskSettings::load(&data_dir)?;
        kiosk.set_pin(pin)?;
        kiosk.save(&data_dir)?;
        self.app
            .record_audit(&actor, "settings.pin", "kiosk.toml", json!({}))?;
        Ok(())
    }

    /// Records three seconds from a microphone and says what it heard (nothing is kept).
    pub fn mic_test(&self, device: Option<&str>) -> Result<MicTest> {
        self.require(Permission::ManageSettings)?;
        let mut source = Microphone::open(device.filter(|d| !d.trim().is_empty()))
            .map_err(AdminError::no_microphone)?;
        let name = source.name();
        source
            .start(CaptureOptions::new())
            .map_err(AdminError::no_microphone)?;
        let until = Instant::now() + MIC_TEST;
        while Instant::now() < until {
            std::thread::sleep(Duration::from_millis(50));
        }
        let recording = source.stop().map_err(AdminError::no_microphone)?;
        Ok(MicTest {
            device: name,
            seconds: recording.duration().as_secs_f64(),
            rms_dbfs: f64::from(recording.rms_dbfs()),
            silent: recording.is_silent(),
        })
    }

    /// Copies the database to `out` with SQLite's online backup.
    pub fn backup(&mut self, out: &Path) -> Result<u64> {
        self.require(Permission::ManageSettings)?;
        let actor = self.actor()?;
        Ok(self.app.backup(out, &actor)?)
    }
}

/// The limits of the settings form, checked before anything is saved: the kiosk's idle
/// timeout, the end-of-turn times, admin mode's idle sign-out, the speech rate and the
/// voice's name. The admin UI checks the same limits from `ui/src/lib/rules.ts`
/// (generated from these constants by `crate::rules`).
pub fn check_settings_form(form: &SettingsForm) -> Result<()> {
    within(
        "idle_timeout_seconds",
        "the idle timeout",
        &IDLE_TIMEOUT_SECONDS,
        form.idle_timeout_seconds,
        "seconds",
    )?;
    within(
        "end_silence_seconds",
        "the silence before \"Finished?\"",
        &END_SILENCE_SECONDS,
        form.end_silence_seconds,
        "seconds",
    )?;
    within(
        "end_grace_seconds",
        "the wait after \"Finished?\"",
        &END_GRACE_SECONDS,
        form.end_grace_seconds,
        "seconds",
    )?;
    within(
        "admin_idle_seconds",
        "admin mode's idle sign-out",
        &ADMIN_IDLE_SECONDS,
        form.admin_idle_seconds,
        "seconds",
    )?;
    within(
        "rate_wpm",
        "the speech rate",
        &RATE_WPM,
        form.rate_wpm,
        "words per minute",
    )?;
    let voice = form.voice.trim();
    if voice.is_empty()
        || !voice
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
    {
        return Err(AdminError::invalid(
            "voice",
            "choose an espeak-ng voice such as en-us",
        ));
    }
    for (field, days) in [
        ("retention.audio_days", form.retention.audio_days),
        ("retention.data_days", form.retention.data_days),
    ] {
        if let Some(days) = days {
            within(field, "a retention period", &RETENTION_DAYS, days, "days")?;
        }
    }
    Ok(())
}

/// `value` inside `range`, or an error on `field` saying "`what` is lo-hi `unit`" (NaN is
/// outside every range).
fn within<T: PartialOrd + std::fmt::Display>(
    field: &str,
    what: &str,
    range: &std::ops::RangeInclusive<T>,
    value: T,
    unit: &str,
) -> Result<()> {
    if range.contains(&value) {
        Ok(())
    } else {
        Err(AdminError::invalid(
            field,
            format!("{what} is {}-{} {unit}", range.start(), range.end()),
        ))
    }
}
