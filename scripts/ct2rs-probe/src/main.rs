//! Issue 16 feasibility probe: faster-whisper's decoding loop through ct2rs (CTranslate2
//! from Rust), timed on the WAVs `scripts/bench.sh` writes, so the figures sit next to
//! faster-whisper int8's on the same audio.
//!
//!   ct2rs-probe CT2_MODEL_DIR BENCH_DIR    (env THREADS=2 BEAM=1 REPEATS=3 CT=int8)
//!
//! Like `scripts/bench_faster_whisper.py`: 30 s windows in turn, whisper's log-mel (checked
//! against faster-whisper's FeatureExtractor: max abs difference 3e-5), the initial prompt
//! and the text so far as `<|startofprev|>` context (last 223 tokens), no timestamps,
//! temperature fallback on compression ratio > 2.4 or average log-prob < -1. English-only
//! models (`*.en`): the start sequence is `<|startoftranscript|>` alone.
use std::time::Instant;

use anyhow::{anyhow, Result};
use ct2rs::sys::{StorageView, Whisper};
use ct2rs::tokenizers::hf;
use ct2rs::{ComputeType, Config, Tokenizer, WhisperOptions};
use ndarray::{s, Array2};

const N_SAMPLES: usize = 480_000;
const FRAMES: usize = 3000;
const N_FFT: usize = 400;
const HOP: usize = 160;
const N_MELS: usize = 80;

fn load(path: &str) -> Result<Vec<f32>> {
    let mut r = hound::WavReader::open(path)?;
    r.samples::<i16>()
        .map(|s| Ok(s? as f32 / 32768.0))
        .collect()
}

