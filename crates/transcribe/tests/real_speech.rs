//! Real recorded human speech, not espeak-ng: the test recordings Debian's
//! `pocketsphinx-testdata` package ships (CMU Sphinx, BSD-2-Clause; installed by
//! `scripts/setup.sh` into /usr/share/pocketsphinx/test/data), with the transcriptions
//! shipped beside them:
//! - `librivox/`: five sentences of *Sense and Sensibility* read for LibriVox (public
//!   domain), 24.7 s, one reader;
//! - `cards/`: five short card names ("seven of clubs"), 9.7 s, another speaker.
//!
//! 34.4 s from two speakers: less than the 60 s the issue asks for (no other registry
//! package found here ships more real English speech with transcripts; see the report).
//! The recordings are checked against their SHA-256 before use.

use std::path::{Path, PathBuf};

use panelist_transcribe::{
    models, transcribe_answer, wer, WhisperConfig, WhisperTranscriber, SAMPLE_RATE,
};
use sha2::{Digest, Sha256};

/// Where the package puts its data (`PANELIST_REAL_SPEECH_DIR` overrides it).
const DEFAULT_DIR: &str = "/usr/share/pocketsphinx/test/data";

/// (recording, SHA-256).
type Recording = (&'static str, &'static str);

/// (set, transcription file, recordings).
const SETS: &[(&str, &str, &[Recording])] = &[
    (
        "librivox",
        "librivox/transcription",
        &[
            (
                "librivox/sense_and_sensibility_01_austen_64kb-0870.wav",
                "b0557cf95c974d930577e58e46b7f068c432a6e3afcc286563d88922b2a5315c",
            ),
            (
                "librivox/sense_and_sensibility_01_austen_64kb-0880.wav",
                "fbec491ef00ee734a67f0ee318e98c51c157b479e1629ff4f4426861ecac0414",
            ),
            (
                "librivox/sense_and_sensibility_01_austen_64kb-0890.wav",
                "5793ffbdee55fb8bfd284943a6866864c832d9d4accf2661cabd39915c84ee10",
            ),
            (
                "librivox/sense_and_sensibility_01_austen_64kb-0920.wav",
                "40882414ef4cc51f3ff7a63bad0c8c87e7f595ffeb8209fbf756c8ebc5c28a59",
            ),
            (
                "librivox/sense_and_sensibility_01_austen_64kb-0930.wav",
                "954adbf0b56ac8a148cbe77b39ca18d76b5f2a1e1f405565bd786ce3e68a68b7",
            ),
        ],
    ),
    (
        "cards",
        "cards/cards.transcription",
        &[
            (
                "cards/001.wav",
                "899951e768666f27c8f8b1d4090b96fe7909cae9cec01bec0a5d5d1b8a8d566e",
            ),
            (
                "cards/002.wav",
                "a3f9eae6fdb69a1231989e39a14d62388a6f52fb59666c76d95005318fadafec",
            ),
            (
                "cards/003.wav",
                "00d283e46bc257ae479e4aa86593cadb541656eba1d19fc8abeece37f6a5a18b",
            ),
            (
                "cards/004.wav",
                "4c44a8177f5b128b99f078cdeb918119933155574231f1833e8840d1af09c521",
            ),
            (
                "cards/005.wav",
                "090f18f5f76cf8b2b43cd9e6b07823f4685a4742d9a36cd98b174a6586c18cf9",
            ),
        ],
    ),
];

/// (model, highest WER accepted over all recordings). Measured 2026-12-06 (debug test
/// build, beam 5, 2 threads, no prompt; the recordings are fixed, so the figures repeat):
/// tiny.en 15.2 % (LibriVox 5.6 %, cards 47.6 %), base 12.0 % (4.2 %, 38.1 %). The
/// card names are one-second clips on which both models often say the phrase twice
/// ("10 of clubs 10 of clubs"). Bounds: the figures plus about five points.
const MODELS: &[(&str, f64)] = &[("tiny.en", 0.20), ("base", 0.17)];

