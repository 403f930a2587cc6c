//! Sample-rate conversion: a streaming, band-limited (windowed-sinc) resampler.
//!
//! Why our own and not a crate: the conversion we need is narrow (anything from 1 kHz to
//! 768 kHz down or up to 16 kHz, mono, offline and streaming with the same code), the
//! well-known crate (`rubato`) needs a newer Rust than the workspace's `rust-version`
//! and brings an FFT stack with it, and a windowed-sinc filter is ~150 lines that the
//! tests measure directly (frequency, amplitude, alias rejection, DC, lengths).
//!
//! The filter is a Kaiser-windowed sinc (β = 8.0, about 80 dB stop-band) with 32 zero
//! crossings on each side, its cut-off at 90 % of the lower of the two Nyquist
//! frequencies (7.2 kHz when the output is 16 kHz): speech keeps everything up to about
//! 6.5 kHz flat, and what would alias is removed. The kernel is tabulated (512 points
//! per zero crossing, linearly interpolated) and the output position is tracked with
//! exact integer arithmetic, so long recordings do not drift. Each output sample's
//! weights are normalised to sum to one, so DC and level are preserved exactly. For the
//! usual rates the output positions cycle through few phases (one for 48 kHz, 160 for
//! 44.1 kHz), so the weights of every phase are computed once and each output sample is
//! a dot product.
//!
//! Output sample `n` lies at input time `n · in_rate / out_rate`: there is no delay, and
//! `n` input samples give `ceil(n · out_rate / in_rate)` output samples once
//! [`Resampler::finish`] is called.

/// Zero crossings of the sinc on each side of the centre.
const ZERO_CROSSINGS: usize = 32;
/// Table points per zero crossing.
const TABLE_RESOLUTION: usize = 512;
/// Cut-off as a fraction of the lower Nyquist frequency.
const ROLLOFF: f64 = 0.90;
/// Kaiser window β.
const KAISER_BETA: f64 = 8.0;
/// Largest precomputed polyphase weight table, in weights (4 MB).
const MAX_PHASE_TABLE: usize = 1 << 20;

/// The lowest and highest sample rates accepted anywhere in this crate.
pub const MIN_SAMPLE_RATE: u32 = 1_000;
/// See [`MIN_SAMPLE_RATE`].
pub const MAX_SAMPLE_RATE: u32 = 768_000;

/// A streaming resampler for one mono channel.
///
/// Feed it blocks with [`process`](Self::process) and call [`finish`](Self::finish) once
/// at the end to drain the tail. Rates must lie in
/// [`MIN_SAMPLE_RATE`]..=[`MAX_SAMPLE_RATE`] (see [`Resampler::new`]).
#[derive(Debug, Clone)]
pub struct Resampler {
    in_rate: u32,
    out_rate: u32,
    /// `in_rate / gcd`: input step per output sample, in units of 1/`den`.
    num: u64,
    /// `out_rate / gcd`.
    den: u64,
    /// Kernel table, `ZERO_CROSSINGS * TABLE_RESOLUTION + 1` points of sinc · window.
    table: Vec<f32>,
    /// Cut-off in cycles per input sample, times two (zero crossings per input sample).
    crossings_per_input: f64,
    /// Half-width of the kernel in input samples: output `n` at input time `idx + frac`
    /// uses the `2 * half_width` taps `idx + 1 - half_width ..= idx + half_width`.
    half_width: usize,
    /// Normalised weights of those taps for each phase `frac = p / den`, when the
    /// table is small enough (`den * 2 * half_width <= MAX_PHASE_TABLE`); otherwise the
    /// weights are computed per output sample into `scratch`.
    phases: Vec<f32>,
    scratch: Vec<f32>,
    /// Buffered input; `buf[0]` is absolute input sample `buf_start`.
    buf: Vec<f32>,
    buf_start: u64,
    /// Total input samples received.
    received: u64,
    /// Index of the next output sample.
    next_out: u64,
    passthrough: bool,
}

