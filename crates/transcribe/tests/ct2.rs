//! The CTranslate2 engine (`ct2` feature) with tiny.en's CTranslate2 folder, on speech made
//! by espeak-ng in the test: accuracy like whisper.cpp's, English-only refusal, interrupt.
//! Needs the runtime (`models/install-ct2-runtime.sh`) and `models/fetch-model.sh
//! tiny.en-ct2 base-ct2` (or PANELIST_CT2_MODEL naming tiny.en's folder).
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
    match std::env::var_os("PANELIST_CT2_MODEL").map(PathBuf::from) {
        Some(path) => {
            assert!(
                models::is_ct2_folder(&path),
                "PANELIST_CT2_MODEL={}: no CTranslate2 folder",
                path.display()
            );
            path
        }
        None => support::ct2_model("tiny.en-ct2"),
    }
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

/// The multilingual base model's CTranslate2 folder (set to English, as the kiosk does).
fn base_ct2() -> PathBuf {
    support::ct2_model("base-ct2")
}

/// WER over `ITEMS`, each spoken by two voices.
fn espeak_wer(model: PathBuf) -> f64 {
    let _turn = one_at_a_time();
    let mut t = Ct2Transcriber::load(Ct2Config::new(model)).expect("the CTranslate2 model loads");
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
    total
}

#[test]
fn spoken_answers_are_transcribed_within_twelve_percent_wer() {
    let total = espeak_wer(tiny_en_ct2());
    assert!(total <= 0.12, "WER {total:.3} is above 12 %");
}

#[test]
fn base_transcribes_spoken_answers_within_its_bound() {
    let total = espeak_wer(base_ct2());
    assert!(
        total <= BASE_ESPEAK_WER,
        "WER {total:.3} is above {BASE_ESPEAK_WER}"
    );
}

/// base-ct2's espeak WER bound: 9.0 % measured (2026-12-06; tiny.en-ct2 5.0 %: base
/// hears espeak-ng no better), plus a margin.
const BASE_ESPEAK_WER: f64 = 0.14;

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

/// A 60 s answer made like the bench's (`benches/transcribe.rs`): its sentences, en-us at
/// 160 words a minute, 0.35 s apart, silence to 60 s. It is longer than one 30 s window,
/// so `transcribe_answer` cuts it in two, in the pause before the sixth sentence; a cut at
/// that pause's very end made whisper leave the sixth sentence out (greedy, tiny.en-ct2
/// and base-ct2 alike).
const LONG_ANSWER: &[&str] = &[
    "In my last role I led a small team that built a churn prediction model for a subscription business.",
    "We started with a simple logistic regression as a baseline, so we knew what good looked like.",
    "The data came from three different systems, and cleaning it took almost half of the project.",
    "I wrote validation checks that flagged missing values and duplicate customer records every night.",
    "To compare models fairly, we used five-fold cross-validation on data from the previous year.",
    "Gradient boosting improved recall by about twelve percent over the baseline.",
    "We also watched the ninety-fifth percentile latency, because the model had to answer within two hundred milliseconds.",
    "When the results looked too good, I checked for leakage and found a feature that was recorded after cancellation.",
    "Removing it lowered the score, but the model became honest and much more useful.",
    "I would start by asking which decision the model supports.",
];

fn long_answer() -> Vec<f32> {
    let mut audio = support::silence(0.2);
    for (i, sentence) in LONG_ANSWER.iter().enumerate() {
        if i > 0 {
            audio.extend(support::silence(0.35));
        }
        audio.extend(speak(sentence, "en-us", 160));
    }
    // Silence to 60 s, as the bench's answer ends.
    audio.resize(60 * panelist_transcribe::SAMPLE_RATE, 0.0);
    audio
}

/// The sentences of `sentences` of which fewer than half of the words (as `wer`
/// normalises them) are heard in `heard` in the same order: a dropped sentence.
fn missing_sentences<'a>(sentences: &[&'a str], heard: &str) -> Vec<&'a str> {
    let heard = wer::normalise(heard);
    sentences
        .iter()
        .filter(|sentence| {
            let words = wer::normalise(sentence);
            // Longest run of the sentence's words found in order (a subsequence) in what
            // was heard, allowing words between: misheard words cost little, a dropped
            // sentence costs all.
            let mut best = 0;
            for start in 0..heard.len() {
                let mut at = start;
                let mut found = 0;
                for w in &words {
                    if let Some(offset) = heard[at..heard.len().min(at + 2 * words.len())]
                        .iter()
                        .position(|h| h == w)
                    {
                        at += offset + 1;
                        found += 1;
                    }
                }
                best = best.max(found);
            }
            best * 2 < words.len()
        })
        .copied()
        .collect()
}

fn long_answer_is_heard_whole(model: PathBuf, max_wer: f64) {
    let _turn = one_at_a_time();
    // The kiosk's final pass: greedy (the tail's beam), as the bench measures it.
    let mut config = Ct2Config::new(model);
    config.beam_size = config.tail_beam_size;
    let mut t = Ct2Transcriber::load(config).expect("the CTranslate2 model loads");
    let audio = long_answer();
    let seconds = audio.len() as f64 / panelist_transcribe::SAMPLE_RATE as f64;
    assert!(
        seconds > t.chunk_seconds() + 10.0,
        "the answer ({seconds:.1} s) must cross a chunk cut"
    );
    let question = prompt::for_question(
        "Tell me about a data project you are proud of, and how you validated the model.",
        &[
            "cross-validation",
            "baseline",
            "percentile",
            "latency",
            "leakage",
            "stakeholders",
            "A/B test",
            "data drift",
        ]
        .map(String::from),
    );
    let heard = transcribe_answer(&mut t, &audio, &question).expect("transcribe");
    let text = LONG_ANSWER.join(" ");
    let w = wer::wer(&text, &heard.text);
    eprintln!("{seconds:.1} s, WER {:.1} %: {}", w * 100.0, heard.text);
    let missing = missing_sentences(LONG_ANSWER, &heard.text);
    assert!(
        missing.is_empty(),
        "dropped: {missing:?}\nheard: {}",
        heard.text
    );
    assert!(w <= max_wer, "WER {w:.3} is above {max_wer}");
}

#[test]
fn missing_sentences_finds_a_dropped_sentence_only() {
    let all = LONG_ANSWER.join(" ");
    assert!(missing_sentences(LONG_ANSWER, &all).is_empty());
    let misheard = all.replace("churn", "turn").replace("fairly", "fully");
    assert!(missing_sentences(LONG_ANSWER, &misheard).is_empty());
    let dropped = all.replace(LONG_ANSWER[5], "");
    assert_eq!(
        missing_sentences(LONG_ANSWER, &dropped),
        vec![LONG_ANSWER[5]]
    );
}

#[test]
fn a_long_answer_keeps_every_sentence_across_the_chunk_cut() {
    // 5.8-7.8 % measured (CTranslate2's threads make runs differ slightly).
    long_answer_is_heard_whole(tiny_en_ct2(), 0.15);
}

#[test]
fn base_keeps_every_sentence_of_a_long_answer() {
    // 9.7 % measured.
    long_answer_is_heard_whole(base_ct2(), 0.15);
}
