//! Speech for Panelist's avatar: the text of a question becomes audio plus a viseme
//! timeline (which mouth shape to draw from which millisecond), so the face on the kiosk
//! moves its lips with what it says.
//!
//! Why it looks like this:
//! - **Offline first.** A kiosk must speak without a network, so the default voice is
//!   espeak-ng, called through its C library (Debian `libespeak-ng-dev`). It is small,
//!   fast (far quicker than real time on one core) and reports every phoneme with its
//!   position in the audio, which is what lip-sync needs: [`EspeakSpeaker`].
//! - **Lip-sync is a pure function.** Phoneme events map to mouth shapes with the table in
//!   `shared/avatar.md` (Rhubarb Lip Sync's shapes A–H and X, Oculus visemes kept
//!   alongside); [`timeline_from_phonemes`] is tested without audio.
//! - **A better voice when online.** [`OpenAiSpeaker`] calls any OpenAI-compatible
//!   `/v1/audio/speech` server. It gives audio only, so its visemes come from the
//!   loudness of the audio ([`timeline_from_envelope`]).
//! - **One seam.** Callers hold a `dyn` [`Speaker`] and do not know which voice speaks.
//!
//! espeak-ng is a process-global, non-thread-safe library: this crate initialises it once
//! and serialises every call behind one mutex. Its FFI is the only unsafe code here
//! (`ffi.rs`).
//!
//! ```no_run
//! use panelist_speech::{EspeakSpeaker, Speaker, VoiceSettings};
//!
//! let speaker = EspeakSpeaker::new()?;
//! let speech = speaker.speak("Tell me about a project you led.", &VoiceSettings::default())?;
//! speech.write_wav(std::path::Path::new("/tmp/question.wav"))?;
//! let timeline_json = speech.timeline_json();
//! # let _ = timeline_json;
//! # Ok::<(), panelist_speech::SpeechError>(())
//! ```

mod clip;
mod espeak;
#[allow(unsafe_code)]
mod ffi;
mod openai;
pub mod visemes;
mod wav;

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use clip::{base64, SpeechClip, VisemeCue, Voice};
pub use espeak::{EspeakSpeaker, ESPEAK_MAX_RATE, ESPEAK_MIN_RATE};
pub use openai::{OpenAiConfig, OpenAiSpeaker};
pub use visemes::{
    oculus_for_shape, timeline_from_envelope, timeline_from_phonemes, MouthShape, Oculus,
    PhonemeEvent, Viseme,
};
pub use wav::{decode_wav, wav_bytes, write_wav};

/// The longest text accepted, in characters (a question is far shorter).
pub const MAX_TEXT_CHARS: usize = 100_000;

#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    #[error("nothing to say: the text is empty or has no letters or digits")]
    EmptyText,
    #[error("the text is {chars} characters long; at most {max} can be spoken at once")]
    TextTooLong { chars: usize, max: usize },
    #[error("invalid voice settings: {0}")]
    InvalidSettings(String),
    #[error("espeak-ng has no voice {0:?} (try \"en-us\" or \"en-gb\"; `espeak-ng --voices` lists them)")]
    UnknownVoice(String),
    #[error("espeak-ng failed: {0} (is the espeak-ng-data package installed?)")]
    Engine(String),
    #[error("the speech server {url} answered HTTP {status}: {message}")]
    Http {
        url: String,
        status: u16,
        message: String,
    },
    #[error("the speech server {url} did not answer within {after:?}")]
    Timeout { url: String, after: Duration },
    #[error("could not reach the speech server: {0}")]
    Network(String),
    #[error("the speech audio is not usable: {0}")]
    BadAudio(String),
    #[error("writing audio failed: {0}")]
    Io(#[from] std::io::Error),
}

/// How to speak: which voice, how fast, how high.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceSettings {
    /// An espeak-ng voice (`"en-us"`, `"en-gb"`, `"en"`, `"en-us+f3"`, …); for
    /// [`OpenAiSpeaker`], the server's voice unless its config names one.
    pub voice: String,
    /// Speaking rate in words per minute; espeak-ng accepts 80–450 (175 is normal).
    /// [`OpenAiSpeaker`] sends it as `speed = rate / 175`.
    pub rate_wpm: u32,
    /// Base pitch 0–100, 50 normal (espeak-ng only).
    pub pitch: u8,
}

