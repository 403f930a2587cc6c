//! Where to cut long audio: at the quietest moment near each chunk's end, so no word is
//! split in two.

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

/// Splits audio into chunks of at most `max_seconds`, cutting at quiet moments.
pub fn split(audio: &[f32], max_seconds: f64) -> Vec<Range<usize>> {
    let max = (max_seconds * SAMPLE_RATE as f64) as usize;
    let search = (SEARCH_SECONDS * SAMPLE_RATE as f64) as usize;
    let mut out = Vec::new();
    let mut start = 0;
    while audio.len() - start > max {
        let end = start + max;
        let cut = quietest_point(audio, end.saturating_sub(search).max(start + 1), end);
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
}
