//! CTranslate2 (the engine of faster-whisper) through ct2rs, linking the prebuilt
//! CTranslate2 4.8.4 runtime of the PyPI wheel (Intel MKL inside; `models/fetch-ct2-runtime.sh`).
//! Only with the `ct2` feature. On this project's 2-core machine it transcribes the bench's
//! 30 and 60 s answers as fast as faster-whisper int8 and 3–5× faster than whisper.cpp
//! (figures in this crate's README).
//!
//! It decodes like faster-whisper: whisper's log-mel computed here, 30 s windows in turn,
//! the prompt and the text so far as `<|startofprev|>` context (its last 223 tokens), no
//! timestamps, and a pass whose text compresses too well (a loop) or is too unlikely is
//! decoded again at rising temperatures.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use ct2rs::sys::{StorageView, Whisper};
use ct2rs::tokenizers::hf;
use ct2rs::{ComputeType, Config, Tokenizer, WhisperOptions};
use rustfft::num_complex::Complex;
use rustfft::{Fft, FftPlanner};

use crate::{TranscribeError, Transcriber, Transcript, SAMPLE_RATE};

const N_FFT: usize = 400;
const HOP: usize = 160;
/// One window: 30 s of audio, 3000 mel frames.
const WINDOW_SAMPLES: usize = 30 * SAMPLE_RATE;
const WINDOW_FRAMES: usize = WINDOW_SAMPLES / HOP;
/// The least context a reduced window is encoded with: 15 s. Measured on the test sets
/// (debug tests; WER of tiny.en-ct2 / base-ct2 at least 5, 10, 15 s and the full 30 s):
/// real speech 6.3/7.6, 3.6/3.6, 3.6/3.1, 4.5/3.6 % (at 5 s tiny.en loses a whole clip);
/// espeak set -, 7.7/8.3, 7.7/5.8, 9.0/14.1 %; lobby babble .277/.255, .319/.191,
/// .319/.170, .255/.234. Padding a short answer to 30 s made base hear sentences twice.
const MIN_CONTEXT_FRAMES: usize = 1500;
/// Context tokens before `<|startoftranscript|>`: half the decoder's 448, minus one.
const MAX_CONTEXT_TOKENS: usize = 223;
/// Longest input one call takes (a whole answer is cut into ≤ 20 s chunks before this).
const MAX_SECONDS: usize = 600;
/// faster-whisper's fallback thresholds and temperatures.
const COMPRESSION_RATIO_THRESHOLD: f32 = 2.4;
const LOG_PROB_THRESHOLD: f32 = -1.0;
const TEMPERATURES: [f32; 6] = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];

#[derive(Debug, Clone)]
pub struct Ct2Config {
    /// A CTranslate2 model folder (`model.bin`, `config.json`, `tokenizer.json`), as
    /// `models/fetch-model.sh tiny.en-ct2` places it.
    pub model: PathBuf,
    pub threads: usize,
    /// Beam of passes kept for good; 1 is greedy. Live partials are always greedy.
    pub beam_size: usize,
    /// Beam of the pass someone waits for (see [`Transcriber::transcribe_tail`]).
    pub tail_beam_size: usize,
    /// Weights are quantised to int8 on load (faster-whisper's `compute_type="int8"`).
    pub int8: bool,
    pub language: String,
    pub temperature_fallback: bool,
    /// Encode audio shorter than a window with a reduced context (the frames it needs and
    /// a margin, as [`crate::whisper::audio_ctx`] counts them for whisper.cpp, but at
    /// least 15 s: `MIN_CONTEXT_FRAMES`) instead of padding it to 30 s: CTranslate2's
    /// encoder takes fewer frames, and its cost falls with them. Off, every window is
    /// 30 s, as faster-whisper encodes.
    pub reduce_audio_context: bool,
}

impl Ct2Config {
    pub fn new(model: impl Into<PathBuf>) -> Self {
        Self {
            model: model.into(),
            threads: 2,
            beam_size: 5,
            tail_beam_size: 1,
            int8: true,
            language: "en".into(),
            temperature_fallback: true,
            reduce_audio_context: true,
        }
    }
}

