//! Measurement, not a test: what each lever does to the WER of the lobby test's answer
//! over babble (three other espeak-ng voices 10 dB below the candidate, `tests/lobby.rs`),
//! with either engine.
//!
//!     cargo build --release --workspace --example babble_levers
//!     target/release/examples/babble_levers [MODEL...]
//!
//! A MODEL is a name in `models/`: `tiny.en`, `base-q8_0`, … is whisper.cpp
//! (`ggml-NAME.bin`); `tiny.en-ct2`, `base-ct2` is CTranslate2 (the folder `NAME`). The
//! default is every one of tiny.en tiny.en-q8_0 base base-q8_0 tiny.en-ct2 base-ct2 that
//! `models/` holds.
//!
//! For each model, and each way of decoding: live transcription as the kiosk runs it
//! (commits during the answer at beam 5, the tail after it ends greedy: the lobby test's
//! and the README's figure), then one lever changed at a time (the tail at beam 5,
//! temperature fallback off, no initial prompt, front-end noise suppression with
//! nnnoiseless, a pure-Rust RNNoise at 48 kHz, the VAD without the gate that sets quieter
//! voices aside), then one pass over the whole recording after the answer
//! (`transcribe_answer`) at beams 1, 3, 5 and 8, and at beam 5 with each lever. Prints the
//! WER, the seconds of processing and the seconds the candidate waits after the answer
//! ends (live: the final pass; whole: all of it); release build, 2 threads, the machine's
//! load printed too. Levers only CTranslate2 has: float32 weights (int8 is the kiosk's) and
//! every window padded to 30 s (the kiosk encodes short audio with at least 15 s).
//!
//! `BABBLE_SNR=quiet` (or another level in dB) changes the condition; `BABBLE_WAYS="live,
//! float32"` keeps only the ways whose name holds one of the pieces.
//!
//! The audio is made as `tests/lobby.rs` makes it (the answer first, then the babble, in
//! one process), so the noisy condition is the test's.

use std::path::PathBuf;
use std::time::Instant;

use nnnoiseless::DenoiseState;
use panelist_transcribe::vad::SpeechTrack;
use panelist_transcribe::{
    chunking, cleanup, prompt, transcribe_answer, wer, LiveTranscription, Transcriber, Transcript,
    WhisperConfig, WhisperTranscriber, SAMPLE_RATE,
};
#[cfg(feature = "ct2")]
use panelist_transcribe::{Ct2Config, Ct2Transcriber};

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
    /// The VAD's gate that sets voices quieter than the candidate aside.
    gate: bool,
    /// CTranslate2 quantises the weights to int8 on load (the kiosk's setting); false
    /// keeps them float32 (whisper.cpp models are read as they are either way).
    int8: bool,
    /// CTranslate2 encodes short audio with a reduced context (the kiosk's setting); false
    /// pads every window to 30 s (whisper.cpp's own reduced context is always on).
    reduced_context: bool,
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
        gate: true,
        int8: true,
        reduced_context: true,
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
        Way {
            gate: false,
            ..way("live, no babble gate", true, 5, 1)
        },
        Way {
            int8: false,
            ..way("live, float32 weights", true, 5, 1)
        },
        Way {
            reduced_context: false,
            ..way("live, 30 s context", true, 5, 1)
        },
        way("whole, beam 1", false, 1, 1),
        way("whole, beam 3", false, 3, 1),
        way("whole, beam 5", false, 5, 1),
        way("whole, beam 8", false, 8, 1),
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
        Way {
            gate: false,
            ..way("whole, beam 5, no babble gate", false, 5, 1)
        },
    ]
}

/// A model and the engine that reads it.
enum Model {
    WhisperCpp(PathBuf),
    #[cfg(feature = "ct2")]
    Ct2(PathBuf),
}

impl Model {
    /// `NAME` in `models/`: a CTranslate2 folder when the name ends in `-ct2`, else
    /// whisper.cpp's `ggml-NAME.bin`; `None` when `models/` does not hold it.
    fn find(name: &str) -> Option<Self> {
        let dir = &support::repo_models()[0];
        if name.ends_with("-ct2") {
            #[cfg(feature = "ct2")]
            {
                let path = dir.join(name);
                panelist_transcribe::models::is_ct2_folder(&path).then_some(Self::Ct2(path))
            }
            #[cfg(not(feature = "ct2"))]
            None
        } else {
            let path = dir.join(format!("ggml-{name}.bin"));
            path.is_file().then_some(Self::WhisperCpp(path))
        }
    }

