//! Voice activity: which 16 ms frames of an answer hold the candidate's speech.
//!
//! A fixed loudness threshold cannot tell a voice from a lobby: with background noise no
//! frame is ever quiet, and no pause is ever found. [`SpeechTrack`] asks a voice-activity
//! model (the [`VoiceActivity`] seam; [`EarshotVad`], a small pure-Rust network, by
//! default) whether a frame sounds like a voice, and then keeps only voices as loud as the
//! candidate's: people talking further away in the lobby are voices too, but quieter than
//! the person at the microphone. Decisions are made once per frame as audio arrives, so a
//! live answer pays for each frame once.

use std::ops::Range;

use crate::SAMPLE_RATE;

/// Samples in one frame: 16 ms at 16 kHz, the size the VAD model takes.
pub const FRAME: usize = 256;

/// Seconds of audio in one frame.
pub const FRAME_SECONDS: f64 = FRAME as f64 / SAMPLE_RATE as f64;

/// Scores a frame: how likely it is to hold a voice, in [0, 1].
pub trait VoiceActivity: Send {
    /// `frame` holds exactly [`FRAME`] samples in [-1, 1] at 16 kHz.
    fn voice_probability(&mut self, frame: &[f32]) -> f32;
}

/// The `earshot` model: about 8 KiB of state and thousands of times faster than real time.
pub struct EarshotVad {
    detector: Box<earshot::Detector>,
    clamped: Vec<f32>,
}

impl EarshotVad {
    pub fn new() -> Self {
        Self {
            detector: earshot::Detector::default_boxed(),
            clamped: vec![0.0; FRAME],
        }
    }
}

impl Default for EarshotVad {
    fn default() -> Self {
        Self::new()
    }
}

impl VoiceActivity for EarshotVad {
    fn voice_probability(&mut self, frame: &[f32]) -> f32 {
        if frame.len() != FRAME {
            return 0.0;
        }
        // The model expects [-1, 1]; a clipped or badly scaled device must not upset it.
        for (out, s) in self.clamped.iter_mut().zip(frame) {
            *out = if s.is_finite() {
                s.clamp(-1.0, 1.0)
            } else {
                0.0
            };
        }
        self.detector.predict_f32(&self.clamped).clamp(0.0, 1.0)
    }
}

/// A voice is the candidate's only when the model is at least this sure.
const VOICE_PROBABILITY: f32 = 0.5;

/// Frames quieter than this are never speech (a silent room through a kiosk microphone).
const FLOOR_DBFS: f32 = -60.0;

/// A voiced frame this far below the candidate's usual loudness is someone else (babble
/// from the lobby), not the candidate. Speech varies by about this much between syllables
/// and consonants; babble 10 dB below the voice mostly falls under it.
const BELOW_CANDIDATE_DB: f32 = 8.0;

/// The candidate's loudness is the 90th percentile of voiced frames over this window.
const LEVEL_WINDOW_FRAMES: usize = 625; // 10 s
const LEVEL_MIN_FRAMES: usize = 20;

/// Audio kept before the first and after the last speech found in a span.
pub const LEAD_MARGIN_SECONDS: f64 = 0.8;
pub const TRAIL_MARGIN_SECONDS: f64 = 0.6;

fn seconds_to_samples(seconds: f64) -> usize {
    // Small constants: the cast cannot truncate.
    (seconds * SAMPLE_RATE as f64) as usize
}

/// Runs of speech shorter than this are clicks, coughs or a burst of noise.
const MIN_RUN_FRAMES: usize = 3;

/// Speech decisions for a growing stream of audio, one per whole frame.
pub struct SpeechTrack {
    vad: Box<dyn VoiceActivity>,
    pending: Vec<f32>,
    speech: Vec<bool>,
    voiced_levels: std::collections::VecDeque<f32>,
    candidate_level: Option<f32>,
    /// How far below the candidate's loudness a voice is someone else; `None` keeps every
    /// voice (measurement only: `examples/babble_levers.rs`).
    below_candidate_db: Option<f32>,
}

impl SpeechTrack {
    pub fn new(vad: Box<dyn VoiceActivity>) -> Self {
        Self {
            vad,
            pending: Vec::with_capacity(FRAME),
            speech: Vec::new(),
            voiced_levels: std::collections::VecDeque::with_capacity(LEVEL_WINDOW_FRAMES),
            candidate_level: None,
            below_candidate_db: Some(BELOW_CANDIDATE_DB),
        }
    }

