//! Measurement, not a test: what each lever does to the WER of the lobby test's answer
//! over babble (three other espeak-ng voices 10 dB below the candidate, `tests/lobby.rs`).
//!
//!     cargo build --release --workspace --example babble_levers
//!     target/release/examples/babble_levers [MODEL...]   # default: tiny.en tiny.en-q8_0 base base-q8_0
//!
//! For each model `models/` holds, and each way of decoding: live transcription as the
//! kiosk runs it (commits during the answer at beam 5, the tail after it ends greedy: the
//! lobby test's and the README's figure), then one lever changed at a time (the tail at
//! beam 5, temperature fallback off, no initial prompt, front-end noise suppression with
//! nnnoiseless, a pure-Rust RNNoise at 48 kHz), then one pass over the whole recording
//! after the answer (`transcribe_answer`) at beam 1 and 5. Prints the WER and the seconds
//! of processing (release build, 2 threads; the machine's load is printed too).
//!
//! The audio is made as `tests/lobby.rs` makes it (the answer first, then the babble, in
//! one process), so the noisy condition is the test's.

use std::path::Path;
use std::time::Instant;

use nnnoiseless::DenoiseState;
use panelist_transcribe::{
    transcribe_answer, wer, LiveTranscription, WhisperConfig, WhisperTranscriber, SAMPLE_RATE,
};

// The lobby test's audio, made by the same code.
#[path = "../tests/support/mod.rs"]
mod support;
use support::lobby::{answer, babble, mix, SENTENCES};

const QUESTION: &str = "Tell me how you would build a web service.";

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

/// One way of decoding the answer.
struct Way {
    name: &'static str,
    /// Live (pushes of 0.4 s, then `finish`) or one pass over the whole recording.
    live: bool,
    beam: usize,
    tail_beam: usize,
    fallback: bool,
    prompt: bool,
    denoised: bool,
}

const fn way(name: &'static str, live: bool, beam: usize, tail_beam: usize) -> Way {
    Way {
        name,
        live,
        beam,
        tail_beam,
        fallback: true,
        prompt: true,
        denoised: false,
    }
}

fn ways() -> Vec<Way> {
    vec![
        way("live, as the kiosk", true, 5, 1),
        way("live, tail beam 5", true, 5, 5),
        Way {
            fallback: false,
            ..way("live, no fallback", true, 5, 1)
        },
        Way {
            prompt: false,
            ..way("live, no prompt", true, 5, 1)
        },
        Way {
            denoised: true,
            ..way("live, denoised", true, 5, 1)
        },
        way("whole, beam 1", false, 1, 1),
        way("whole, beam 5", false, 5, 1),
        Way {
            fallback: false,
            ..way("whole, beam 5, no fallback", false, 5, 1)
        },
        Way {
            prompt: false,
            ..way("whole, beam 5, no prompt", false, 5, 1)
        },
        Way {
            denoised: true,
            ..way("whole, beam 5, denoised", false, 5, 1)
        },
    ]
}

fn run(model: &Path, way: &Way, audio: &[f32]) -> String {
    let mut config = WhisperConfig::new(model);
    config.beam_size = way.beam;
    config.tail_beam_size = way.tail_beam;
    config.temperature_fallback = way.fallback;
    let mut t = WhisperTranscriber::load(config).expect("model");
    let prompt = if way.prompt { QUESTION } else { "" };
    if !way.live {
        return transcribe_answer(&mut t, audio, prompt).expect("pass").text;
    }
    let mut live = LiveTranscription::new(&mut t, prompt);
    // The live loop's pace: 0.4 s of audio per look.
    for block in audio.chunks(SAMPLE_RATE * 2 / 5) {
        live.push(block).expect("push");
    }
    live.finish().expect("finish").text
}

fn main() {
    let (clean, _) = answer();
    let noise = babble(clean.len());
    let reference = SENTENCES.join(" ");
    let noisy = mix(&clean, &noise, 10.0);
    let denoised = denoise(&noisy);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let names: Vec<String> = if args.is_empty() {
        ["tiny.en", "tiny.en-q8_0", "base", "base-q8_0"]
            .map(String::from)
            .to_vec()
    } else {
        args
    };
    let load = || std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "babble 10 dB, {:.1} s answer, {} words; release build, 2 threads; load {}",
        clean.len() as f64 / SAMPLE_RATE as f64,
        wer::normalise(&reference).len(),
        load().trim()
    );
    let dir = &support::repo_models()[0];
    for name in &names {
        let model = dir.join(format!("ggml-{name}.bin"));
        if !model.is_file() {
            println!("{name}: not present");
            continue;
        }
        for way in ways() {
            let audio = if way.denoised { &denoised } else { &noisy };
            let started = Instant::now();
            let text = run(&model, &way, audio);
            println!(
                "{name:<13} {:<28} WER {:.3}  {:>5.1} s  {text}",
                way.name,
                wer::wer(&reference, &text),
                started.elapsed().as_secs_f64()
            );
        }
    }
    println!("load at the end {}", load().trim());
}
