//! Measurement, not a test: what front-end noise suppression (nnnoiseless, a pure-Rust
//! RNNoise) does to the WER of the lobby test's answer over babble (three other espeak-ng
//! voices 10 dB below the candidate, `tests/lobby.rs`), through the same live
//! transcription, for each model present.
//!
//!     cargo run --release -p panelist-transcribe --example denoise_babble
//!
//! The audio is made as `tests/lobby.rs` makes it (the answer first, then the babble, in
//! one process), so the noisy condition is the test's.

use std::path::PathBuf;

use nnnoiseless::DenoiseState;
use panelist_transcribe::{wer, LiveTranscription, WhisperConfig, WhisperTranscriber, SAMPLE_RATE};

// The lobby test's audio, made by the same code.
#[path = "../tests/support/mod.rs"]
mod support;
use support::lobby::{answer, babble, mix, SENTENCES};

/// RNNoise at 48 kHz on 480-sample frames, in 16-bit sample units; back to 16 kHz.
fn denoise(audio: &[f32]) -> Vec<f32> {
    let up = panelist_audio::resample::resample(audio, SAMPLE_RATE as u32, 48_000).expect("up");
    let mut state = DenoiseState::new();
    let mut out = Vec::with_capacity(up.len());
    let mut frame_out = [0.0f32; DenoiseState::FRAME_SIZE];
    let mut first = true;
    for chunk in up.chunks(DenoiseState::FRAME_SIZE) {
        let mut frame = [0.0f32; DenoiseState::FRAME_SIZE];
        for (f, s) in frame.iter_mut().zip(chunk) {
            *f = s * 32768.0;
        }
        state.process_frame(&mut frame_out, &frame);
        // The first frame carries the model's start-up transient (as nnnoiseless's own
        // tool does, it is dropped).
        if !first {
            out.extend(frame_out.iter().take(chunk.len()).map(|s| s / 32768.0));
        } else {
            out.extend(std::iter::repeat_n(0.0, chunk.len()));
            first = false;
        }
    }
    panelist_audio::resample::resample(&out, 48_000, SAMPLE_RATE as u32).expect("down")
}

fn live(model: &PathBuf, audio: &[f32]) -> String {
    let mut t = WhisperTranscriber::load(WhisperConfig::new(model)).expect("model");
    let mut live = LiveTranscription::new(&mut t, "Tell me how you would build a web service.");
    for block in audio.chunks(SAMPLE_RATE * 2 / 5) {
        live.push(block).expect("push");
    }
    live.finish().expect("finish").text
}

fn main() {
    let (clean, _) = answer();
    let noise = babble(clean.len());
    let reference = SENTENCES.join(" ");
    let noisy10 = mix(&clean, &noise, 10.0);
    let noisy5 = mix(&clean, &noise, 5.0);
    let conditions = [
        ("quiet", clean.clone()),
        ("quiet, denoised", denoise(&clean)),
        ("babble 10 dB", noisy10.clone()),
        ("babble 10 dB, denoised", denoise(&noisy10)),
        ("babble 5 dB", noisy5.clone()),
        ("babble 5 dB, denoised", denoise(&noisy5)),
    ];
    let dir = &support::repo_models()[0];
    for name in ["tiny.en", "base"] {
        let model = dir.join(format!("ggml-{name}.bin"));
        if !model.is_file() {
            println!("{name}: not present");
            continue;
        }
        for (condition, audio) in &conditions {
            let text = live(&model, audio);
            println!(
                "{name:<8} {condition:<24} WER {:.3}  {text}",
                wer::wer(&reference, &text)
            );
        }
    }
}
