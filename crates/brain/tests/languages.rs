//! The offline brain and the interview's language: its bank is English, so it proposes no
//! questions in another language (an error naming it, never English questions), and in
//! an interview held in another language it never asks its own English follow-ups.

use panelist_brain::{Bank, OfflineBrain};
use panelist_core::brain_api::{
    DecisionContext, HistoryItem, PresetView, Proposal, QuestionRequest, TimeStatus,
};
use panelist_core::{
    Brain, BrainError, Difficulty, InterviewSpec, KeyPoint, Language, Question, QuestionType,
};

fn request(language: Language) -> QuestionRequest {
    QuestionRequest {
        job_role: "Backend Engineer".into(),
        job_description: "Python services and SQL".into(),
        difficulty: Difficulty::Medium,
        focus_areas: vec!["Python".into()],
        count: 3,
        language,
    }
}

#[test]
fn the_english_bank_proposes_english_questions_and_refuses_other_languages_by_name() {
    let brain = OfflineBrain::embedded().expect("bank");
    assert_eq!(
        brain
            .generate_questions(&request(Language::English))
            .expect("English questions")
            .len(),
        3
    );
    for language in [Language::German, Language::French, Language::Spanish] {
        let err = brain
            .generate_questions(&request(language))
            .expect_err("no questions in that language");
        assert!(
            matches!(err, BrainError::NoQuestionsInLanguage(name) if name == language.name()),
            "{err}"
        );
        assert!(err.to_string().contains(language.name()), "{err}");
    }
}

#[test]
fn a_bank_file_in_german_serves_german_interviews_only() {
    let german = r#"
[area]
id = "python-de"
name = "Python (Deutsch)"
aliases = ["python"]
language = "de"

[[question]]
id = "py-de-01"
difficulty = "medium"
text = "Wie testen Sie einen Python-Dienst?"
follow_ups = ["Können Sie ein Beispiel nennen?"]
[[question.key_points]]
label = "Tests"
terms = ["pytest", "unittest"]
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("python-de.toml"), german).expect("write");
    let brain = OfflineBrain::new(Bank::from_dir(dir.path()).expect("bank"));
    let questions = brain
        .generate_questions(&QuestionRequest {
            count: 1,
            ..request(Language::German)
        })
        .expect("German questions");
    assert_eq!(questions[0].text, "Wie testen Sie einen Python-Dienst?");
    assert!(matches!(
        brain.generate_questions(&request(Language::French)),
        Err(BrainError::NoQuestionsInLanguage("French"))
    ));
}

fn preset(follow_ups: Vec<String>) -> Question {
    Question {
        text: "Wie testen Sie Ihre Python-Dienste?".into(),
        tags: vec![],
        key_points: vec![KeyPoint {
            label: "Tests".into(),
            terms: vec!["pytest".into(), "Unittest".into()],
        }],
        follow_ups,
        source: None,
    }
}

/// The decision after a short German answer that misses the key point.
fn after_short_answer(language: Language, follow_ups: Vec<String>) -> Proposal {
    let question = preset(follow_ups);
    let second = Question {
        text: "Wie gehen Sie mit Datenbanken um?".into(),
        ..preset(vec![])
    };
    let ctx = DecisionContext {
        spec: InterviewSpec {
            job_role: "Backend Engineer".into(),
            job_description: String::new(),
            difficulty: Difficulty::Medium,
            focus_areas: vec![],
            time_limit_minutes: 30,
            avatar: "ada".into(),
            num_questions: 2,
            max_follow_ups_per_preset: 1,
            language,
        },
        resume_text: Some("Erfahrung: Python, Django, PostgreSQL bei Beispiel GmbH".into()),
        presets: vec![
            PresetView {
                index: 0,
                question: question.clone(),
                asked: true,
            },
            PresetView {
                index: 1,
                question: second,
                asked: false,
            },
        ],
        history: vec![HistoryItem {
            number: 1,
            question_type: QuestionType::Preset,
            preset_index: Some(0),
            question_text: question.text.clone(),
            transcript: "Ich teste manchmal.".into(),
            answer_seconds: 5.0,
            allotted_seconds: 120,
        }],
        time: TimeStatus {
            limit_seconds: 1800,
            elapsed_seconds: 5.0,
            remaining_seconds: 1795.0,
        },
        follow_ups_used_for_current: 0,
        resume_question_asked: false,
    };
    OfflineBrain::embedded()
        .expect("bank")
        .decide(&ctx)
        .expect("decides")
}

#[test]
fn in_another_language_the_offline_brain_asks_only_follow_ups_written_in_it() {
    // In English the short answer gets the brain's own follow-up.
    assert!(matches!(
        after_short_answer(Language::English, vec![]),
        Proposal::FollowUp { .. }
    ));
    // In German it asks the preset's own (German) follow-up prompt…
    match after_short_answer(
        Language::German,
        vec!["Können Sie ein Beispiel nennen?".into()],
    ) {
        Proposal::FollowUp { question_text, .. } => {
            assert_eq!(question_text, "Können Sie ein Beispiel nennen?")
        }
        other => panic!("expected the preset's follow-up, got {other:?}"),
    }
    // …and without one it moves on to the next preset, never an English question.
    assert!(matches!(
        after_short_answer(Language::German, vec![]),
        Proposal::Preset { next_index: 1, .. }
    ));
}