impl Default for VoiceSettings {
    /// American English (`avatar.md` maps American vowels) at 175 words per minute.
    fn default() -> Self {
        Self {
            voice: "en-us".into(),
            rate_wpm: 175,
            pitch: 50,
        }
    }
}

impl VoiceSettings {
    pub fn new(voice: impl Into<String>, rate_wpm: u32) -> Self {
        Self {
            voice: voice.into(),
            rate_wpm,
            ..Self::default()
        }
    }
}

/// Spoken text: 16-bit mono PCM, its rate, and the mouth shapes to draw over it.
#[derive(Debug, Clone, PartialEq)]
pub struct Speech {
    pub sample_rate: u32,
    pub samples: Vec<i16>,
    /// Starts at 0 ms, strictly increasing, every start before the end of the audio, last
    /// entry the rest shape [`MouthShape::X`].
    pub visemes: Vec<Viseme>,
    /// The phonemes the engine reported (espeak-ng only; empty for network voices).
    pub phonemes: Vec<PhonemeEvent>,
}

/// What the avatar needs to animate one utterance, as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    pub duration_ms: u32,
    pub visemes: Vec<Viseme>,
}

impl Speech {
    /// Length of the audio in milliseconds.
    pub fn duration_ms(&self) -> u32 {
        espeak::duration_ms(self.samples.len(), self.sample_rate)
    }

    /// The duration and viseme timeline, for the avatar.
    pub fn timeline(&self) -> Timeline {
        Timeline {
            duration_ms: self.duration_ms(),
            visemes: self.visemes.clone(),
        }
    }

    /// [`Speech::timeline`] as JSON:
    /// `{"duration_ms":1023,"visemes":[{"start_ms":0,"shape":"X","oculus":"sil","phoneme":"_"},…]}`.
    pub fn timeline_json(&self) -> String {
        // Plain structs with string keys: serialisation cannot fail.
        serde_json::to_string(&self.timeline()).unwrap_or_default()
    }

    /// Writes the audio as a 16-bit mono WAV file.
    pub fn write_wav(&self, path: &Path) -> Result<(), SpeechError> {
        write_wav(path, &self.samples, self.sample_rate)
    }

    /// The audio as the bytes of a 16-bit mono WAV file.
    pub fn wav_bytes(&self) -> Result<Vec<u8>, SpeechError> {
        wav_bytes(&self.samples, self.sample_rate)
    }
}

/// Turns text into speech with a lip-sync timeline.
pub trait Speaker: Send + Sync {
    /// Speaks `text` (plain text: no SSML, no phoneme codes). Text that is empty or has no
    /// letters or digits is [`SpeechError::EmptyText`]; it is never silent audio.
    fn speak(&self, text: &str, settings: &VoiceSettings) -> Result<Speech, SpeechError>;
}

/// Cleans text for a speaker: control characters become spaces, surrounding space goes;
/// refuses text with nothing to pronounce or longer than [`MAX_TEXT_CHARS`].
fn prepare_text(text: &str) -> Result<String, SpeechError> {
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(SpeechError::TextTooLong {
            chars,
            max: MAX_TEXT_CHARS,
        });
    }
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = cleaned.trim();
    if !cleaned.chars().any(char::is_alphanumeric) {
        return Err(SpeechError::EmptyText);
    }
    Ok(cleaned.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cleaned_and_bounded() {
        assert_eq!(prepare_text("  Hi\0 there\n").expect("text"), "Hi  there");
        assert!(matches!(prepare_text(""), Err(SpeechError::EmptyText)));
        assert!(matches!(
            prepare_text(" \n\t "),
            Err(SpeechError::EmptyText)
        ));
        assert!(matches!(
            prepare_text("... !?"),
            Err(SpeechError::EmptyText)
        ));
        assert_eq!(prepare_text("été").expect("text"), "été");
        let long = "a".repeat(MAX_TEXT_CHARS + 1);
        assert!(matches!(
            prepare_text(&long),
            Err(SpeechError::TextTooLong { .. })
        ));
    }
}
