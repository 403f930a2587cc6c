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
use panelist_speech::{EspeakSpeaker, Speaker, VoiceSettings};
use panelist_transcribe::{wer, LiveTranscription, WhisperConfig, WhisperTranscriber, SAMPLE_RATE};

fn speak(text: &str, voice: &str, rate: u32) -> Vec<f32> {
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

fn silence(seconds: f64) -> Vec<f32> {
    vec![0.0; (seconds * SAMPLE_RATE as f64) as usize]
}

const SENTENCES: [&str; 4] = [
    "I would design the service with a clear interface and write unit tests first.",
    "Then I would measure the latency before and after every change.",
    "We keep the database schema in migrations and review each one.",
    "Finally we deploy small changes every day behind a feature flag.",
];

fn answer() -> Vec<f32> {
    let pauses = [0.8, 4.0, 1.2];
    let mut audio = silence(0.4);
    for (i, s) in SENTENCES.iter().enumerate() {
        if i > 0 {
            audio.extend(silence(pauses[i - 1]));
        }
        audio.extend(speak(s, "en-us", 165));
    }
    audio.extend(silence(0.6));
    audio
}

fn babble(n: usize) -> Vec<f32> {
    let voices = [
        speak("The weather has been lovely this week and we went to the park on Sunday with the children.", "en-gb", 150),
        speak("Could you pass me the report from yesterday, I think the numbers for the third quarter are wrong.", "en-us+f3", 170),
        speak("My train was late so I missed the first part of the meeting, but Sarah told me everything.", "en-us+m3", 140),
    ];
    let mut out = vec![0.0f32; n];
    for (k, v) in voices.iter().enumerate() {
        let offset = k * v.len() / 3;
        for (i, o) in out.iter_mut().enumerate() {
            *o += v[(offset + i) % v.len()];
        }
    }
    out
}

fn active_rms(x: &[f32]) -> f32 {
    let loud: Vec<f32> = x
        .chunks(320)
        .map(|f| f.iter().map(|s| s * s).sum::<f32>() / f.len() as f32)
        .filter(|e| *e > 1e-5)
        .collect();
    (loud.iter().sum::<f32>() / loud.len().max(1) as f32).sqrt()
}

fn mix(clean: &[f32], noise: &[f32], snr_db: f32) -> Vec<f32> {
    let gain = active_rms(clean) / 10f32.powf(snr_db / 20.0) / active_rms(noise).max(1e-9);
    clean
        .iter()
        .zip(noise)
        .map(|(c, n)| (c + gain * n).clamp(-1.0, 1.0))
        .collect()
}

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
    let clean = answer();
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
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models");
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