impl Resampler {
    /// A resampler from `in_rate` to `out_rate` (Hz).
    ///
    /// Returns `None` when a rate is outside
    /// [`MIN_SAMPLE_RATE`]..=[`MAX_SAMPLE_RATE`].
    pub fn new(in_rate: u32, out_rate: u32) -> Option<Self> {
        let valid = MIN_SAMPLE_RATE..=MAX_SAMPLE_RATE;
        if !valid.contains(&in_rate) || !valid.contains(&out_rate) {
            return None;
        }
        let g = gcd(u64::from(in_rate), u64::from(out_rate));
        let num = u64::from(in_rate) / g;
        let den = u64::from(out_rate) / g;
        let passthrough = in_rate == out_rate;
        // Cut-off in cycles per input sample.
        let cutoff = ROLLOFF * 0.5 * f64::from(in_rate.min(out_rate)) / f64::from(in_rate);
        let crossings_per_input = 2.0 * cutoff;
        let half_width = if passthrough {
            0
        } else {
            (ZERO_CROSSINGS as f64 / crossings_per_input).ceil() as usize + 1
        };
        let table = if passthrough {
            Vec::new()
        } else {
            kernel_table()
        };
        let mut r = Self {
            in_rate,
            out_rate,
            num,
            den,
            table,
            crossings_per_input,
            half_width,
            phases: Vec::new(),
            scratch: Vec::new(),
            buf: Vec::new(),
            buf_start: 0,
            received: 0,
            next_out: 0,
            passthrough,
        };
        let taps = 2 * half_width;
        if !passthrough && (den as usize).saturating_mul(taps) <= MAX_PHASE_TABLE {
            let mut phases = vec![0.0; den as usize * taps];
            for (p, w) in phases.chunks_exact_mut(taps).enumerate() {
                r.fill_weights(p as u64, w);
            }
            r.phases = phases;
        }
        Some(r)
    }

    /// A resampler that passes `rate` through unchanged.
    pub(crate) fn identity(rate: u32) -> Self {
        Self {
            in_rate: rate,
            out_rate: rate,
            num: 1,
            den: 1,
            table: Vec::new(),
            crossings_per_input: 1.0,
            half_width: 0,
            phases: Vec::new(),
            scratch: Vec::new(),
            buf: Vec::new(),
            buf_start: 0,
            received: 0,
            next_out: 0,
            passthrough: true,
        }
    }

    /// The input rate in Hz.
    pub fn input_rate(&self) -> u32 {
        self.in_rate
    }

    /// The output rate in Hz.
    pub fn output_rate(&self) -> u32 {
        self.out_rate
    }

