//! The offline voice: espeak-ng through its C library.
//!
//! espeak-ng keeps all its state in process globals and is not thread-safe, so every call
//! goes through one global mutex, and the library is initialised once, on first use.

use std::ffi::CString;
use std::sync::{Mutex, MutexGuard};

use crate::visemes::{timeline_from_phonemes, PhonemeEvent};
use crate::{ffi, prepare_text, Speaker, Speech, SpeechError, VoiceSettings};

/// Length in ms of the audio buffers espeak hands to the callback.
const BUFFER_MS: i32 = 200;

/// espeak-ng's accepted rate range, words per minute.
pub const ESPEAK_MIN_RATE: u32 = 80;
pub const ESPEAK_MAX_RATE: u32 = 450;

/// The audio and phoneme events of one `espeak_Synth`.
struct Synthesis {
    samples: Vec<i16>,
    phonemes: Vec<PhonemeEvent>,
    /// Where espeak-ng reported the end of the utterance.
    end_ms: Option<u32>,
}

#[derive(Default)]
struct Engine {
    /// `None` before the first use; then the sample rate or why initialisation failed.
    init: Option<Result<u32, String>>,
    /// The voice last set successfully, so it is not reloaded for every sentence.
    voice: Option<String>,
}

static ENGINE: Mutex<Engine> = Mutex::new(Engine {
    init: None,
    voice: None,
});

/// Locks the global engine. A panic while it was held leaves espeak itself consistent
/// (synthesis is synchronous and complete by then), so a poisoned lock is taken over.
fn lock() -> MutexGuard<'static, Engine> {
    ENGINE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn initialised(engine: &mut Engine) -> Result<u32, SpeechError> {
    let init = engine.init.get_or_insert_with(|| {
        let rate = ffi::initialize(BUFFER_MS);
        match u32::try_from(rate) {
            Ok(rate) if rate > 0 => {
                let (version, data) = ffi::info();
                tracing::debug!(version, data, rate, "espeak-ng initialised");
                Ok(rate)
            }
            _ => Err(format!("espeak_Initialize returned {rate}")),
        }
    });
    init.clone().map_err(SpeechError::Engine)
}

/// Speaks with espeak-ng, offline. Cheap to create and to clone; all instances share the
/// one process-wide engine, and calls from several threads are serialised.
///
/// Voices are espeak-ng voice names: `"en-us"`, `"en-gb"` (or `"en"`), other languages
/// (`"de"`, `"fr"`, …) and variants (`"en-us+f3"`). espeak-ng finds its data in
/// `ESPEAK_DATA_PATH` if set, else where the Debian package `espeak-ng-data` puts it.
#[derive(Debug, Clone)]
pub struct EspeakSpeaker {
    sample_rate: u32,
}

impl EspeakSpeaker {
    /// Initialises espeak-ng (once per process) and checks that it works.
    pub fn new() -> Result<Self, SpeechError> {
        let mut engine = lock();
        let sample_rate = initialised(&mut engine)?;
        Ok(Self { sample_rate })
    }

    /// The sample rate of the audio this speaker produces (22 050 Hz for espeak-ng).
    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// espeak-ng's version and the data directory it uses.
    pub fn info(&self) -> (String, String) {
        let _engine = lock();
        ffi::info()
    }

    /// Synthesises `text` and returns the audio and the raw phoneme events.
    fn synthesize(&self, text: &str, settings: &VoiceSettings) -> Result<Synthesis, SpeechError> {
        if !(ESPEAK_MIN_RATE..=ESPEAK_MAX_RATE).contains(&settings.rate_wpm) {
            return Err(SpeechError::InvalidSettings(format!(
                "rate {} words per minute is outside espeak-ng's {ESPEAK_MIN_RATE}–{ESPEAK_MAX_RATE}",
                settings.rate_wpm
            )));
        }
        if settings.pitch > 100 {
            return Err(SpeechError::InvalidSettings(format!(
                "pitch {} is outside 0–100",
                settings.pitch
            )));
        }
        let voice = CString::new(settings.voice.trim()).map_err(|_| {
            SpeechError::InvalidSettings("the voice name contains a NUL byte".into())
        })?;
        if voice.as_bytes().is_empty() {
            return Err(SpeechError::InvalidSettings("no voice name given".into()));
        }
        // `prepare_text` removed NUL and other control characters.
        let text = CString::new(text)
            .map_err(|_| SpeechError::InvalidSettings("text contains a NUL byte".into()))?;

        let mut engine = lock();
        initialised(&mut engine)?;
        if engine.voice.as_deref() != Some(settings.voice.trim()) {
            engine.voice = None;
            // A voice file name ("en-us", "en", "de"), else a language ("en-gb"), as the
            // espeak-ng command line does.
            let mut code = ffi::set_voice_by_name(&voice);
            if code == ffi::EE_NOT_FOUND {
                code = ffi::set_voice_by_language(&voice);
            }
            if code == ffi::EE_NOT_FOUND {
                return Err(SpeechError::UnknownVoice(settings.voice.clone()));
            }
            if code != ffi::EE_OK {
                return Err(SpeechError::Engine(format!(
                    "espeak_SetVoiceByName({:?}) returned {code}",
                    settings.voice
                )));
            }
            engine.voice = Some(settings.voice.trim().to_string());
        }
        for (parameter, value, name) in [
            (ffi::ESPEAK_RATE, settings.rate_wpm, "rate"),
            (ffi::ESPEAK_PITCH, u32::from(settings.pitch), "pitch"),
        ] {
            let value = i32::try_from(value).unwrap_or(i32::MAX);
            let code = ffi::set_parameter(parameter, value);
            if code != ffi::EE_OK {
                return Err(SpeechError::Engine(format!(
                    "espeak_SetParameter({name}, {value}) returned {code}"
                )));
            }
        }
        let collected = ffi::synthesize(&text)
            .map_err(|code| SpeechError::Engine(format!("espeak_Synth returned {code}")))?;
        drop(engine);

        let events = collected
            .phonemes
            .into_iter()
            .map(|p| PhonemeEvent {
                start_ms: p.audio_ms,
                phoneme: p.name,
            })
            .collect();
        Ok(Synthesis {
            samples: collected.samples,
            phonemes: events,
            end_ms: collected.end_ms,
        })
    }
}

impl Speaker for EspeakSpeaker {
    /// Empty text (or text with no letters or digits) is [`SpeechError::EmptyText`].
    fn speak(&self, text: &str, settings: &VoiceSettings) -> Result<Speech, SpeechError> {
        let text = prepare_text(text)?;
        let Synthesis {
            samples,
            phonemes,
            end_ms,
        } = self.synthesize(&text, settings)?;
        if samples.is_empty() {
            // The text had letters or digits, so silence means espeak-ng could not work.
            return Err(SpeechError::Engine("espeak-ng produced no audio".into()));
        }
        let duration_ms = duration_ms(samples.len(), self.sample_rate);
        tracing::debug!(
            duration_ms,
            phonemes = phonemes.len(),
            end_ms,
            "espeak-ng synthesised"
        );
        let visemes = timeline_from_phonemes(&phonemes, duration_ms);
        Ok(Speech {
            sample_rate: self.sample_rate,
            samples,
            visemes,
            phonemes,
        })
    }
}

pub(crate) fn duration_ms(samples: usize, sample_rate: u32) -> u32 {
    let ms = samples as u64 * 1000 / u64::from(sample_rate.max(1));
    u32::try_from(ms).unwrap_or(u32::MAX)
}