/// A loaded CTranslate2 Whisper model.
pub struct Ct2Transcriber {
    config: Ct2Config,
    whisper: Whisper,
    tokenizer: hf::Tokenizer,
    mel: LogMel,
    multilingual: bool,
    interrupt: Option<Arc<AtomicBool>>,
}

impl Ct2Transcriber {
    pub fn load(config: Ct2Config) -> Result<Self, TranscribeError> {
        let path = config.model.display().to_string();
        if !panelist_settings::models::is_ct2_folder(&config.model) {
            return Err(TranscribeError::ModelMissing { path });
        }
        let invalid = |detail: String| TranscribeError::ModelInvalid {
            path: path.clone(),
            detail,
        };
        let ct2_config = Config {
            compute_type: if config.int8 {
                ComputeType::INT8
            } else {
                ComputeType::FLOAT32
            },
            num_threads_per_replica: config.threads.max(1),
            ..Default::default()
        };
        let whisper =
            Whisper::new(&config.model, ct2_config).map_err(|e| invalid(e.to_string()))?;
        let tokenizer = hf::Tokenizer::new(&config.model).map_err(|e| invalid(e.to_string()))?;
        let mel = LogMel::new(whisper.n_mels());
        let language = config.language.clone();
        let mut transcriber = Self {
            multilingual: whisper.is_multilingual(),
            config,
            whisper,
            tokenizer,
            mel,
            interrupt: None,
        };
        transcriber.set_language(&language)?;
        Ok(transcriber)
    }

    pub fn is_multilingual(&self) -> bool {
        self.multilingual
    }

    pub fn config(&self) -> &Ct2Config {
        &self.config
    }

    fn interrupted(&self, abortable: bool) -> bool {
        abortable
            && self
                .interrupt
                .as_ref()
                .is_some_and(|f| f.load(Ordering::SeqCst))
    }

    /// Token strings of `text` without the special tokens the tokenizer's
    /// post-processor adds.
    fn tokens(&self, text: &str) -> Result<Vec<String>, TranscribeError> {
        let mut tokens = self
            .tokenizer
            .encode(text)
            .map_err(|e| TranscribeError::Failed(e.to_string()))?;
        tokens.retain(|t| !t.starts_with("<|"));
        Ok(tokens)
    }

    /// One pass over `audio`. `pass` says which: a draft is greedy and decoded once (no
    /// temperature fallback: its retries cost several decodes for text nobody keeps), and
    /// drafts and kept passes hear the interrupt between windows and between fallback
    /// attempts; the tail's pass is never interrupted.
    fn run(
        &mut self,
        audio: &[f32],
        prompt: &str,
        pass: Pass,
    ) -> Result<Transcript, TranscribeError> {
        let abortable = pass != Pass::Tail;
        let audio_seconds = audio.len() as f64 / SAMPLE_RATE as f64;
        if audio.len() > MAX_SECONDS * SAMPLE_RATE {
            return Err(TranscribeError::Failed(format!(
                "{audio_seconds:.0} s of audio in one pass (at most {MAX_SECONDS} s)"
            )));
        }
        if audio.is_empty() {
            return Ok(Transcript {
                text: String::new(),
                audio_seconds,
            });
        }
        if self.interrupted(abortable) {
            return Err(TranscribeError::Interrupted);
        }
        let prompt = crate::prompt::sanitise(prompt);
        let mut context = if prompt.is_empty() {
            Vec::new()
        } else {
            self.tokens(&format!(" {prompt}"))?
        };
        let mut start = vec!["<|startoftranscript|>".to_string()];
        if self.multilingual {
            start.push(format!("<|{}|>", self.config.language));
            start.push("<|transcribe|>".into());
        }
        start.push("<|notimestamps|>".into());
        let mel = self.mel.compute(audio);
        let mut texts: Vec<String> = Vec::new();
        // Windows over the audio itself (the mel has one more frame, from the padding).
        for w in 0..audio.len().div_ceil(WINDOW_SAMPLES) {
            // CTranslate2 cannot stop a pass midway: the flag is heard between windows.
            if self.interrupted(abortable) {
                return Err(TranscribeError::Interrupted);
            }
            let heard = (audio.len() - w * WINDOW_SAMPLES).min(WINDOW_SAMPLES);
            let frames = context_frames(heard, self.config.reduce_audio_context);
            let window = self.mel.window(&mel, w * WINDOW_FRAMES, frames);
            let tokens = self.decode_window(window, frames, &context, &start, pass)?;
            texts.push(self.decode_text(&tokens)?);
            context.extend(tokens);
        }
        if self.interrupted(abortable) {
            return Err(TranscribeError::Interrupted);
        }
        let text = texts.join("").trim().to_string();
        Ok(Transcript {
            text: crate::cleanup::collapse_repetition(&text),
            audio_seconds,
        })
    }

