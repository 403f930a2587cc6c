//! The CTranslate2 engine (`ct2` feature) with tiny.en's CTranslate2 folder, on speech made
//! by espeak-ng in the test: accuracy like whisper.cpp's, English-only refusal, interrupt.
//! Needs `models/fetch-ct2-runtime.sh` and `models/fetch-model.sh --ct2 models/ct2 tiny.en`
//! (or PANELIST_CT2_MODEL naming such a folder).
#![cfg(feature = "ct2")]

mod support;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use panelist_transcribe::{
    models, prompt, transcribe_answer, wer, Ct2Config, Ct2Transcriber, TranscribeError, Transcriber,
};
use support::{one_at_a_time, speak};

fn tiny_en_ct2() -> PathBuf {
    let path = std::env::var_os("PANELIST_CT2_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/tiny.en-ct2")
        });
    assert!(
        models::is_ct2_folder(&path),
        "no CTranslate2 tiny.en folder at {}: run models/fetch-model.sh tiny.en-ct2",
        path.display()
    );
    path
}

fn transcriber() -> Ct2Transcriber {
    Ct2Transcriber::load(Ct2Config::new(tiny_en_ct2())).expect("the CTranslate2 model loads")
}

const ITEMS: &[(&str, &str, &[&str])] = &[
    (
        "I used cross-validation to check that the model generalizes to unseen data.",
        "How do you know a model will work on new data?",
        &[
            "cross-validation",
            "generalizes",
            "unseen data",
            "overfitting",
        ],
    ),
    (
        "We measured the ninety-fifth percentile latency before and after the change.",
        "How did you measure the performance improvement?",
        &["percentile", "latency", "throughput", "benchmark"],
    ),
    (
        "The query was slow because the table had no index on the customer column.",
        "A database query is slow. How would you investigate?",
        &["query", "index", "table", "column", "execution plan"],
    ),
    (
        "We deployed the service with Kubernetes and monitored errors in production.",
        "How did you deploy and operate the service?",
        &[
            "Kubernetes",
            "deployed",
            "monitored",
            "production",
            "errors",
        ],
    ),
];

#[test]
fn spoken_answers_are_transcribed_within_twelve_percent_wer() {
    let _turn = one_at_a_time();
    let mut t = transcriber();
    let (mut words, mut errors) = (0.0, 0.0);
    for (text, question, vocabulary) in ITEMS {
        let vocabulary: Vec<String> = vocabulary.iter().map(|v| v.to_string()).collect();
        let p = prompt::for_question(question, &vocabulary);
        for voice in ["en-us", "en-gb"] {
            let audio = speak(text, voice, 160);
            let heard = transcribe_answer(&mut t, &audio, &p).expect("transcribe");
            let w = wer::wer(text, &heard.text);
            if w > 0.0 {
                eprintln!("{voice}, WER {w:.2}: {text} -> {}", heard.text);
            }
            let n = wer::normalise(text).len() as f64;
            words += n;
            errors += w * n;
        }
    }
    let total = errors / words;
    eprintln!("WER over {words} words: {:.1} %", total * 100.0);
    assert!(total <= 0.12, "WER {total:.3} is above 12 %");
}

#[test]
fn an_english_only_model_refuses_other_languages_and_unknown_codes() {
    let _turn = one_at_a_time();
    let mut t = transcriber();
    assert!(!t.is_multilingual());
    assert!(matches!(
        t.set_language("de"),
        Err(TranscribeError::EnglishOnlyModel { .. })
    ));
    assert!(matches!(
        t.set_language("xx\0"),
        Err(TranscribeError::UnknownLanguage(_))
    ));
    assert!(t.set_language("en").is_ok());
}

#[test]
fn a_set_interrupt_stops_passes_but_never_the_tail() {
    let _turn = one_at_a_time();
    let mut t = transcriber();
    let audio = speak(
        "In my last project I led a team of four engineers.",
        "en-us",
        160,
    );
    let flag = Arc::new(AtomicBool::new(true));
    t.set_interrupt(Some(flag.clone()));
    assert!(matches!(
        t.transcribe(&audio, ""),
        Err(TranscribeError::Interrupted)
    ));
    assert!(matches!(
        t.transcribe_draft(&audio, ""),
        Err(TranscribeError::Interrupted)
    ));
    let tail = t
        .transcribe_tail(&audio, "")
        .expect("the tail is never interrupted");
    assert!(
        tail.text.to_lowercase().contains("engineers"),
        "{}",
        tail.text
    );
    // Empty audio is no pass at all; silence alone stays short.
    flag.store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(t.transcribe(&[], "").expect("empty").text, "");
}
