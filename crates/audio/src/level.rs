//! Signal levels: RMS and peak in dBFS, the live meter, and "is there anything here?".

use std::time::Duration;

use crate::SAMPLE_RATE;

/// The floor reported for silence (digital zero has no finite dBFS).
pub const MIN_DBFS: f32 = -120.0;

/// The default threshold of [`is_silent`]: no 32 ms stretch of the answer rises above
/// this RMS level. Speech at a normal distance from a microphone peaks around −30 to
/// −10 dBFS; a quiet room sits below −60.
pub const SILENCE_THRESHOLD_DBFS: f32 = -50.0;

/// Frame length used by [`is_silent`] (32 ms at 16 kHz).
const SILENCE_FRAME: usize = 512;

/// One level-meter reading.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    /// Root-mean-square level of the block, in dBFS (0 = full scale, [`MIN_DBFS`] floor).
    pub rms_dbfs: f32,
    /// Largest absolute sample of the block, in dBFS.
    pub peak_dbfs: f32,
    /// Where the block ends, from the start of the answer.
    pub at: Duration,
}

impl Level {
    /// Measures a block of samples ending at `at`.
    pub fn measure(samples: &[f32], at: Duration) -> Self {
        Self {
            rms_dbfs: to_dbfs(rms(samples)),
            peak_dbfs: to_dbfs(peak(samples)),
            at,
        }
    }
}

/// Root-mean-square amplitude (0 for an empty slice).
pub fn rms(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    let sum: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    (sum / samples.len() as f64).sqrt() as f32
}

/// Largest absolute sample (0 for an empty slice).
pub fn peak(samples: &[f32]) -> f32 {
    samples.iter().fold(0.0f32, |m, &s| m.max(s.abs()))
}

/// An amplitude in dBFS, floored at [`MIN_DBFS`].
pub fn to_dbfs(amplitude: f32) -> f32 {
    if amplitude > 0.0 && amplitude.is_finite() {
        (20.0 * amplitude.log10()).max(MIN_DBFS)
    } else {
        MIN_DBFS
    }
}

/// RMS level of the whole signal in dBFS.
pub fn rms_dbfs(samples: &[f32]) -> f32 {
    to_dbfs(rms(samples))
}

/// True when nothing in the signal rises above [`SILENCE_THRESHOLD_DBFS`]: no 32 ms
/// frame (at 16 kHz) has an RMS level above it. Callers use this to say "no speech was
/// heard" instead of transcribing silence. An empty signal is silent.
pub fn is_silent(samples: &[f32]) -> bool {
    is_silent_below(samples, SILENCE_THRESHOLD_DBFS)
}

/// [`is_silent`] with a caller-chosen threshold in dBFS.
pub fn is_silent_below(samples: &[f32], threshold_dbfs: f32) -> bool {
    samples
        .chunks(SILENCE_FRAME)
        .all(|frame| rms_dbfs(frame) <= threshold_dbfs)
}

/// Turns a stream of 16 kHz samples into a [`Level`] every `interval`.
#[derive(Debug, Clone)]
pub struct LevelMeter {
    block: usize,
    pending: Vec<f32>,
    consumed: u64,
}

impl LevelMeter {
    /// A meter that reports once per `interval` of audio (at least one sample).
    pub fn new(interval: Duration) -> Self {
        let block = (interval.as_secs_f64() * f64::from(SAMPLE_RATE)).round() as usize;
        Self {
            block: block.max(1),
            pending: Vec::new(),
            consumed: 0,
        }
    }

    /// Adds samples and calls `emit` for each full block.
    pub fn push(&mut self, samples: &[f32], mut emit: impl FnMut(Level)) {
        let mut rest = samples;
        while !rest.is_empty() {
            let take = (self.block - self.pending.len()).min(rest.len());
            self.pending.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.pending.len() == self.block {
                self.consumed += self.block as u64;
                emit(Level::measure(
                    &self.pending,
                    samples_to_duration(self.consumed),
                ));
                self.pending.clear();
            }
        }
    }

    /// Reports the last partial block, if any.
    pub fn flush(&mut self, mut emit: impl FnMut(Level)) {
        if !self.pending.is_empty() {
            self.consumed += self.pending.len() as u64;
            emit(Level::measure(
                &self.pending,
                samples_to_duration(self.consumed),
            ));
            self.pending.clear();
        }
    }
}

/// The duration of `n` samples at 16 kHz.
pub(crate) fn samples_to_duration(n: u64) -> Duration {
    Duration::from_micros(n * 1_000_000 / u64::from(SAMPLE_RATE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_scale_sine_is_minus_three_dbfs() {
        let s: Vec<f32> = (0..16_000)
            .map(|i| (i as f32 * 2.0 * std::f32::consts::PI * 440.0 / 16_000.0).sin())
            .collect();
        assert!((rms_dbfs(&s) + 3.01).abs() < 0.05);
        assert!(to_dbfs(peak(&s)).abs() < 0.01);
        assert!(!is_silent(&s));
    }

    #[test]
    fn zeros_and_empty_are_silent() {
        assert!(is_silent(&[0.0; 16_000]));
        assert!(is_silent(&[]));
        assert_eq!(rms_dbfs(&[]), MIN_DBFS);
    }

    #[test]
    fn a_short_burst_is_not_silent() {
        let mut s = vec![0.0; 32_000];
        for v in &mut s[10_000..10_600] {
            *v = 0.1;
        }
        assert!(!is_silent(&s));
    }

    #[test]
    fn meter_reports_per_block_and_flushes() {
        let mut m = LevelMeter::new(Duration::from_millis(64));
        let mut got = Vec::new();
        m.push(&vec![0.5; 2_500], |l| got.push(l));
        assert_eq!(got.len(), 2);
        m.flush(|l| got.push(l));
        assert_eq!(got.len(), 3);
        assert_eq!(got[2].at, Duration::from_micros(2_500 * 1_000_000 / 16_000));
    }
}