    fn decode_text(&self, tokens: &[String]) -> Result<String, TranscribeError> {
        self.tokenizer
            .decode(tokens.to_vec())
            .map_err(|e| TranscribeError::Failed(e.to_string()))
    }

    /// One 30 s window, with faster-whisper's temperature fallback (not for drafts).
    fn decode_window(
        &self,
        mut window: Vec<f32>,
        frames: usize,
        context: &[String],
        start: &[String],
        pass: Pass,
    ) -> Result<Vec<String>, TranscribeError> {
        let beam_size = match pass {
            Pass::Kept => self.config.beam_size,
            Pass::Draft => 1,
            Pass::Tail => self.config.tail_beam_size,
        };
        let features = StorageView::new(
            &[1, self.mel.n_mels, frames],
            &mut window,
            Default::default(),
        )
        .map_err(failed)?;
        // Encoded once: every fallback attempt decodes from the same encoder output, as
        // faster-whisper does (`generate` takes either the features or their encoding).
        let encoded = self.whisper.encode(&features, false).map_err(failed)?;
        let mut prompt: Vec<String> = Vec::new();
        if !context.is_empty() {
            prompt.push("<|startofprev|>".into());
            prompt.extend_from_slice(&context[context.len().saturating_sub(MAX_CONTEXT_TOKENS)..]);
        }
        prompt.extend_from_slice(start);
        let greedy = WhisperOptions {
            beam_size: beam_size.max(1),
            suppress_blank: true,
            return_scores: true,
            ..Default::default()
        };
        let temperatures: &[f32] = if self.config.temperature_fallback && pass != Pass::Draft {
            &TEMPERATURES
        } else {
            &TEMPERATURES[..1]
        };
        // Every attempt, with whether it compressed like speech and its log-probability:
        // when all fail, faster-whisper keeps the likeliest of those that are no loop (of
        // all, if every one loops), not the last, most random one.
        let mut attempts: Vec<(Vec<String>, bool, f32)> = Vec::new();
        for &temperature in temperatures {
            if temperature > 0.0 && self.interrupted(pass != Pass::Tail) {
                return Err(TranscribeError::Interrupted);
            }
            let options = if temperature == 0.0 {
                greedy.clone()
            } else {
                WhisperOptions {
                    beam_size: 1,
                    sampling_topk: 0,
                    sampling_temperature: temperature,
                    ..greedy.clone()
                }
            };
            let result = self
                .whisper
                .generate(&encoded, std::slice::from_ref(&prompt), &options)
                .map_err(failed)?
                .into_iter()
                .next()
                .ok_or_else(|| TranscribeError::Failed("CTranslate2 returned nothing".into()))?;
            let score = result.scores.first().copied().unwrap_or(0.0);
            let tokens: Vec<String> = result
                .sequences
                .into_iter()
                .next()
                .unwrap_or_default()
                .into_iter()
                .filter(|t| !t.starts_with("<|"))
                .collect();
            let n = tokens.len() as f32;
            // CTranslate2's score is the mean log-probability; faster-whisper divides the
            // sum by one more (the end token).
            let avg_logprob = score * n / (n + 1.0);
            let text = self.decode_text(&tokens)?;
            let no_loop = compression_ratio(&text) <= COMPRESSION_RATIO_THRESHOLD;
            if no_loop && avg_logprob >= LOG_PROB_THRESHOLD {
                return Ok(tokens);
            }
            attempts.push((tokens, no_loop, avg_logprob));
        }
        let any_no_loop = attempts.iter().any(|(_, no_loop, _)| *no_loop);
        let tokens = attempts
            .into_iter()
            .filter(|(_, no_loop, _)| *no_loop || !any_no_loop)
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .map(|(tokens, _, _)| tokens)
            .unwrap_or_default();
        Ok(tokens)
    }
}

