//! The question bank as shipped: size, coverage and lint.

use panelist_brain::Bank;
use panelist_core::Difficulty;

#[test]
fn the_embedded_bank_is_large_enough_and_lint_free() {
    let bank = Bank::embedded().expect("bank parses");
    assert!(
        bank.questions.len() >= 300,
        "{} questions",
        bank.questions.len()
    );
    assert!(bank.areas.len() >= 16, "{} areas", bank.areas.len());
    assert_eq!(bank.lint(), Vec::<String>::new());
    for q in &bank.questions {
        assert!((3..=6).contains(&q.question.key_points.len()), "{}", q.id);
        assert!((1..=2).contains(&q.question.follow_ups.len()), "{}", q.id);
    }
    for d in Difficulty::ALL {
        assert!(bank.questions.iter().filter(|q| q.difficulty == *d).count() >= 90);
    }
}

#[test]
fn a_bank_directory_with_a_broken_file_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("x.toml"),
        "[area]\nid = \"x\"\n[[question]]\nid = 1\n",
    )
    .expect("write");
    let err = Bank::from_dir(dir.path()).expect_err("refused");
    assert!(err.to_string().contains("x.toml"), "{err}");
}

#[test]
fn the_lint_names_duplicates_gaps_and_missing_key_points() {
    let dir = tempfile::tempdir().expect("tempdir");
    let question = |id: &str, difficulty: &str, text: &str, key_points: &str| {
        format!(
            "[[question]]\nid = \"{id}\"\ndifficulty = \"{difficulty}\"\ntext = \"{text}\"\n\
             follow_ups = [\"Why?\"]\n{key_points}"
        )
    };
    let kp =
        "[[question.key_points]]\nlabel = \"a\"\nterms = [\"alpha\", \"beta\"]\nprobe = \"Why?\"\n";
    let three = kp.repeat(3);
    let file = format!(
        "[area]\nid = \"x\"\nname = \"X\"\n{}{}{}",
        question("x-1", "easy", "What is alpha?", &three),
        question("x-1", "medium", "What is ALPHA?", &three),
        question("x-3", "medium", "What is beta?", ""),
    );
    std::fs::write(dir.path().join("x.toml"), file).expect("write");
    let bank = Bank::from_dir(dir.path()).expect("parses");
    let problems = bank.lint();
    for expected in [
        "x-1: duplicate id",
        "x-1: duplicate question text",
        "x-3: 0 key points (need 3-6)",
        "area x: no hard question",
    ] {
        assert!(
            problems.iter().any(|p| p == expected),
            "{expected} not in {problems:?}"
        );
    }
    assert_eq!(problems.len(), 4, "{problems:?}");
}

#[test]
fn the_lint_fails_a_probe_that_gives_its_key_point_away() {
    let dir = tempfile::tempdir().expect("tempdir");
    let point = |label: &str, terms: &str, probe: Option<&str>| {
        format!(
            "[[question.key_points]]\nlabel = \"{label}\"\nterms = [{terms}]\n{}",
            probe
                .map(|p| format!("probe = \"{p}\"\n"))
                .unwrap_or_default()
        )
    };
    let file = format!(
        "[area]\nid = \"x\"\nname = \"X\"\n[[question]]\nid = \"x-1\"\ndifficulty = \"easy\"\n\
         text = \"How does Python manage memory?\"\nfollow_ups = [\"Why?\"]\n{}{}{}",
        point(
            "reference counting",
            "\"reference count\", \"refcount\"",
            Some("Could you address reference counting?")
        ),
        point(
            "cycle collector",
            "\"garbage collector\", \"cycles\"",
            Some("How does Python know when an object can be freed? Think of reference cycles.")
        ),
        point("memory pools", "\"pymalloc\", \"arena\"", None),
    );
    std::fs::write(dir.path().join("x.toml"), file).expect("write");
    let problems = Bank::from_dir(dir.path()).expect("parses").lint();
    for expected in [
        "x-1: the probe of `reference counting` gives away `reference counting` (says `reference count`)",
        "x-1: the probe of `cycle collector` gives away `cycle collector` (says `cycles`)",
        "x-1: key point `memory pools` has no probe",
    ] {
        assert!(
            problems.iter().any(|p| p == expected),
            "{expected} not in {problems:?}"
        );
    }
}
