//! Accuracy of the windowed-sinc resampler: frequency, amplitude, distortion, alias
//! rejection, pass band, DC, lengths.

use panelist_audio::resample::{resample, Resampler};
use panelist_audio::to_dbfs;

fn sine(freq: f64, rate: u32, seconds: f64, amp: f64) -> Vec<f32> {
    let n = (seconds * f64::from(rate)) as usize;
    (0..n)
        .map(|i| {
            (amp * (2.0 * std::f64::consts::PI * freq * i as f64 / f64::from(rate)).sin()) as f32
        })
        .collect()
}

/// Least-squares fit of a sine at `freq` (and DC) to `x`; returns (amplitude, residual
/// RMS).
fn fit(x: &[f32], freq: f64, rate: u32) -> (f64, f64) {
    let n = x.len() as f64;
    let w = 2.0 * std::f64::consts::PI * freq / f64::from(rate);
    let (mut s, mut c, mut m) = (0.0, 0.0, 0.0);
    for (i, &v) in x.iter().enumerate() {
        let v = f64::from(v);
        s += v * (w * i as f64).sin();
        c += v * (w * i as f64).cos();
        m += v;
    }
    let (a, b, dc) = (2.0 * s / n, 2.0 * c / n, m / n);
    let mut res = 0.0;
    for (i, &v) in x.iter().enumerate() {
        let model = a * (w * i as f64).sin() + b * (w * i as f64).cos() + dc;
        res += (f64::from(v) - model).powi(2);
    }
    ((a * a + b * b).sqrt(), (res / n).sqrt())
}

/// Frequency from the interpolated positive-going zero crossings.
fn frequency(x: &[f32], rate: u32) -> f64 {
    let mut crossings = Vec::new();
    for i in 1..x.len() {
        let (a, b) = (f64::from(x[i - 1]), f64::from(x[i]));
        if a < 0.0 && b >= 0.0 {
            crossings.push((i - 1) as f64 + a / (a - b));
        }
    }
    let (first, last) = (crossings[0], crossings[crossings.len() - 1]);
    (crossings.len() - 1) as f64 * f64::from(rate) / (last - first)
}

/// The middle of a signal, away from the edges.
fn middle(x: &[f32]) -> &[f32] {
    &x[x.len() / 10..x.len() * 9 / 10]
}

fn check_tone(in_rate: u32, freq: f64) {
    let input = sine(freq, in_rate, 1.0, 0.5);
    let out = resample(&input, in_rate, 16_000).expect("valid rates");
    let mid = middle(&out);
    let f = frequency(mid, 16_000);
    let (amp, residual) = fit(mid, freq, 16_000);
    let snr_db = 20.0 * (amp / std::f64::consts::SQRT_2 / residual).log10();
    println!(
        "{in_rate} Hz, {freq} Hz tone: measured {f:.3} Hz, amplitude {amp:.5}, SNR {snr_db:.1} dB"
    );
    assert!((f - freq).abs() < 0.05, "{in_rate}: frequency {f}");
    assert!((amp - 0.5).abs() < 0.5 * 0.01, "{in_rate}: amplitude {amp}");
    assert!(snr_db > 70.0, "{in_rate}: SNR {snr_db:.1} dB");
}

#[test]
fn a_1khz_sine_at_48khz_keeps_frequency_and_amplitude() {
    check_tone(48_000, 1_000.0);
}

#[test]
fn a_1khz_sine_keeps_frequency_and_amplitude_from_common_rates() {
    for rate in [8_000, 11_025, 22_050, 32_000, 44_100, 96_000, 192_000] {
        check_tone(rate, 1_000.0);
    }
}

#[test]
fn an_unusual_rate_uses_computed_weights_just_as_well() {
    // 44 099 Hz has 16 000 phases against 16 kHz: too many to tabulate, so the weights
    // are computed per output sample.
    check_tone(44_099, 1_000.0);
}

#[test]
fn speech_band_is_flat() {
    for rate in [44_100, 48_000] {
        for freq in [100.0, 440.0, 3_000.0, 6_000.0] {
            let out = resample(&sine(freq, rate, 1.0, 0.5), rate, 16_000).expect("valid rates");
            let (amp, _) = fit(middle(&out), freq, 16_000);
            let gain_db = 20.0 * (amp / 0.5).log10();
            println!("{rate} Hz: {freq} Hz gain {gain_db:.3} dB");
            assert!(
                gain_db.abs() < 0.1,
                "{rate}: {freq} Hz gain {gain_db:.3} dB"
            );
        }
    }
}

#[test]
fn frequencies_above_8khz_do_not_alias() {
    for (rate, freq) in [
        (48_000, 9_000.0),
        (48_000, 12_000.0),
        (44_100, 10_000.0),
        (44_100, 20_000.0),
    ] {
        let out = resample(&sine(freq, rate, 1.0, 0.5), rate, 16_000).expect("valid rates");
        let level = to_dbfs(panelist_audio::rms(middle(&out)));
        println!("{rate} Hz: {freq} Hz tone leaves {level:.1} dBFS");
        // The input is at -9 dBFS RMS; what is left must be ~70 dB below it.
        assert!(level < -75.0, "{rate}: {freq} Hz leaves {level:.1} dBFS");
    }
}

#[test]
fn dc_and_level_are_preserved() {
    let out = resample(&vec![0.25; 48_000], 48_000, 16_000).expect("valid rates");
    assert!(middle(&out).iter().all(|v| (v - 0.25).abs() < 1e-5));
    // At the edges the signal steps from (implied) silence: a band-limited step rings
    // (Gibbs), by about 9 %, no more.
    assert!(out.iter().all(|v| *v < 0.25 * 1.1));
}

#[test]
fn output_length_follows_the_ratio() {
    for (rate, n) in [
        (48_000u32, 48_000usize),
        (44_100, 12_345),
        (8_000, 7),
        (22_050, 100_000),
    ] {
        let out = resample(&vec![0.0; n], rate, 16_000).expect("valid rates");
        let expected = (n as u64 * 16_000).div_ceil(u64::from(rate)) as usize;
        assert_eq!(out.len(), expected, "{rate} Hz, {n} samples");
    }
}

#[test]
fn streaming_in_odd_blocks_matches_one_shot() {
    let input = sine(1_234.0, 44_100, 0.5, 0.7);
    let whole = resample(&input, 44_100, 16_000).expect("valid rates");
    let mut r = Resampler::new(44_100, 16_000).expect("valid rates");
    let mut streamed = Vec::new();
    let mut rest = &input[..];
    let mut size = 1;
    while !rest.is_empty() {
        let take = size.min(rest.len());
        r.process(&rest[..take], &mut streamed);
        rest = &rest[take..];
        size = size * 7 % 1_001 + 1;
    }
    r.finish(&mut streamed);
    assert_eq!(whole, streamed);
    // Reusable after finish.
    let mut again = Vec::new();
    r.process(&input, &mut again);
    r.finish(&mut again);
    assert_eq!(whole, again);
}

#[test]
fn resampling_is_fast_enough_for_live_capture() {
    // One minute of 48 kHz audio must convert far faster than real time, even in a
    // debug build (which is what `cargo test` runs).
    let input = sine(440.0, 48_000, 60.0, 0.5);
    let start = std::time::Instant::now();
    let out = resample(&input, 48_000, 16_000).expect("valid rates");
    let took = start.elapsed();
    println!("60 s at 48 kHz resampled in {took:?}");
    assert_eq!(out.len(), 960_000);
    assert!(took.as_secs_f64() < 20.0, "took {took:?}");
}