/// The mel frames a window holding `samples` of audio is encoded with (see
/// [`Ct2Config::reduce_audio_context`]).
fn context_frames(samples: usize, reduce: bool) -> usize {
    if !reduce {
        return WINDOW_FRAMES;
    }
    // Two mel frames per encoder position.
    (2 * crate::whisper::audio_ctx(samples) as usize).clamp(MIN_CONTEXT_FRAMES, WINDOW_FRAMES)
}

/// Which of the [`Transcriber`] passes a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Kept for good (`transcribe`): beam `beam_size`, fallback, interruptible.
    Kept,
    /// A live partial (`transcribe_draft`): greedy, no fallback, interruptible.
    Draft,
    /// The pass the candidate waits for (`transcribe_tail`): beam `tail_beam_size`,
    /// fallback, never interrupted.
    Tail,
}

fn failed(e: impl std::fmt::Display) -> TranscribeError {
    TranscribeError::Failed(e.to_string())
}

/// How well the text compresses (zlib): a decoder stuck in a loop compresses well.
fn compression_ratio(text: &str) -> f32 {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let compressed = z
        .write_all(text.as_bytes())
        .and_then(|()| z.finish())
        .map_or(1, |c| c.len());
    text.len() as f32 / compressed.max(1) as f32
}

impl Transcriber for Ct2Transcriber {
    fn transcribe(&mut self, audio: &[f32], prompt: &str) -> Result<Transcript, TranscribeError> {
        self.run(audio, prompt, Pass::Kept)
    }

    fn transcribe_draft(
        &mut self,
        audio: &[f32],
        prompt: &str,
    ) -> Result<Transcript, TranscribeError> {
        self.run(audio, prompt, Pass::Draft)
    }

    fn transcribe_tail(
        &mut self,
        audio: &[f32],
        prompt: &str,
    ) -> Result<Transcript, TranscribeError> {
        self.run(audio, prompt, Pass::Tail)
    }

    /// CTranslate2 always encodes whole 30 s windows: chunks fill them (a 30 s answer is
    /// one window, as in faster-whisper, not two).
    fn chunk_seconds(&self) -> f64 {
        WINDOW_SAMPLES as f64 / SAMPLE_RATE as f64
    }

    fn set_interrupt(&mut self, flag: Option<Arc<AtomicBool>>) {
        self.interrupt = flag;
    }

    fn set_language(&mut self, code: &str) -> Result<(), TranscribeError> {
        let tokenizer = &self.tokenizer;
        self.config.language = crate::checked_language(
            code,
            |c| tokenizer.token_to_id(&format!("<|{c}|>")).is_some(),
            self.multilingual,
            &self.config.model,
        )?;
        Ok(())
    }
}

/// Whisper's log-mel spectrogram (openai/whisper `audio.py`, as faster-whisper computes it):
/// centred STFT with reflect padding, periodic Hann window of 400, hop 160, power, slaney
/// mel filters, log10 clamped at 1e-10, floored at the maximum - 8, then (x + 4) / 4.
struct LogMel {
    n_mels: usize,
    /// `n_mels` rows of `N_FFT / 2 + 1` weights.
    filters: Vec<f32>,
    /// Each filter's non-zero span of frequency bins.
    spans: Vec<(usize, usize)>,
    window: Vec<f32>,
    fft: Arc<dyn Fft<f32>>,
}