    fn load(&self, way: &Way) -> Box<dyn Transcriber> {
        match self {
            Self::WhisperCpp(path) => {
                let mut config = WhisperConfig::new(path);
                config.beam_size = way.beam;
                config.tail_beam_size = way.tail_beam;
                config.temperature_fallback = way.fallback;
                Box::new(WhisperTranscriber::load(config).expect("model"))
            }
            #[cfg(feature = "ct2")]
            Self::Ct2(path) => {
                let mut config = Ct2Config::new(path);
                config.beam_size = way.beam;
                config.tail_beam_size = way.tail_beam;
                config.temperature_fallback = way.fallback;
                config.int8 = way.int8;
                config.reduce_audio_context = way.reduced_context;
                Box::new(Ct2Transcriber::load(config).expect("model"))
            }
        }
    }
}

fn track(gate: bool) -> SpeechTrack {
    let track = SpeechTrack::earshot();
    if gate {
        track
    } else {
        track.without_babble_gate()
    }
}

/// `transcribe_answer` with the speech decided by `track` (the library's own decides
/// with the gate; this one may not).
fn whole_with(
    t: &mut dyn Transcriber,
    audio: &[f32],
    prompt: &str,
    mut speech: SpeechTrack,
) -> Transcript {
    speech.push(audio);
    let mut texts: Vec<String> = Vec::new();
    for range in chunking::split(audio, t.chunk_seconds().clamp(1.0, 30.0)) {
        let Some(span) = speech.speech_span(range) else {
            continue;
        };
        let context = prompt::with_history(prompt, &texts.join(" "));
        let part = t.transcribe(&audio[span], &context).expect("pass");
        cleanup::append_pass(&mut texts, &part.text);
    }
    Transcript {
        text: texts.join(" "),
        audio_seconds: audio.len() as f64 / SAMPLE_RATE as f64,
    }
}

/// The text, and the seconds the candidate waits after the answer ends.
fn run(model: &Model, way: &Way, audio: &[f32]) -> (String, f64) {
    let mut t = model.load(way);
    let prompt = if way.prompt { QUESTION } else { "" };
    if !way.live {
        let started = Instant::now();
        let text = if way.gate {
            transcribe_answer(t.as_mut(), audio, prompt)
                .expect("pass")
                .text
        } else {
            whole_with(t.as_mut(), audio, prompt, track(false)).text
        };
        return (text, started.elapsed().as_secs_f64());
    }
    let mut live = LiveTranscription::with_track(t.as_mut(), prompt, track(way.gate));
    // The live loop's pace: 0.4 s of audio per look.
    for block in audio.chunks(SAMPLE_RATE * 2 / 5) {
        live.push(block).expect("push");
    }
    let ended = Instant::now();
    let text = live.finish().expect("finish").text;
    (text, ended.elapsed().as_secs_f64())
}

fn main() {
    let (clean, _) = answer();
    let noise = babble(clean.len());
    let reference = SENTENCES.join(" ");
    // BABBLE_SNR: the babble's level below the voice in dB (10, the lobby test's), or
    // "quiet" for the answer alone (what the model hears without any babble).
    let snr = std::env::var("BABBLE_SNR").unwrap_or_else(|_| "10".into());
    let (condition, noisy) = if snr == "quiet" {
        ("quiet".to_string(), clean.clone())
    } else {
        let db: f32 = snr
            .parse()
            .expect("BABBLE_SNR: a number of dB or \"quiet\"");
        (format!("babble {db} dB"), mix(&clean, &noise, db))
    };
    // BABBLE_WAYS: only the ways whose name holds one of these comma-separated pieces.
    let only: Vec<String> = std::env::var("BABBLE_WAYS")
        .map(|v| v.split(',').map(|p| p.trim().to_string()).collect())
        .unwrap_or_default();
    let denoised = denoise(&noisy);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let names: Vec<String> = if args.is_empty() {
        [
            "tiny.en",
            "tiny.en-q8_0",
            "base",
            "base-q8_0",
            "tiny.en-ct2",
            "base-ct2",
        ]
        .map(String::from)
        .to_vec()
    } else {
        args
    };
    let load = || std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "{condition}, {:.1} s answer, {} words; 2 threads; load {}",
        clean.len() as f64 / SAMPLE_RATE as f64,
        wer::normalise(&reference).len(),
        load().trim()
    );
    println!("model         way                            WER    total   wait  text");
    for name in &names {
        let Some(model) = Model::find(name) else {
            println!("{name}: not present");
            continue;
        };
        for way in ways() {
            if !only.is_empty() && !only.iter().any(|p| way.name.contains(p.as_str())) {
                continue;
            }
            let audio = if way.denoised { &denoised } else { &noisy };
            let started = Instant::now();
            let (text, wait) = run(&model, &way, audio);
            println!(
                "{name:<13} {:<30} {:.3} {:>6.1} s {:>5.2} s  {text}",
                way.name,
                wer::wer(&reference, &text),
                started.elapsed().as_secs_f64(),
                wait
            );
        }
    }
    println!("load at the end {}", load().trim());
}