    /// The same track without the gate that sets quieter voices aside: every voiced frame
    /// above the floor is the candidate's (to measure what the gate does).
    pub fn without_babble_gate(mut self) -> Self {
        self.below_candidate_db = None;
        self
    }

    /// A track over the default model.
    pub fn earshot() -> Self {
        Self::new(Box::new(EarshotVad::new()))
    }

    /// Decides every whole frame in `samples` (a partial frame waits for the next call).
    pub fn push(&mut self, samples: &[f32]) {
        let mut rest = samples;
        while !rest.is_empty() {
            let take = (FRAME - self.pending.len()).min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.pending.len() == FRAME {
                let frame = std::mem::take(&mut self.pending);
                let decision = self.decide(&frame);
                self.speech.push(decision);
                self.pending = frame;
                self.pending.clear();
            }
        }
    }

    fn decide(&mut self, frame: &[f32]) -> bool {
        let level = dbfs(frame);
        let voiced = self.vad.voice_probability(frame) >= VOICE_PROBABILITY;
        if !voiced || level < FLOOR_DBFS {
            return false;
        }
        if self.voiced_levels.len() == LEVEL_WINDOW_FRAMES {
            self.voiced_levels.pop_front();
        }
        self.voiced_levels.push_back(level);
        // Refreshed every 8 voiced frames: sorting 625 numbers per frame is needless.
        if self.voiced_levels.len() >= LEVEL_MIN_FRAMES
            && self.voiced_levels.len().is_multiple_of(8)
            || self.candidate_level.is_none() && self.voiced_levels.len() >= LEVEL_MIN_FRAMES
        {
            let mut sorted: Vec<f32> = self.voiced_levels.iter().copied().collect();
            sorted.sort_by(f32::total_cmp);
            self.candidate_level = Some(sorted[sorted.len() * 9 / 10]);
        }
        match (self.candidate_level, self.below_candidate_db) {
            (Some(candidate), Some(below)) => level >= candidate - below,
            _ => true,
        }
    }

    /// Whole frames decided so far.
    pub fn frames(&self) -> usize {
        self.speech.len()
    }

    /// Samples covered by decided frames.
    pub fn samples(&self) -> usize {
        self.speech.len() * FRAME
    }

    /// The frames of `samples` (a sample range), clipped to what is decided.
    fn frame_range(&self, samples: Range<usize>) -> Range<usize> {
        let start = (samples.start / FRAME).min(self.speech.len());
        let end = samples.end.div_ceil(FRAME).min(self.speech.len());
        start..end.max(start)
    }