impl LogMel {
    fn new(n_mels: usize) -> Self {
        let filters = mel_filters(SAMPLE_RATE as f64, N_FFT, n_mels);
        let bins = N_FFT / 2 + 1;
        let spans = filters
            .chunks(bins)
            .map(|row| {
                let lo = row.iter().position(|&v| v != 0.0).unwrap_or(0);
                let hi = row.iter().rposition(|&v| v != 0.0).map_or(lo, |i| i + 1);
                (lo, hi)
            })
            .collect();
        let window = (0..N_FFT)
            .map(|i| 0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / N_FFT as f32).cos())
            .collect();
        Self {
            n_mels,
            filters,
            spans,
            window,
            fft: FftPlanner::new().plan_fft_forward(N_FFT),
        }
    }

    /// `n_mels` rows of one value per 160 samples (faster-whisper pads 160 samples first).
    fn compute(&self, audio: &[f32]) -> Vec<f32> {
        let mut samples = audio.to_vec();
        samples.extend(std::iter::repeat_n(0.0, HOP));
        let n = samples.len();
        let pad = N_FFT / 2;
        let reflect = |i: isize| -> f32 {
            let last = n as isize - 1;
            let j = if i < 0 {
                -i
            } else if i > last {
                2 * last - i
            } else {
                i
            };
            samples[j.clamp(0, last) as usize]
        };
        let frames = n / HOP;
        let bins = N_FFT / 2 + 1;
        let mut out = vec![0.0f32; self.n_mels * frames];
        let mut buf = vec![Complex::new(0.0f32, 0.0); N_FFT];
        let mut power = vec![0.0f32; bins];
        for f in 0..frames {
            let origin = (f * HOP) as isize - pad as isize;
            for (i, b) in buf.iter_mut().enumerate() {
                *b = Complex::new(reflect(origin + i as isize) * self.window[i], 0.0);
            }
            self.fft.process(&mut buf);
            for (p, b) in power.iter_mut().zip(&buf) {
                *p = b.norm_sqr();
            }
            for (m, &(lo, hi)) in self.spans.iter().enumerate() {
                let row = &self.filters[m * bins..(m + 1) * bins];
                let energy: f32 = (lo..hi).map(|k| row[k] * power[k]).sum();
                out[m * frames + f] = energy.max(1e-10).log10();
            }
        }
        let max = out.iter().copied().fold(f32::MIN, f32::max);
        for v in &mut out {
            *v = (v.max(max - 8.0) + 4.0) / 4.0;
        }
        out
    }

    /// `width` frames from `from` (zero beyond the audio, as faster-whisper pads).
    fn window(&self, mel: &[f32], from: usize, width: usize) -> Vec<f32> {
        let frames = mel.len() / self.n_mels;
        let mut window = vec![0.0f32; self.n_mels * width];
        let to = (from + width).min(frames);
        for m in 0..self.n_mels {
            if from < to {
                window[m * width..m * width + (to - from)]
                    .copy_from_slice(&mel[m * frames + from..m * frames + to]);
            }
        }
        window
    }
}

