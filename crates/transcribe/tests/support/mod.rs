//! Shared by the transcription tests (and `examples/babble_levers.rs`): espeak-ng speech
//! at 16 kHz, silence, the tiny.en model, whisper's one-at-a-time lock, and the lobby's
//! answer and babble.
#![allow(dead_code)]

pub mod lobby;

use std::path::PathBuf;

use panelist_speech::{EspeakSpeaker, Speaker, VoiceSettings};
use panelist_transcribe::SAMPLE_RATE;

/// Speech at 16 kHz mono, as the microphone path delivers it.
pub fn speak(text: &str, voice: &str, rate: u32) -> Vec<f32> {
    let speech = EspeakSpeaker::new()
        .expect("espeak-ng")
        .speak(text, &VoiceSettings::new(voice, rate))
        .expect("speech");
    let samples: Vec<f32> = speech
        .samples
        .iter()
        .map(|s| f32::from(*s) / 32768.0)
        .collect();
    panelist_audio::resample::resample(&samples, speech.sample_rate, SAMPLE_RATE as u32)
        .expect("resample")
}

pub fn silence(seconds: f64) -> Vec<f32> {
    vec![0.0; (seconds * SAMPLE_RATE as f64) as usize]
}

/// The repository's `models/` folder.
pub fn repo_models() -> Vec<PathBuf> {
    vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models")]
}

/// The tiny.en model: `PANELIST_WHISPER_MODEL`, else the repository's copy.
pub fn tiny_en() -> PathBuf {
    let path = std::env::var_os("PANELIST_WHISPER_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/ggml-tiny.en.bin")
        });
    assert!(
        path.is_file(),
        "the whisper model is missing at {}: run models/fetch-model.sh (scripts/setup.sh does)",
        path.display()
    );
    path
}

/// whisper.cpp's worker threads spin while they wait, so two transcriptions at once on a
/// two-core machine slow each other down many times over: tests take turns.
static WHISPER: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    WHISPER.lock().unwrap_or_else(|e| e.into_inner())
}

/// A CTranslate2 model folder in the repository's `models/` (`tiny.en-ct2`, `base-ct2`,
/// as `scripts/setup.sh` places them).
#[cfg(feature = "ct2")]
pub fn ct2_model(name: &str) -> PathBuf {
    let path = repo_models()[0].join(name);
    assert!(
        panelist_transcribe::models::is_ct2_folder(&path),
        "no CTranslate2 model folder at {}: run scripts/setup.sh (models/fetch-model.sh)",
        path.display()
    );
    path
}
