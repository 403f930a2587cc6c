//! What the UI plays: spoken audio as base64 WAV with its lip-sync timeline
//! ([`SpeechClip`]), and the [`Voice`] that makes one from text with a [`Speaker`] and
//! its settings. The kiosk's avatar and admin mode's "hear this question" both speak
//! through it.

use std::sync::Arc;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{EspeakSpeaker, MouthShape, Speaker, SpeechError, VoiceSettings};

/// One mouth shape from the speech engine's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct VisemeCue {
    pub start_ms: u32,
    /// Rhubarb shape letter: A–H, or X for rest.
    pub shape: MouthShape,
}

/// Spoken audio and its lip-sync timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SpeechClip {
    pub wav_base64: String,
    pub duration_ms: u32,
    pub visemes: Vec<VisemeCue>,
}

/// Bytes as standard base64 (how audio reaches the UI).
pub fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A speaker with its voice and rate (cheap to clone: the kiosk prepares the next
/// question on another thread).
#[derive(Clone)]
pub struct Voice {
    speaker: Arc<dyn Speaker>,
    settings: VoiceSettings,
}

impl Voice {
    /// `speaker` speaking with `voice` at `rate_wpm`.
    pub fn new(speaker: Arc<dyn Speaker>, voice: &str, rate_wpm: u32) -> Self {
        Self {
            speaker,
            settings: VoiceSettings::new(voice, rate_wpm),
        }
    }

    /// espeak-ng speaking with `voice` at `rate_wpm`.
    pub fn espeak(voice: &str, rate_wpm: u32) -> Result<Self, SpeechError> {
        Ok(Self::new(Arc::new(EspeakSpeaker::new()?), voice, rate_wpm))
    }

    /// The same speaker and rate with another voice (for an interview in another
    /// language: `panelist_core::Language::voice_for`).
    pub fn with_voice(&self, voice: &str) -> Self {
        Self {
            speaker: self.speaker.clone(),
            settings: VoiceSettings {
                voice: voice.to_string(),
                ..self.settings.clone()
            },
        }
    }

    /// The voice this speaks with.
    pub fn voice_name(&self) -> &str {
        &self.settings.voice
    }

    /// Speaks `text`: WAV audio and the mouth shapes to draw over it.
    pub fn speak(&self, text: &str) -> Result<SpeechClip, SpeechError> {
        let speech = self.speaker.speak(text, &self.settings)?;
        let wav = speech.wav_bytes()?;
        Ok(SpeechClip {
            wav_base64: base64(&wav),
            duration_ms: speech.duration_ms(),
            visemes: speech
                .visemes
                .iter()
                .map(|v| VisemeCue {
                    start_ms: v.start_ms,
                    shape: v.shape,
                })
                .collect(),
        })
    }
}
