//! Whisper models compared: load time, real-time factor and WER per model.
//!
//! ```sh
//! bash scripts/bench-models.sh          # or: cargo bench --workspace --bench models
//! ```
//!
//! For every model `models/` holds among `PANELIST_BENCH_MODELS` (default: tiny.en,
//! tiny.en-q8_0, tiny.en-q5_1, base, base-q8_0, base-q5_1), on the production path
//! (`transcribe_answer` with the question's prompt, `WhisperConfig::new`'s threads and
//! beam): the file size and the load time, then the processing time, real-time factor (processing / audio) and WER on a 5 s and a 30 s
//! answer spoken by espeak-ng (median of `PANELIST_BENCH_REPEATS` runs, default 3; the
//! WER is the same every run). No thresholds: this only measures (the `models` test holds
//! the WER bounds). Run it on an idle machine: whisper.cpp's threads spin while they wait.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

use panelist_speech::{EspeakSpeaker, Speaker, VoiceSettings};
use panelist_transcribe::{
    models, prompt, transcribe_answer, wer, WhisperConfig, WhisperTranscriber, SAMPLE_RATE,
};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const DEFAULT_MODELS: &str = "tiny.en tiny.en-q8_0 tiny.en-q5_1 base base-q8_0 base-q5_1";

const QUESTION: &str =
    "Tell me about a data project you are proud of, and how you validated the model.";
const VOCABULARY: &[&str] = &[
    "cross-validation",
    "baseline",
    "percentile",
    "latency",
    "leakage",
    "stakeholders",
    "A/B test",
];

/// The 5 s answer, then the sentences the 30 s answer is made of.
const SHORT: &str = "That is the project I am most proud of.";
const LONG: &[&str] = &[
    "In my last role I led a small team that built a churn prediction model for a subscription business.",
    "We started with a simple logistic regression as a baseline, so we knew what good looked like.",
    "To compare models fairly, we used five-fold cross-validation on data from the previous year.",
    "We also watched the ninety-fifth percentile latency, because the model had to answer within two hundred milliseconds.",
    "When the results looked too good, I checked for leakage and found a feature that was recorded after cancellation.",
    "I explained the trade-offs to the stakeholders with a few clear charts instead of a long report.",
    "Then we ran an A/B test for four weeks before rolling the model out to every region.",
];

fn speak(speaker: &EspeakSpeaker, text: &str) -> Result<Vec<f32>> {
    let speech = speaker.speak(text, &VoiceSettings::new("en-us", 160))?;
    let pcm: Vec<f32> = speech
        .samples
        .iter()
        .map(|s| f32::from(*s) / 32768.0)
        .collect();
    Ok(
        panelist_audio::resample::resample(&pcm, speech.sample_rate, SAMPLE_RATE as u32)
            .ok_or("espeak-ng's sample rate cannot be resampled")?,
    )
}

/// Sentences with 0.35 s pauses, padded with silence to exactly `seconds` (the sentences
/// that do not fit are left out).
fn answer(
    speaker: &EspeakSpeaker,
    sentences: &[&str],
    seconds: usize,
) -> Result<(Vec<f32>, String)> {
    let total = seconds * SAMPLE_RATE;
    let pause = SAMPLE_RATE * 35 / 100;
    let mut audio = vec![0.0f32; SAMPLE_RATE / 5];
    let mut said = Vec::new();
    for s in sentences {
        let samples = speak(speaker, s)?;
        if audio.len() + pause + samples.len() + SAMPLE_RATE / 5 <= total {
            if !said.is_empty() {
                audio.resize(audio.len() + pause, 0.0);
            }
            audio.extend_from_slice(&samples);
            said.push(*s);
        }
    }
    audio.resize(total, 0.0);
    Ok((audio, said.join(" ")))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn main() -> Result<()> {
    let repeats: usize = std::env::var("PANELIST_BENCH_REPEATS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(3);
    let names = std::env::var("PANELIST_BENCH_MODELS").unwrap_or_else(|_| DEFAULT_MODELS.into());
    let dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")];
    let speaker = EspeakSpeaker::new()?;
    let vocabulary: Vec<String> = VOCABULARY.iter().map(|v| v.to_string()).collect();
    let p = prompt::for_question(QUESTION, &vocabulary);
    let answers = [answer(&speaker, &[SHORT], 5)?, answer(&speaker, LONG, 30)?];
    let threads = WhisperConfig::new(PathBuf::new()).threads;
    println!(
        "whisper models: {threads} threads, {} cores, load {}; median of {repeats} runs",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    println!(
        "{:<14} {:>8} {:>8} | {:>8} {:>6} {:>6} | {:>8} {:>6} {:>6}",
        "model", "MiB", "load s", "5 s: s", "RTF", "WER %", "30 s: s", "RTF", "WER %"
    );
    for name in names.split_whitespace() {
        let path = match models::find(name, &dirs) {
            Ok(path) => path,
            Err(_) => {
                println!("{name:<14} not in models/ (models/fetch-model.sh {name})");
                continue;
            }
        };
        let size = std::fs::metadata(&path)?.len() as f64 / (1024.0 * 1024.0);
        let mut loads = Vec::new();
        for _ in 0..repeats {
            let started = Instant::now();
            let t = WhisperTranscriber::load(WhisperConfig::new(&path))?;
            loads.push(started.elapsed().as_secs_f64());
            drop(t);
        }
        let mut t = WhisperTranscriber::load(WhisperConfig::new(&path))?;
        let mut row = format!("{name:<14} {size:>8.1} {:>8.3}", median(loads));
        for (audio, text) in &answers {
            let seconds = audio.len() as f64 / SAMPLE_RATE as f64;
            let mut times = Vec::new();
            let mut last = String::new();
            for _ in 0..repeats {
                let started = Instant::now();
                last = transcribe_answer(&mut t, audio, &p)?.text;
                times.push(started.elapsed().as_secs_f64());
            }
            let took = median(times);
            row.push_str(&format!(
                " | {took:>8.3} {:>6.3} {:>6.1}",
                took / seconds,
                wer::wer(text, &last) * 100.0
            ));
        }
        println!("{row}");
    }
    Ok(())
}
