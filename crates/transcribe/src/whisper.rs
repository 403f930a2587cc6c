//! whisper.cpp through whisper-rs.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};

use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

use crate::{TranscribeError, Transcriber, Transcript, SAMPLE_RATE};

/// Encoder frames per second of audio (whisper: 1500 frames for 30 s).
const FRAMES_PER_SECOND: f64 = 50.0;

/// whisper.cpp refuses input shorter than one second; shorter audio is padded with silence.
const MIN_SAMPLES: usize = SAMPLE_RATE + SAMPLE_RATE / 20;

#[derive(Debug, Clone)]
pub struct WhisperConfig {
    pub model: PathBuf,
    /// CPU threads for one transcription.
    pub threads: usize,
    /// Beam width of passes kept for good (whole files, live commits); 1 is greedy
    /// decoding. Live partials are always greedy.
    pub beam_size: usize,
    /// Beam width of the pass someone waits for: the tail of a live answer after it ended
    /// (see [`Transcriber::transcribe_tail`]). Greedy by default: on this project's 2-core
    /// reference machine it takes about two thirds of beam 5's time (1.0 s against 1.5 s
    /// for 3.5 s of speech), and the tail is usually one sentence, the rest of the answer
    /// having been committed with the full beam during the answer.
    pub tail_beam_size: usize,
    /// Encode short audio with a reduced audio context (much faster; see `audio_ctx`).
    pub reduce_audio_context: bool,
    /// whisper.cpp's flash attention (CPU kernels too).
    pub flash_attention: bool,
    /// The spoken language, an ISO 639-1 code ("en"); see [`Transcriber::set_language`].
    pub language: String,
    /// whisper.cpp's temperature fallback: a pass whose text looks like a loop or too
    /// unlikely is decoded again at rising temperatures (0.2, 0.4, …). On by default,
    /// as in whisper.cpp.
    pub temperature_fallback: bool,
}

impl WhisperConfig {
    pub fn new(model: impl Into<PathBuf>) -> Self {
        Self {
            model: model.into(),
            threads: 2,
            beam_size: 5,
            tail_beam_size: 1,
            reduce_audio_context: true,
            flash_attention: false,
            language: "en".into(),
            temperature_fallback: true,
        }
    }
}

/// A loaded whisper model with its decoding state.
pub struct WhisperTranscriber {
    config: WhisperConfig,
    multilingual: bool,
    interrupt: Option<Arc<AtomicBool>>,
    // The state borrows nothing from the context in whisper-rs (it holds an Arc).
    state: WhisperState,
    _context: WhisperContext,
}

static LOGGING: Once = Once::new();

impl WhisperTranscriber {
    pub fn load(config: WhisperConfig) -> Result<Self, TranscribeError> {
        // whisper.cpp and ggml log to stderr by default; route them into `tracing`.
        LOGGING.call_once(whisper_rs::install_logging_hooks);
        let path = config.model.display().to_string();
        if !Path::new(&config.model).is_file() {
            return Err(TranscribeError::ModelMissing { path });
        }
        let invalid = |detail: String| TranscribeError::ModelInvalid {
            path: path.clone(),
            detail,
        };
        let mut params = WhisperContextParameters::default();
        params.flash_attn(config.flash_attention);
        let context =
            WhisperContext::new_with_params(&path, params).map_err(|e| invalid(e.to_string()))?;
        let state = context.create_state().map_err(|e| invalid(e.to_string()))?;
        let language = config.language.clone();
        let mut transcriber = Self {
            multilingual: context.is_multilingual(),
            config,
            interrupt: None,
            state,
            _context: context,
        };
        transcriber.set_language(&language)?;
        Ok(transcriber)
    }

    /// Whether the model hears other languages than English (`*.en` models do not).
    pub fn is_multilingual(&self) -> bool {
        self.multilingual
    }

    pub fn config(&self) -> &WhisperConfig {
        &self.config
    }
}

/// The encoder frames needed for `samples` of audio, with a margin, capped at the full
/// window. Whisper's encoder cost grows with this number.
pub fn audio_ctx(samples: usize) -> i32 {
    let seconds = samples as f64 / SAMPLE_RATE as f64;
    let frames = (seconds * FRAMES_PER_SECOND).ceil() as i32 + 64;
    // A multiple of 64 keeps ggml's kernels on their fast paths; below about five seconds
    // of context tiny.en tends to loop on what it hears.
    (((frames + 63) / 64) * 64).clamp(256, 1500)
}

impl Transcriber for WhisperTranscriber {
    fn transcribe(&mut self, audio: &[f32], prompt: &str) -> Result<Transcript, TranscribeError> {
        self.run(audio, prompt, self.config.beam_size, true)
    }

    fn transcribe_draft(
        &mut self,
        audio: &[f32],
        prompt: &str,
    ) -> Result<Transcript, TranscribeError> {
        self.run(audio, prompt, 1, true)
    }

    fn transcribe_tail(
        &mut self,
        audio: &[f32],
        prompt: &str,
    ) -> Result<Transcript, TranscribeError> {
        self.run(audio, prompt, self.config.tail_beam_size, false)
    }

    fn set_interrupt(&mut self, flag: Option<Arc<AtomicBool>>) {
        self.interrupt = flag;
    }

    fn set_language(&mut self, code: &str) -> Result<(), TranscribeError> {
        self.config.language = crate::checked_language(
            code,
            |c| whisper_rs::get_lang_id(c).is_some(),
            self.multilingual,
            &self.config.model,
        )?;
        Ok(())
    }
}