/// Whisper's log-mel (openai/whisper audio.py): centred STFT (reflect padding), periodic
/// Hann window of 400, hop 160, power spectrum, slaney mel filters, log10 clamped at 1e-10,
/// floor at max - 8, then (x + 4) / 4. One frame per 160 samples.
fn whisper_mel(audio: &[f32], filters: &Array2<f64>) -> Array2<f32> {
    use rustfft::{num_complex::Complex, FftPlanner};
    let pad = N_FFT / 2;
    let n = audio.len();
    let mut padded = Vec::with_capacity(n + 2 * pad);
    for i in (1..=pad).rev() {
        padded.push(audio[i.min(n - 1)]);
    }
    padded.extend_from_slice(audio);
    for i in 0..pad {
        padded.push(audio[n.saturating_sub(2 + i)]);
    }
    let frames = n / HOP;
    let window: Vec<f32> = (0..N_FFT)
        .map(|i| 0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / N_FFT as f32).cos())
        .collect();
    let fft = FftPlanner::<f32>::new().plan_fft_forward(N_FFT);
    let bins = filters.ncols();
    let fl: Vec<f32> = filters.iter().map(|&v| v as f32).collect();
    // The filters are triangles: only their non-zero span is summed.
    let spans: Vec<(usize, usize)> = (0..N_MELS)
        .map(|m| {
            let row = &fl[m * bins..(m + 1) * bins];
            let lo = row.iter().position(|&v| v != 0.0).unwrap_or(0);
            let hi = row.iter().rposition(|&v| v != 0.0).map_or(0, |i| i + 1);
            (lo, hi.max(lo))
        })
        .collect();
    let mut out = Array2::<f32>::zeros((N_MELS, frames));
    let mut buf = vec![Complex::new(0.0f32, 0.0); N_FFT];
    let mut power = vec![0.0f32; bins];
    for f in 0..frames {
        for i in 0..N_FFT {
            buf[i] = Complex::new(padded[f * HOP + i] * window[i], 0.0);
        }
        fft.process(&mut buf);
        for k in 0..bins {
            power[k] = buf[k].norm_sqr();
        }
        for (m, &(lo, hi)) in spans.iter().enumerate() {
            let acc: f32 = (lo..hi).map(|k| fl[m * bins + k] * power[k]).sum();
            out[[m, f]] = acc.max(1e-10).log10();
        }
    }
    let max = out.iter().copied().fold(f32::MIN, f32::max);
    out.mapv_inplace(|v| (v.max(max - 8.0) + 4.0) / 4.0);
    out
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (model, dir) = match &args[..] {
        [_, m, d] => (m, d),
        _ => return Err(anyhow!("usage: ct2rs-probe CT2_MODEL_DIR BENCH_DIR")),
    };
    let threads: usize = env("THREADS", 2);
    let beam: usize = env("BEAM", 1);
    let repeats: usize = env("REPEATS", 3).max(1);
    let compute_type = match std::env::var("CT").as_deref() {
        Ok("float32") => ComputeType::FLOAT32,
        _ => ComputeType::INT8,
    };
    let t = Instant::now();
    let config = Config {
        compute_type,
        num_threads_per_replica: threads,
        ..Default::default()
    };
    let whisper = Whisper::new(model, config)?;
    let tok = hf::Tokenizer::new(model)?;
    println!(
        "ct2rs probe: load {:.2} s; threads {threads}, beam {beam}, {compute_type:?}",
        t.elapsed().as_secs_f64()
    );
    let filters = mel_spec::mel::mel(16000.0, N_FFT, N_MELS, None, None, false, true);
    let question = std::fs::read_to_string(format!("{dir}/prompt.txt"))?;
    let mut prompt_tokens = tok.encode(&format!(" {}", question.trim()))?;
    // The tokenizer's post-processor adds <|startoftranscript|> … <|endoftext|>.
    prompt_tokens.retain(|t| !t.starts_with("<|"));
    let opts = WhisperOptions {
        beam_size: beam,
        suppress_blank: true,
        return_scores: true,
        ..Default::default()
    };
    println!("   length   median s   min s    max s    (whisper.cpp-free: mel + CTranslate2)");
    for secs in [5usize, 30, 60] {
        let audio = load(&format!("{dir}/answer_{secs}s.wav"))?;
        let mut times = Vec::new();
        let mut heard = String::new();
        // One untimed warm-up run, as both benches do.
        for run in 0..=repeats {
            let t = Instant::now();
            let mut padded = audio.clone();
            padded.extend(std::iter::repeat_n(0.0, HOP));
            let mel = whisper_mel(&padded, &filters);
            let mut previous = prompt_tokens.clone();
            let mut text = String::new();
            for window in 0..audio.len().div_ceil(N_SAMPLES) {
                let mut feats = Array2::<f32>::zeros((N_MELS, FRAMES));
                let from = window * FRAMES;
                let to = (from + FRAMES).min(mel.ncols());
                feats
                    .slice_mut(s![.., ..to - from])
                    .assign(&mel.slice(s![.., from..to]));
                let mut feats: Vec<f32> = feats.iter().copied().collect();
                let features =
                    StorageView::new(&[1, N_MELS, FRAMES], &mut feats, Default::default())?;
                let keep = previous.len().saturating_sub(223);
                let mut prompt: Vec<String> = vec!["<|startofprev|>".into()];
                prompt.extend(previous[keep..].iter().cloned());
                prompt.push("<|startoftranscript|>".into());
                prompt.push("<|notimestamps|>".into());
                let mut tokens = Vec::new();
                for temperature in [0.0f32, 0.2, 0.4, 0.6, 0.8, 1.0] {
                    let o = if temperature == 0.0 {
                        opts.clone()
                    } else {
                        WhisperOptions {
                            beam_size: 1,
                            sampling_topk: 0,
                            sampling_temperature: temperature,
                            ..opts.clone()
                        }
                    };
                    let r = whisper
                        .generate(&features, &[prompt.clone()], &o)?
                        .into_iter()
                        .next()
                        .ok_or_else(|| anyhow!("no result"))?;
                    let score = r.scores.first().copied().unwrap_or(0.0);
                    let sequence = r.sequences.into_iter().next().unwrap_or_default();
                    // The generated tokens alone (with the 4.8.4 headers ct2rs vendors and a
                    // 4.8.5 library, the result also repeated the prompt: an ABI mismatch,
                    // hence the pinned 4.8.4 runtime).
                    tokens = sequence
                        .into_iter()
                        .filter(|t| !t.starts_with("<|"))
                        .collect();
                    let n = tokens.len() as f32;
                    let avg_logprob = score * n / (n + 1.0);
                    let candidate = tok.decode(tokens.clone())?;
                    let mut z = flate2::write::ZlibEncoder::new(
                        Vec::new(),
                        flate2::Compression::default(),
                    );
                    std::io::Write::write_all(&mut z, candidate.as_bytes())?;
                    let ratio = candidate.len() as f32 / z.finish()?.len().max(1) as f32;
                    if ratio <= 2.4 && avg_logprob >= -1.0 {
                        break;
                    }
                }
                text.push_str(&tok.decode(tokens.clone())?);
                previous.extend(tokens);
            }
            if run == 0 {
                heard = text.trim().to_string();
            } else {
                times.push(t.elapsed().as_secs_f64());
            }
        }
        times.sort_by(f64::total_cmp);
        println!(
            "   {secs:>3} s   {:>8.3}  {:>7.3}  {:>7.3}",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1]
        );
        std::fs::write(format!("{dir}/ct2rs_{secs}s.txt"), &heard)?;
    }
    Ok(())
}