    /// Runs of speech frames (as frame ranges) inside `frames`, short runs dropped.
    fn runs(&self, frames: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
        let flags = &self.speech[frames.clone()];
        let offset = frames.start;
        let mut i = 0;
        std::iter::from_fn(move || {
            while i < flags.len() {
                if !flags[i] {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < flags.len() && flags[i] {
                    i += 1;
                }
                if i - start >= MIN_RUN_FRAMES {
                    return Some(offset + start..offset + i);
                }
            }
            None
        })
    }

    /// Seconds of speech in the sample range `samples`.
    pub fn speech_seconds(&self, samples: Range<usize>) -> f64 {
        let frames: usize = self.runs(self.frame_range(samples)).map(|r| r.len()).sum();
        frames as f64 * FRAME_SECONDS
    }

    /// Whether `samples` holds any speech (whisper invents words for silence and noise,
    /// so spans without speech are never sent to it).
    pub fn has_speech(&self, samples: Range<usize>) -> bool {
        self.runs(self.frame_range(samples)).next().is_some()
    }

    /// The sample range from the first to the last speech in `samples`, widened by
    /// `margin` samples each side (within `samples`): what is worth transcribing.
    pub fn speech_bounds(
        &self,
        samples: Range<usize>,
        lead: usize,
        trail: usize,
    ) -> Option<Range<usize>> {
        let mut runs = self.runs(self.frame_range(samples.clone()));
        let first = runs.next()?;
        let last = runs.last().unwrap_or_else(|| first.clone());
        let start = (first.start * FRAME)
            .saturating_sub(lead)
            .max(samples.start);
        let end = (last.end * FRAME + trail).min(samples.end);
        (start < end).then_some(start..end)
    }

    /// The speech inside `samples` with the margins that keep words whole: the gate
    /// that sets lobby voices aside also misses the candidate's softest sounds, often
    /// the first word of a sentence ("Then …") and the last consonants.
    pub fn speech_span(&self, samples: Range<usize>) -> Option<Range<usize>> {
        self.speech_bounds(
            samples,
            seconds_to_samples(LEAD_MARGIN_SECONDS),
            seconds_to_samples(TRAIL_MARGIN_SECONDS),
        )
    }

    /// Samples without speech at the end of what is decided.
    pub fn trailing_silence(&self) -> usize {
        let last_speech = self
            .runs(0..self.speech.len())
            .last()
            .map(|r| r.end)
            .unwrap_or(0);
        (self.speech.len() - last_speech) * FRAME
    }

    /// Whether the candidate has said anything yet.
    pub fn spoken(&self) -> bool {
        self.runs(0..self.speech.len()).next().is_some()
    }
}

/// Loudness of a frame in dBFS.
pub fn dbfs(frame: &[f32]) -> f32 {
    let energy = frame.iter().map(|s| s * s).sum::<f32>() / frame.len().max(1) as f32;
    10.0 * energy.max(1e-12).log10()
}

/// Speech decisions for a whole recording at once.
pub fn track(audio: &[f32]) -> SpeechTrack {
    let mut t = SpeechTrack::earshot();
    t.push(audio);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model that hears a voice in every loud frame: the rules around it are tested here,
    /// the real model in `tests/vad.rs`.
    struct Loud;
    impl VoiceActivity for Loud {
        fn voice_probability(&mut self, frame: &[f32]) -> f32 {
            if dbfs(frame) > -40.0 {
                1.0
            } else {
                0.0
            }
        }
    }

    fn tone(frames: usize, amplitude: f32) -> Vec<f32> {
        (0..frames * FRAME)
            .map(|i| amplitude * ((i as f32) * 0.05).sin())
            .collect()
    }

    #[test]
    fn short_bursts_are_not_speech_and_silence_is_counted_from_the_last_run() {
        let mut t = SpeechTrack::new(Box::new(Loud));
        t.push(&tone(10, 0.0));
        t.push(&tone(2, 0.3)); // a click: 32 ms
        t.push(&tone(10, 0.0));
        assert!(!t.spoken());
        assert!(!t.has_speech(0..t.samples()));
        t.push(&tone(20, 0.3));
        t.push(&tone(25, 0.0));
        assert!(t.spoken());
        assert_eq!(t.trailing_silence(), 25 * FRAME);
        let bounds = t.speech_bounds(0..t.samples(), 0, 0).expect("speech");
        assert_eq!(bounds, 22 * FRAME..42 * FRAME);
        assert!((t.speech_seconds(0..t.samples()) - 20.0 * FRAME_SECONDS).abs() < 1e-9);
    }

    #[test]
    fn quieter_voices_than_the_candidate_are_not_the_candidate() {
        let mut t = SpeechTrack::new(Box::new(Loud));
        t.push(&tone(100, 0.3)); // the candidate, about -13 dBFS
        let before = t.frames();
        t.push(&tone(50, 0.05)); // a voice 15 dB quieter
        assert!(!t.has_speech(before * FRAME..t.samples()));
        assert_eq!(t.trailing_silence(), 50 * FRAME);

        let mut ungated = SpeechTrack::new(Box::new(Loud)).without_babble_gate();
        ungated.push(&tone(100, 0.3));
        ungated.push(&tone(50, 0.05));
        assert!(ungated.has_speech(before * FRAME..ungated.samples()));
    }

    #[test]
    fn partial_frames_wait_and_odd_input_is_safe() {
        let mut t = SpeechTrack::new(Box::new(EarshotVad::new()));
        t.push(&[0.0; 100]);
        assert_eq!(t.frames(), 0);
        t.push(&[0.0; 200]);
        assert_eq!(t.frames(), 1);
        t.push(&[f32::NAN, 5.0, -7.0, f32::INFINITY]);
        t.push(&vec![2.0; FRAME * 2]);
        assert_eq!(t.frames(), 3);
        assert!(t.speech_bounds(0..0, 10, 10).is_none());
    }
}
