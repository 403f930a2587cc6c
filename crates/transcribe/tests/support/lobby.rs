//! The lobby: a candidate's answer with real pauses, and the noises around it.

use super::{silence, speak};

pub const SENTENCES: [&str; 4] = [
    "I would design the service with a clear interface and write unit tests first.",
    "Then I would measure the latency before and after every change.",
    "We keep the database schema in migrations and review each one.",
    "Finally we deploy small changes every day behind a feature flag.",
];

/// The candidate: sentences with 0.8–1.5 s pauses and one 4 s thinking pause.
pub fn answer() -> (Vec<f32>, String) {
    let pauses = [0.8, 4.0, 1.2];
    let mut audio = silence(0.4);
    for (i, s) in SENTENCES.iter().enumerate() {
        if i > 0 {
            audio.extend(silence(pauses[i - 1]));
        }
        audio.extend(speak(s, "en-us", 165));
    }
    audio.extend(silence(0.6));
    (audio, SENTENCES.join(" "))
}

/// RMS over frames louder than -50 dBFS (pauses do not lower it).
pub fn active_rms(x: &[f32]) -> f32 {
    let loud: Vec<f32> = x
        .chunks(320)
        .map(|f| f.iter().map(|s| s * s).sum::<f32>() / f.len() as f32)
        .filter(|e| *e > 1e-5)
        .collect();
    (loud.iter().sum::<f32>() / loud.len().max(1) as f32).sqrt()
}

/// Brown noise from a fixed seed.
pub fn brown(n: usize) -> Vec<f32> {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut v = 0.0f32;
    (0..n)
        .map(|_| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let u = ((seed >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0;
            v = 0.98 * v + 0.1 * u;
            v
        })
        .collect()
}

/// Three other people talking at once, looped to length `n`.
pub fn babble(n: usize) -> Vec<f32> {
    let voices = [
        speak("The weather has been lovely this week and we went to the park on Sunday with the children.", "en-gb", 150),
        speak("Could you pass me the report from yesterday, I think the numbers for the third quarter are wrong.", "en-us+f3", 170),
        speak("My train was late so I missed the first part of the meeting, but Sarah told me everything.", "en-us+m3", 140),
    ];
    let mut out = vec![0.0f32; n];
    for (k, v) in voices.iter().enumerate() {
        let offset = k * v.len() / 3;
        for (i, o) in out.iter_mut().enumerate() {
            *o += v[(offset + i) % v.len()];
        }
    }
    out
}

/// `noise` mixed under `clean` at `snr_db` below its active level.
pub fn mix(clean: &[f32], noise: &[f32], snr_db: f32) -> Vec<f32> {
    let gain = active_rms(clean) / 10f32.powf(snr_db / 20.0) / active_rms(noise).max(1e-9);
    clean
        .iter()
        .zip(noise)
        .map(|(c, n)| (c + gain * n).clamp(-1.0, 1.0))
        .collect()
}