fn data_dir() -> PathBuf {
    let dir = std::env::var_os("PANELIST_REAL_SPEECH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DIR));
    assert!(
        dir.join("librivox/transcription").is_file(),
        "{} has no recordings: install Debian's pocketsphinx-testdata (scripts/setup.sh does)",
        dir.display()
    );
    dir
}

/// The transcription of each recording id: lines `<s> words </s> (id)`.
fn transcriptions(path: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter_map(|line| {
            let (words, id) = line.rsplit_once('(')?;
            let words = words.replace("<s>", "").replace("</s>", "");
            Some((
                id.trim_end_matches(')').trim().to_string(),
                words.trim().to_string(),
            ))
        })
        .collect()
}

/// (set, reference text, 16 kHz audio) for every recording, each checked first.
fn recordings() -> Vec<(&'static str, String, Vec<f32>)> {
    let dir = data_dir();
    let mut out = Vec::new();
    for (set, transcription, files) in SETS {
        let texts = transcriptions(&dir.join(transcription));
        for (file, sha256) in *files {
            let path = dir.join(file);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let digest: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(
                &digest,
                sha256,
                "{} is not the recording expected",
                path.display()
            );
            let id = Path::new(file)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let text = texts
                .iter()
                .find(|(i, _)| i == id)
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| panic!("no transcription for {id}"));
            let audio = panelist_audio::load_wav(&path).expect("wav");
            out.push((*set, text, audio));
        }
    }
    out
}

#[test]
fn real_recorded_speech_is_transcribed_within_each_models_bound() {
    let clips = recordings();
    let seconds: f64 = clips
        .iter()
        .map(|(_, _, a)| a.len() as f64 / SAMPLE_RATE as f64)
        .sum();
    let dirs = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models")];
    let mut table = format!(
        "{} recordings, {seconds:.1} s of real speech\n",
        clips.len()
    );
    let mut measured = Vec::new();
    for (name, bound) in MODELS {
        let path = models::find(name, &dirs)
            .unwrap_or_else(|e| panic!("{name} is required (scripts/setup.sh): {e}"));
        let mut t = WhisperTranscriber::load(WhisperConfig::new(path)).expect("model");
        let mut per_set: Vec<(&str, f64, f64)> = Vec::new();
        for (set, text, audio) in &clips {
            let heard = transcribe_answer(&mut t, audio, "")
                .expect("transcribe")
                .text;
            let w = wer::wer(text, &heard);
            eprintln!("  {name} [{set}] WER {w:.2}: {text} -> {heard}");
            let n = wer::normalise(text).len() as f64;
            match per_set.iter_mut().find(|(s, _, _)| s == set) {
                Some(entry) => {
                    entry.1 += n;
                    entry.2 += w * n;
                }
                None => per_set.push((set, n, w * n)),
            }
        }
        let words: f64 = per_set.iter().map(|(_, n, _)| n).sum();
        let errors: f64 = per_set.iter().map(|(_, _, e)| e).sum();
        let total = errors / words;
        let sets: Vec<String> = per_set
            .iter()
            .map(|(s, n, e)| format!("{s} {:.1} %", e / n * 100.0))
            .collect();
        table.push_str(&format!(
            "{name:<8} WER {:.1} % (bound {:.0} %; {})\n",
            total * 100.0,
            bound * 100.0,
            sets.join(", ")
        ));
        measured.push((*name, total, *bound));
    }
    eprintln!("{table}");
    for (name, w, bound) in &measured {
        assert!(w <= bound, "{name}: WER {w:.3} above {bound}");
    }
    // The larger model hears real voices better (on espeak-ng speech it does not).
    let (tiny, base) = (measured[0].1, measured[1].1);
    assert!(
        base < tiny,
        "base ({base:.3}) should beat tiny.en ({tiny:.3}) on real speech"
    );
}
