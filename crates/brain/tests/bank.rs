//! The question bank as shipped: size, coverage and lint.

use panelist_brain::Bank;
use panelist_core::Difficulty;

#[test]
fn the_embedded_bank_is_large_enough_and_lint_free() {
    let bank = Bank::embedded().expect("bank parses");
    assert!(
        bank.questions.len() >= 120,
        "{} questions",
        bank.questions.len()
    );
    assert!(bank.areas.len() >= 10, "{} areas", bank.areas.len());
    assert_eq!(bank.lint(), Vec::<String>::new());
    for q in &bank.questions {
        assert!((3..=6).contains(&q.question.key_points.len()), "{}", q.id);
        assert!((1..=2).contains(&q.question.follow_ups.len()), "{}", q.id);
    }
    for d in Difficulty::ALL {
        assert!(bank.questions.iter().filter(|q| q.difficulty == *d).count() >= 30);
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
