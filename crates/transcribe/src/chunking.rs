//! Where to cut long audio: in the middle of the quietest stretch near each chunk's end,
//! so no word is split in two and the next chunk does not open on a word's first sound.

use std::ops::Range;

use crate::SAMPLE_RATE;

/// Longest chunk given to whisper in one pass.
pub const CHUNK_SECONDS: f64 = 20.0;

/// How far back from a chunk's end a cut may move to find a quiet moment.
const SEARCH_SECONDS: f64 = 5.0;

/// Frames over which loudness is measured when looking for a cut.
const FRAME: usize = SAMPLE_RATE / 50;

fn energy(samples: &[f32]) -> f32 {
    samples.iter().map(|s| s * s).sum::<f32>() / samples.len().max(1) as f32
}

/// The quietest frame boundary in `audio[from..to]` (a frame start), or `to`.
pub fn quietest_point(audio: &[f32], from: usize, to: usize) -> usize {
    let to = to.min(audio.len());
    let mut best = to;
    let mut best_energy = f32::INFINITY;
    let mut at = from;
    while at + FRAME <= to {
        let e = energy(&audio[at..at + FRAME]);
        // Later cuts win ties: fewer, longer chunks.
        if e <= best_energy {
            best_energy = e;
            best = at + FRAME / 2;
        }
        at += FRAME;
    }
    best
}

/// Frames this much louder than the quietest one (3 dB) still belong to its quiet stretch.
const QUIET_RATIO: f32 = 2.0;

/// Frames at most this loud (-90 dBFS: digital silence, dither) are all equally quiet.
const QUIET_FLOOR: f32 = 1e-9;

/// The middle of the longest stretch of the quietest frames in `audio[from..to]` (later
/// stretches win ties), or `to`.
///
/// A cut at the quietest frame alone lands anywhere in a pause, and with ties going to
/// the latest, at its very end: the next chunk then opens on the first sound of a word,
/// and whisper, given no silence before it, tends to leave that sentence out (the bench's
/// 60 s answer lost "Gradient boosting improved recall…" that way). Cutting in the middle
/// of the pause gives each side half of it, as [`crate::LiveTranscription`] does.
pub fn pause_point(audio: &[f32], from: usize, to: usize) -> usize {
    let to = to.min(audio.len());
    let starts: Vec<usize> = (from..)
        .step_by(FRAME)
        .take_while(|at| at + FRAME <= to)
        .collect();
    let energies: Vec<f32> = starts
        .iter()
        .map(|&at| energy(&audio[at..at + FRAME]))
        .collect();
    let Some(quietest) = energies.iter().copied().reduce(f32::min) else {
        return to;
    };
    let quiet = |e: f32| e <= quietest * QUIET_RATIO + QUIET_FLOOR;
    // (first frame, frames) of the chosen stretch.
    let mut best = (0, 0);
    let mut run_start = None;
    for (i, &e) in energies.iter().enumerate() {
        if quiet(e) {
            let start = *run_start.get_or_insert(i);
            if i + 1 - start >= best.1 {
                best = (start, i + 1 - start);
            }
        } else {
            run_start = None;
        }
    }
    let (first, frames) = best;
    starts[first] + frames * FRAME / 2
}

/// Splits audio into chunks of at most `max_seconds`, cutting in the middle of pauses
/// ([`pause_point`]).
pub fn split(audio: &[f32], max_seconds: f64) -> Vec<Range<usize>> {
    let max = (max_seconds * SAMPLE_RATE as f64) as usize;
    let search = (SEARCH_SECONDS * SAMPLE_RATE as f64) as usize;
    let mut out = Vec::new();
    let mut start = 0;
    while audio.len() - start > max {
        let end = start + max;
        let cut = pause_point(audio, end.saturating_sub(search).max(start + 1), end);
        out.push(start..cut);
        start = cut;
    }
    if start < audio.len() {
        out.push(start..audio.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_audio_is_one_chunk_and_empty_audio_none() {
        assert_eq!(
            split(&vec![0.1; SAMPLE_RATE * 3], 20.0),
            vec![0..SAMPLE_RATE * 3]
        );
        assert!(split(&[], 20.0).is_empty());
    }

    #[test]
    fn long_audio_is_cut_at_the_quiet_moment() {
        // 45 s of "speech" with a silent gap from 17.0 to 17.4 s and from 35 to 35.4 s.
        let mut audio: Vec<f32> = (0..SAMPLE_RATE * 45)
            .map(|i| ((i % 50) as f32 / 50.0) - 0.5)
            .collect();
        for gap in [17.0, 35.0] {
            let from = (gap * SAMPLE_RATE as f64) as usize;
            audio[from..from + SAMPLE_RATE * 4 / 10]
                .iter_mut()
                .for_each(|s| *s = 0.0);
        }
        let chunks = split(&audio, 20.0);
        assert_eq!(chunks.len(), 3, "{chunks:?}");
        let first_cut = chunks[0].end as f64 / SAMPLE_RATE as f64;
        assert!((17.0..17.4).contains(&first_cut), "{first_cut}");
        assert_eq!(chunks.last().map(|r| r.end), Some(audio.len()));
        for pair in chunks.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
    }

    #[test]
    fn a_cut_falls_in_the_middle_of_the_longest_pause() {
        // "Speech" with a 0.1 s gap at 5 s (a stop consonant) and a 0.4 s pause at 8 s.
        let mut audio: Vec<f32> = (0..SAMPLE_RATE * 10)
            .map(|i| ((i % 50) as f32 / 50.0) - 0.5)
            .collect();
        for (at, len) in [(5.0, 0.1), (8.0, 0.4)] {
            let from = (at * SAMPLE_RATE as f64) as usize;
            let n = (len * SAMPLE_RATE as f64) as usize;
            audio[from..from + n].iter_mut().for_each(|s| *s = 0.0);
        }
        let cut = pause_point(&audio, 0, audio.len()) as f64 / SAMPLE_RATE as f64;
        assert!((8.15..8.25).contains(&cut), "{cut}");
        // A room's noise (not digital silence) in both gaps: still the pause's middle.
        for (at, len) in [(5.0, 0.1), (8.0, 0.4)] {
            let from = (at * SAMPLE_RATE as f64) as usize;
            let n = (len * SAMPLE_RATE as f64) as usize;
            for (i, s) in audio[from..from + n].iter_mut().enumerate() {
                *s = 0.001 * (1.0 + (i % 7) as f32 / 7.0) * if i % 2 == 0 { 1.0 } else { -1.0 };
            }
        }
        let cut = pause_point(&audio, 0, audio.len()) as f64 / SAMPLE_RATE as f64;
        assert!((8.15..8.25).contains(&cut), "{cut}");
        // No audio to look at: the end.
        assert_eq!(pause_point(&audio, 100, 100), 100);
    }
}