    /// Feeds `input` and appends every output sample that can be computed to `out`.
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) {
        if self.passthrough {
            out.extend_from_slice(input);
            self.received += input.len() as u64;
            self.next_out = self.received;
            return;
        }
        self.buf.extend_from_slice(input);
        self.received += input.len() as u64;
        self.produce(false, out);
        self.discard_consumed();
    }

    /// Drains the tail (treating the input as followed by silence) and appends it to
    /// `out`. The resampler is then reset and can be reused for a new signal.
    pub fn finish(&mut self, out: &mut Vec<f32>) {
        if !self.passthrough {
            self.produce(true, out);
        }
        self.buf.clear();
        self.buf_start = 0;
        self.received = 0;
        self.next_out = 0;
    }

    /// Produces output samples while their kernel's input is available (or, when
    /// `flushing`, for every output position that lies before the end of the input).
    fn produce(&mut self, flushing: bool, out: &mut Vec<f32>) {
        let hw = self.half_width as u64;
        loop {
            let pos_num = self.next_out * self.num;
            let idx = pos_num / self.den;
            if flushing {
                if idx >= self.received {
                    break;
                }
            } else if idx + hw >= self.received {
                break;
            }
            let value = self.sample_at(idx, pos_num % self.den);
            out.push(value);
            self.next_out += 1;
        }
    }

    /// The weights of the `2 * half_width` taps for phase `frac = phase / den`,
    /// normalised by their sum over *all* taps, including ones before the start or past
    /// the end of the input (which count as silence): DC is exact in the middle and the
    /// edges fade instead of being boosted.
    fn fill_weights(&self, phase: u64, weights: &mut [f32]) {
        let hw = self.half_width as i64;
        let frac = phase as f64 / self.den as f64;
        let limit = ZERO_CROSSINGS as f64;
        let mut sum = 0.0f64;
        for (w, k) in weights.iter_mut().zip((1 - hw)..=hw) {
            // Tap at input index idx + k, at distance frac - k from the output instant.
            let x = ((frac - k as f64) * self.crossings_per_input).abs();
            *w = if x < limit { self.kernel(x) } else { 0.0 };
            sum += f64::from(*w);
        }
        if sum > 0.0 {
            let scale = (1.0 / sum) as f32;
            weights.iter_mut().for_each(|w| *w *= scale);
        }
    }

    /// The filtered value at input time `idx + phase / den`.
    fn sample_at(&mut self, idx: u64, phase: u64) -> f32 {
        let taps = 2 * self.half_width;
        let mut scratch = std::mem::take(&mut self.scratch);
        let weights: &[f32] = if self.phases.is_empty() {
            scratch.resize(taps, 0.0);
            self.fill_weights(phase, &mut scratch);
            &scratch
        } else {
            let at = phase as usize * taps;
            &self.phases[at..at + taps]
        };
        // Input index of the first tap (may be before the start of the signal).
        let first = idx as i64 + 1 - self.half_width as i64;
        let value = if first >= self.buf_start as i64 && first as u64 + taps as u64 <= self.received
        {
            // The whole window is buffered: a plain dot product.
            let from = (first as u64 - self.buf_start) as usize;
            match self.buf.get(from..from + taps) {
                Some(window) => dot(window, weights),
                None => 0.0,
            }
        } else {
            // At the edges: taps outside the signal are silence.
            let mut acc = 0.0f32;
            for (k, w) in weights.iter().enumerate() {
                let j = first + k as i64;
                if j < 0 || j as u64 >= self.received {
                    continue;
                }
                if let Some(s) = (j as u64)
                    .checked_sub(self.buf_start)
                    .and_then(|i| self.buf.get(i as usize))
                {
                    acc += w * s;
                }
            }
            acc
        };
        self.scratch = scratch;
        value
    }

    /// Kernel value at `x` zero crossings from the centre (`0 <= x < ZERO_CROSSINGS`).
    fn kernel(&self, x: f64) -> f32 {
        let pos = x * TABLE_RESOLUTION as f64;
        let i = pos.floor() as usize;
        let f = (pos - i as f64) as f32;
        match (self.table.get(i), self.table.get(i + 1)) {
            (Some(a), Some(b)) => a + (b - a) * f,
            (Some(a), None) => *a,
            _ => 0.0,
        }
    }

    /// Drops buffered input that no future output sample needs.
    fn discard_consumed(&mut self) {
        let hw = self.half_width as u64;
        let next_idx = self.next_out * self.num / self.den;
        let keep_from = next_idx.saturating_sub(hw);
        if keep_from > self.buf_start {
            let drop = ((keep_from - self.buf_start) as usize).min(self.buf.len());
            self.buf.drain(..drop);
            self.buf_start += drop as u64;
        }
    }
}

