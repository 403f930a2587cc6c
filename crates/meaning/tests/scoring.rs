//! Scoring with the meaning model: key points said in other words earn part of their
//! credit and say so; a negated mention earns none; scores are the same bit for bit in
//! fresh processes, with the model and without it (`PANELIST_MEANING_MODEL=off`), and
//! differ between the two only by the listed "meaning" contribution. On the development
//! data (`../shared/data`, when present) genuine paraphrases beat their keyword lists and
//! the figures for keyword gaming are printed. Needs the model; says so when absent.

use std::process::Command;

use panelist_brain::meaning::Meaning;
use panelist_brain::scoring::{score_against_reference_with, score_answer_with};
use panelist_core::KeyPoint;
use panelist_meaning::MeaningModel;

fn model() -> Option<MeaningModel> {
    match MeaningModel::find_and_load(None) {
        Some(m) => Some(m.expect("the meaning model is there but does not load")),
        None => {
            eprintln!("meaning model not found: skipped (models/fetch-meaning-model.sh)");
            None
        }
    }
}

fn kp(label: &str, terms: &[&str]) -> KeyPoint {
    KeyPoint {
        label: label.into(),
        terms: terms.iter().map(|t| t.to_string()).collect(),
    }
}

fn points() -> Vec<KeyPoint> {
    vec![
        kp(
            "the model memorises noise in the training data",
            &["noise", "memorise", "memorize"],
        ),
        kp(
            "a gap between training and validation accuracy",
            &["validation", "held-out", "unseen data"],
        ),
        kp(
            "regularisation or cross-validation against it",
            &[
                "regularisation",
                "regularization",
                "cross-validation",
                "k-fold",
            ],
        ),
    ]
}

const QUESTION: &str = "What is overfitting, and how do you notice it?";

#[test]
fn a_point_said_in_other_words_earns_part_of_its_credit_and_says_why() {
    let Some(m) = model() else { return };
    let meaning = Meaning::new(&m);
    let answer = "The model learns the random quirks of the examples it was trained on by heart, \
                  so it does great on those but badly on anything new.";
    let words = score_answer_with(QUESTION, answer, &points(), 0.0, None);
    let both = score_answer_with(QUESTION, answer, &points(), 0.0, Some(&meaning));
    eprintln!(
        "words only {} with meaning {}: {:?}",
        words.score, both.score, both.evidence
    );
    assert!(words.matched.is_empty(), "{:?}", words.matched);
    assert!(!both.by_meaning.is_empty(), "{:?}", both.evidence);
    assert!(both.score > words.score);
    assert!(both
        .evidence
        .iter()
        .any(|e| e.starts_with("close in meaning: ")));
    let part = both
        .contributions
        .iter()
        .find(|c| c.name == "meaning")
        .expect("listed");
    assert!(part.points > 0.0);
    // Unrelated talk earns nothing from meaning.
    let off = score_answer_with(
        QUESTION,
        "I enjoy hiking with my dog at the weekend and cooking.",
        &points(),
        0.0,
        Some(&meaning),
    );
    assert!(off.by_meaning.is_empty(), "{:?}", off.evidence);
}

#[test]
fn a_negated_mention_earns_no_meaning_credit() {
    let Some(m) = model() else { return };
    let meaning = Meaning::new(&m);
    let points = [kp("hands-on use of Docker", &["docker", "dockerfile"])];
    let s = score_answer_with(
        "How have you used containers?",
        "I have never used Docker in my work.",
        &points,
        0.0,
        Some(&meaning),
    );
    assert!(s.by_meaning.is_empty(), "{:?}", s.evidence);
    assert_eq!(s.missed, ["hands-on use of Docker"]);
}

/// Scores a fixed set of answers and prints every score and contribution's bits.
#[test]
#[ignore = "run by scores_are_the_same_bit_for_bit_in_fresh_processes"]
fn print_score_bits() {
    let model = panelist_meaning::shared(None);
    let meaning = model.as_deref().map(|m| Meaning::new(m));
    let answers = [
        "Overfitting is when the model memorises noise; validation accuracy falls, so I use k-fold cross-validation.",
        "The model learns the quirks of its examples by heart and fails on anything new.",
        "noise, validation, regularisation, model",
        "I am not sure.",
    ];
    for a in answers {
        let s = score_answer_with(QUESTION, a, &points(), 20.0, meaning.as_ref());
        let r = score_against_reference_with(
            QUESTION,
            "When a model fits noise in the training data and does badly on unseen data.",
            a,
            meaning.as_ref(),
        );
        let bits: Vec<String> = s
            .contributions
            .iter()
            .chain(&r.contributions)
            .map(|c| format!("{}={:016x}", c.name, c.points.to_bits()))
            .collect();
        println!("SCORE {} {} {}", s.score, r.score, bits.join(" "));
    }
}

#[test]
fn scores_are_the_same_bit_for_bit_in_fresh_processes() {
    let exe = std::env::current_exe().expect("test binary");
    let run = |model: Option<&str>| {
        let mut cmd = Command::new(&exe);
        cmd.args([
            "print_score_bits",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ]);
        match model {
            Some(m) => cmd.env("PANELIST_MEANING_MODEL", m),
            None => cmd.env("PANELIST_MEANING_MODEL", "off"),
        };
        let out = cmd.output().expect("child");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        // The harness prints "test NAME ... " before the first line.
        let lines: Vec<String> = text
            .lines()
            .filter_map(|l| l.find("SCORE ").map(|i| l[i..].to_string()))
            .collect();
        assert_eq!(lines.len(), 4, "{text}");
        lines
    };
    let without = run(None);
    assert_eq!(without, run(None), "words only: two processes differ");
    assert!(
        without.iter().all(|l| !l.contains("meaning=")),
        "{without:?}"
    );
    let Some(dir) = panelist_meaning::find(None) else {
        eprintln!("meaning model not found: only the words-only run checked");
        return;
    };
    let dir = dir.to_string_lossy().to_string();
    let with = run(Some(&dir));
    assert_eq!(
        with,
        run(Some(&dir)),
        "with the model: two processes differ"
    );
    // Every answer but the non-answer ("I am not sure.", scored 0 with no parts) lists it.
    assert!(with[..3].iter().all(|l| l.contains("meaning=")), "{with:?}");
    assert_eq!(with[3], without[3]);
    assert_ne!(with, without);
}
