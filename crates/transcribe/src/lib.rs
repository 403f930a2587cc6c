//! Transcription for Panelist: a `Transcriber` seam and its whisper.cpp implementation.
//!
//! Whisper looks at 30-second windows. Answers are longer or much shorter than that, so
//! this crate does the fitting: long answers are cut at quiet moments into chunks (tiny.en
//! degrades on full windows), short ones are encoded with a reduced audio context (a 5 s
//! answer should not pay for 30 s), and while the candidate speaks, [`LiveTranscription`]
//! commits finished chunks and shows partials, so the final transcript is ready moments
//! after the candidate stops. The question and its key-point vocabulary go in as the
//! initial prompt, so domain words come out right.

pub mod chunking;
pub mod cleanup;
#[cfg(feature = "ct2")]
mod ct2;
pub mod engine;
pub mod live;
/// The whisper model locator (it needs no whisper, so it lives in `panelist-settings`).
pub use panelist_settings::models;
pub mod prompt;
pub mod vad;
pub mod wer;
mod whisper;

#[cfg(feature = "ct2")]
pub use ct2::{Ct2Config, Ct2Transcriber};
pub use engine::Engine;
pub use live::LiveTranscription;
pub use whisper::{WhisperConfig, WhisperTranscriber};

/// Samples per second of every buffer this crate takes: 16 kHz mono f32 in [-1, 1].
pub const SAMPLE_RATE: usize = 16_000;

#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    #[error("the speech model {path} was not found; run models/fetch-model.sh or set PANELIST_WHISPER_MODEL")]
    ModelMissing { path: String },
    #[error("the speech model {path} could not be loaded: {detail}")]
    ModelInvalid { path: String, detail: String },
    #[error("transcription failed: {0}")]
    Failed(String),
    /// The interview's language cannot be heard with this model (an English-only `*.en`
    /// model and a German interview): refused, never transcribed as English.
    #[error("the speech model {model} hears only English, not the interview's language ({language}): choose a multilingual model (base, base-q8_0) as whisper_model")]
    EnglishOnlyModel { model: String, language: String },
    #[error("whisper does not know the language {0:?}")]
    UnknownLanguage(String),
    /// A pass was abandoned because the answer ended (see [`Transcriber::set_interrupt`]).
    #[error("transcription interrupted")]
    Interrupted,
}

/// The language code a model will be told, checked the one way both engines check it:
/// two or three ASCII letters (lower-cased; checked before an engine sees it: a NUL byte
/// would panic in whisper-rs) that the model's vocabulary `knows`, and English unless the
/// model is `multilingual` (an English-only model refuses, never transcribes as English).
pub(crate) fn checked_language(
    code: &str,
    knows: impl FnOnce(&str) -> bool,
    multilingual: bool,
    model: &std::path::Path,
) -> Result<String, TranscribeError> {
    let code = code.trim().to_ascii_lowercase();
    let plausible = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
    if !plausible || !knows(&code) {
        return Err(TranscribeError::UnknownLanguage(code));
    }
    if code != "en" && !multilingual {
        return Err(TranscribeError::EnglishOnlyModel {
            model: model.display().to_string(),
            language: code,
        });
    }
    Ok(code)
}

/// The text of one stretch of audio.
#[derive(Debug, Clone, PartialEq)]
pub struct Transcript {
    pub text: String,
    pub audio_seconds: f64,
}

/// Turns up to 30 s of 16 kHz mono audio into text. `prompt` is context (the question and
/// its vocabulary), never instructions.
pub trait Transcriber {
    /// The best transcript this transcriber can make.
    fn transcribe(&mut self, audio: &[f32], prompt: &str) -> Result<Transcript, TranscribeError>;

    /// A quicker, rougher transcript for live partials.
    fn transcribe_draft(
        &mut self,
        audio: &[f32],
        prompt: &str,
    ) -> Result<Transcript, TranscribeError> {
        self.transcribe(audio, prompt)
    }

    /// The last pass of a live answer, after it ended: the candidate waits for it, so it
    /// may trade a little accuracy for speed. The default is [`Transcriber::transcribe`].
    fn transcribe_tail(
        &mut self,
        audio: &[f32],
        prompt: &str,
    ) -> Result<Transcript, TranscribeError> {
        self.transcribe(audio, prompt)
    }

    /// The language the audio is spoken in, as an ISO 639-1 code ("en", "de"), for every
    /// later pass: whisper is told it and never guesses (short answers are too short to
    /// detect a language reliably). A transcriber that cannot hear the language refuses
    /// it. The default hears English only.
    fn set_language(&mut self, code: &str) -> Result<(), TranscribeError> {
        if code == "en" {
            Ok(())
        } else {
            Err(TranscribeError::EnglishOnlyModel {
                model: "(this transcriber)".into(),
                language: code.into(),
            })
        }
    }

    /// The longest audio one pass gets when [`transcribe_answer`] cuts a whole answer into
    /// chunks. whisper.cpp encodes a shorter context for shorter audio and tiny.en
    /// degrades on full windows, so the default is [`chunking::CHUNK_SECONDS`]; an engine
    /// that always encodes whole 30 s windows is quicker with chunks that fill them.
    fn chunk_seconds(&self) -> f64 {
        chunking::CHUNK_SECONDS
    }

    /// A flag that, once set, abandons a draft or a transcription in progress
    /// ([`TranscribeError::Interrupted`]): when a live answer ends, a partial nobody will
    /// see, or a commit that started just before, must not delay the tail's pass (which
    /// then reads the commit's audio too). [`Transcriber::transcribe_tail`] is never
    /// interrupted. The default ignores it.
    fn set_interrupt(&mut self, flag: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>) {
        let _ = flag;
    }
}

/// Transcribes a whole answer: cut into chunks at quiet moments, each chunk's speech
/// (found by the voice-activity detector; silence and noise alone are never sent to
/// whisper) prompted with the question and the text so far.
pub fn transcribe_answer(
    transcriber: &mut dyn Transcriber,
    audio: &[f32],
    prompt: &str,
) -> Result<Transcript, TranscribeError> {
    let speech = vad::track(audio);
    let mut texts: Vec<String> = Vec::new();
    let chunk_seconds = transcriber.chunk_seconds().clamp(1.0, 30.0);
    for range in chunking::split(audio, chunk_seconds) {
        let Some(span) = speech.speech_span(range) else {
            continue;
        };
        let context = prompt::with_history(prompt, &texts.join(" "));
        let part = transcriber.transcribe(&audio[span], &context)?;
        cleanup::append_pass(&mut texts, &part.text);
    }
    Ok(Transcript {
        text: texts.join(" "),
        audio_seconds: audio.len() as f64 / SAMPLE_RATE as f64,
    })
}