impl WhisperTranscriber {
    fn run(
        &mut self,
        audio: &[f32],
        prompt: &str,
        beam_size: usize,
        abortable: bool,
    ) -> Result<Transcript, TranscribeError> {
        let audio_seconds = audio.len() as f64 / SAMPLE_RATE as f64;
        if audio.is_empty() {
            return Ok(Transcript {
                text: String::new(),
                audio_seconds,
            });
        }
        let mut padded;
        let input = if audio.len() < MIN_SAMPLES {
            padded = audio.to_vec();
            padded.resize(MIN_SAMPLES, 0.0);
            &padded[..]
        } else {
            audio
        };
        let strategy = if beam_size > 1 {
            SamplingStrategy::BeamSearch {
                beam_size: beam_size as i32,
                patience: -1.0,
            }
        } else {
            SamplingStrategy::Greedy { best_of: 1 }
        };
        let mut params = FullParams::new(strategy);
        // Always a language, never auto-detection (`set_language` checked it).
        params.set_language(Some(&self.config.language));
        params.set_n_threads(self.config.threads.max(1) as i32);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_special(false);
        params.set_print_timestamps(false);
        params.set_no_context(true);
        params.set_suppress_blank(true);
        if !self.config.temperature_fallback {
            params.set_temperature_inc(0.0);
        }
        // Non-speech tokens ("[MUSIC]", "(laughs)") are never part of an answer.
        params.set_suppress_nst(true);
        // Chunks are at most 20 s, where decoding without timestamps is both faster and
        // more accurate for tiny.en (6.7 % against 11 % WER on the spoken test set); it also
        // stops the repeated-sentence hallucination seen with timestamps on short audio.
        params.set_no_timestamps(true);
        if self.config.reduce_audio_context {
            params.set_audio_ctx(audio_ctx(input.len()));
        }
        let prompt = crate::prompt::sanitise(prompt);
        if !prompt.is_empty() {
            params.set_initial_prompt(&prompt);
        }
        // Drafts and live commits can be abandoned midway (the answer ended: the tail's
        // pass takes their audio over); the tail's pass never is.
        let interrupt = if abortable {
            self.interrupt.clone()
        } else {
            None
        };
        if let Some(flag) = interrupt.clone() {
            if flag.load(Ordering::SeqCst) {
                return Err(TranscribeError::Interrupted);
            }
            params.set_abort_callback_safe(abort_requested);
        }
        let outcome = with_abort_flag(interrupt.clone(), || self.state.full(params, input));
        if interrupt.is_some_and(|f| f.load(Ordering::SeqCst)) {
            return Err(TranscribeError::Interrupted);
        }
        outcome.map_err(|e| TranscribeError::Failed(e.to_string()))?;
        let mut text = String::new();
        for segment in self.state.as_iter() {
            let part = segment
                .to_str_lossy()
                .map_err(|e| TranscribeError::Failed(e.to_string()))?;
            text.push_str(&part);
        }
        Ok(Transcript {
            text: crate::cleanup::collapse_repetition(&text),
            audio_seconds,
        })
    }
}

thread_local! {
    /// The interrupt flag of the pass running on this thread (whisper.cpp asks for it on
    /// the calling thread, after the encoder and after each decoder step).
    static ABORT: std::cell::RefCell<Option<Arc<AtomicBool>>> =
        const { std::cell::RefCell::new(None) };
}

/// whisper.cpp's abort callback. It captures nothing on purpose: whisper-rs 0.16's
/// `set_abort_callback_safe` hands its trampoline a pointer to a boxed trait object but
/// reads it as the closure itself, so a closure that captured the flag would read
/// unrelated memory (seen as drafts and final passes failing with error -6 at random).
/// A zero-sized closure reads nothing; the flag comes from this thread's slot instead.
fn abort_requested() -> bool {
    ABORT.with(|slot| {
        slot.borrow()
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::SeqCst))
    })
}

/// Runs `f` with `flag` as this thread's abort flag.
fn with_abort_flag<T>(flag: Option<Arc<AtomicBool>>, f: impl FnOnce() -> T) -> T {
    ABORT.with(|slot| *slot.borrow_mut() = flag);
    let out = f();
    ABORT.with(|slot| *slot.borrow_mut() = None);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audio_context_scales_with_length_and_caps_at_the_window() {
        assert_eq!(audio_ctx(SAMPLE_RATE * 5), 320);
        assert_eq!(audio_ctx(SAMPLE_RATE * 30), 1500);
        assert_eq!(audio_ctx(SAMPLE_RATE * 60), 1500);
        assert!(audio_ctx(100) >= 64);
    }

    #[test]
    fn the_abort_callback_reads_this_threads_flag_only_while_a_pass_runs() {
        assert_eq!(std::mem::size_of_val(&abort_requested), 0);
        let flag = Arc::new(AtomicBool::new(false));
        assert!(!with_abort_flag(Some(flag.clone()), abort_requested));
        flag.store(true, Ordering::SeqCst);
        assert!(with_abort_flag(Some(flag.clone()), abort_requested));
        let other = std::thread::spawn(abort_requested).join().unwrap_or(true);
        assert!(!other, "another thread's pass is not aborted");
        assert!(!abort_requested(), "the slot is cleared after the pass");
    }
}