/// Sum of products, in four lanes (which the compiler vectorises).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f32 = a4
        .remainder()
        .iter()
        .zip(b4.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a4.zip(b4) {
        lanes[0] += x[0] * y[0];
        lanes[1] += x[1] * y[1];
        lanes[2] += x[2] * y[2];
        lanes[3] += x[3] * y[3];
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail
}

/// Resamples a whole mono signal from `in_rate` to `out_rate`.
///
/// Returns `None` when a rate is outside [`MIN_SAMPLE_RATE`]..=[`MAX_SAMPLE_RATE`].
pub fn resample(samples: &[f32], in_rate: u32, out_rate: u32) -> Option<Vec<f32>> {
    let mut r = Resampler::new(in_rate, out_rate)?;
    let expected = (samples.len() as u64 * u64::from(out_rate)).div_ceil(u64::from(in_rate));
    let mut out = Vec::with_capacity(expected as usize);
    r.process(samples, &mut out);
    r.finish(&mut out);
    Some(out)
}

/// Averages interleaved frames of `channels` channels into mono, appending to `out`.
/// An incomplete trailing frame is ignored; `channels == 0` appends nothing.
pub fn downmix_into(interleaved: &[f32], channels: usize, out: &mut Vec<f32>) {
    match channels {
        0 => {}
        1 => out.extend_from_slice(interleaved),
        n => {
            let scale = 1.0 / n as f32;
            out.extend(
                interleaved
                    .chunks_exact(n)
                    .map(|frame| frame.iter().sum::<f32>() * scale),
            );
        }
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// sinc(x) · kaiser(x / ZERO_CROSSINGS) for x in [0, ZERO_CROSSINGS], tabulated.
fn kernel_table() -> Vec<f32> {
    let n = ZERO_CROSSINGS * TABLE_RESOLUTION;
    let i0_beta = bessel_i0(KAISER_BETA);
    (0..=n)
        .map(|i| {
            let x = i as f64 / TABLE_RESOLUTION as f64;
            let sinc = if i == 0 {
                1.0
            } else {
                let px = std::f64::consts::PI * x;
                px.sin() / px
            };
            let r = x / ZERO_CROSSINGS as f64;
            let window = bessel_i0(KAISER_BETA * (1.0 - r * r).max(0.0).sqrt()) / i0_beta;
            (sinc * window) as f32
        })
        .collect()
}

/// Modified Bessel function of the first kind, order zero (power series).
fn bessel_i0(x: f64) -> f64 {
    let mut sum = 1.0;
    let mut term = 1.0;
    let half = x / 2.0;
    for k in 1..64 {
        term *= (half / k as f64) * (half / k as f64);
        sum += term;
        if term < sum * 1e-17 {
            break;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_follow_the_rate_ratio() {
        for (rate, n) in [
            (48_000, 48_000),
            (44_100, 44_100),
            (8_000, 800),
            (22_050, 1),
        ] {
            let out = resample(&vec![0.1; n], rate, 16_000).unwrap_or_default();
            let expected = (n as u64 * 16_000).div_ceil(u64::from(rate)) as usize;
            assert_eq!(out.len(), expected, "rate {rate}");
        }
    }

    #[test]
    fn streaming_matches_one_shot() {
        let input: Vec<f32> = (0..10_000).map(|i| ((i as f32) * 0.05).sin()).collect();
        let whole = resample(&input, 44_100, 16_000).unwrap_or_default();
        let mut r = Resampler::new(44_100, 16_000).expect("valid rates");
        let mut streamed = Vec::new();
        for chunk in input.chunks(333) {
            r.process(chunk, &mut streamed);
        }
        r.finish(&mut streamed);
        assert_eq!(whole.len(), streamed.len());
        for (a, b) in whole.iter().zip(&streamed) {
            assert!((a - b).abs() < 1e-6);
        }
    }

    #[test]
    fn rejects_absurd_rates() {
        assert!(Resampler::new(0, 16_000).is_none());
        assert!(Resampler::new(16_000, 10_000_000).is_none());
    }

    #[test]
    fn downmix_averages_and_ignores_partial_frames() {
        let mut out = Vec::new();
        downmix_into(&[1.0, 0.0, 0.5, 0.5, 1.0], 2, &mut out);
        assert_eq!(out, vec![0.5, 0.5]);
    }
}