/// librosa's slaney-scale mel filterbank with slaney area normalisation (what whisper's
/// `mel_filters.npz` and faster-whisper's `get_mel_filters` hold).
fn mel_filters(sample_rate: f64, n_fft: usize, n_mels: usize) -> Vec<f32> {
    const F_SP: f64 = 200.0 / 3.0;
    const MIN_LOG_HZ: f64 = 1000.0;
    let min_log_mel = MIN_LOG_HZ / F_SP;
    let logstep = 6.4f64.ln() / 27.0;
    let hz_to_mel = |f: f64| {
        if f >= MIN_LOG_HZ {
            min_log_mel + (f / MIN_LOG_HZ).ln() / logstep
        } else {
            f / F_SP
        }
    };
    let mel_to_hz = |m: f64| {
        if m >= min_log_mel {
            MIN_LOG_HZ * (logstep * (m - min_log_mel)).exp()
        } else {
            F_SP * m
        }
    };
    let bins = n_fft / 2 + 1;
    let top = hz_to_mel(sample_rate / 2.0);
    let points: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(top * i as f64 / (n_mels + 1) as f64))
        .collect();
    let mut filters = vec![0.0f32; n_mels * bins];
    for m in 0..n_mels {
        let (lo, mid, hi) = (points[m], points[m + 1], points[m + 2]);
        let norm = 2.0 / (hi - lo);
        for k in 0..bins {
            let f = k as f64 * sample_rate / n_fft as f64;
            let w = ((f - lo) / (mid - lo)).min((hi - f) / (hi - mid)).max(0.0);
            filters[m * bins + k] = (w * norm) as f32;
        }
    }
    filters
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mel_filters_match_faster_whispers() {
        // Reference values printed by faster_whisper.FeatureExtractor.get_mel_filters(16000, 400, 80).
        let f = mel_filters(16000.0, 400, 80);
        for (m, k, want) in [
            (0, 1, 0.024862593984176087),
            (40, 43, 0.01473556574143909),
            (79, 190, 0.0022320550527126157),
            (40, 60, 0.0),
        ] {
            let got = f64::from(f[m * 201 + k]);
            assert!(
                (got - want).abs() < 1e-6,
                "filter {m} bin {k}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn a_loop_compresses_better_than_speech() {
        let speech = "I used cross-validation to check that the model generalizes to unseen data.";
        let looped = "and found the feature ".repeat(12);
        assert!(compression_ratio(speech) < COMPRESSION_RATIO_THRESHOLD);
        assert!(compression_ratio(&looped) > COMPRESSION_RATIO_THRESHOLD);
    }

    #[test]
    fn the_log_mel_has_one_frame_per_hop_and_pads_windows_with_zeros() {
        let mel = LogMel::new(80);
        let tone: Vec<f32> = (0..SAMPLE_RATE)
            .map(|i| (i as f32 * 440.0 * 2.0 * std::f32::consts::PI / SAMPLE_RATE as f32).sin())
            .collect();
        let m = mel.compute(&tone);
        let frames = m.len() / 80;
        assert_eq!(frames, (SAMPLE_RATE + HOP) / HOP);
        assert!(m.iter().all(|v| v.is_finite()));
        let w = mel.window(&m, 0, WINDOW_FRAMES);
        assert_eq!(w.len(), 80 * WINDOW_FRAMES);
        assert_eq!(w[WINDOW_FRAMES - 1], 0.0);
        assert_eq!(w[0], m[0]);
        // A reduced window: each mel row is `width` long, the audio's frames then zeros.
        let width = MIN_CONTEXT_FRAMES;
        let r = mel.window(&m, 0, width);
        assert_eq!(r.len(), 80 * width);
        assert_eq!(r[width + 5], m[frames + 5], "row 1 starts at `width`");
        assert_eq!(r[width - 1], 0.0);
    }

    #[test]
    fn short_audio_is_encoded_with_at_least_fifteen_seconds_of_context() {
        assert_eq!(context_frames(SAMPLE_RATE, true), MIN_CONTEXT_FRAMES);
        assert_eq!(context_frames(SAMPLE_RATE * 10, true), MIN_CONTEXT_FRAMES);
        // 20 s: 1000 positions and the margin, rounded up to 64: 1088, two frames each.
        assert_eq!(context_frames(SAMPLE_RATE * 20, true), 2176);
        assert!(
            context_frames(SAMPLE_RATE * 15, true) > MIN_CONTEXT_FRAMES,
            "15 s + margin"
        );
        assert_eq!(context_frames(SAMPLE_RATE * 30, true), WINDOW_FRAMES);
        assert_eq!(context_frames(SAMPLE_RATE, false), WINDOW_FRAMES);
    }
}
