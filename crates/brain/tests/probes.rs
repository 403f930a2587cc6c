//! Follow-ups probe, they do not prompt: for every bank question, an answer that misses
//! key points gets a follow-up that names none of the missed points' terms, and words
//! the interviewer said earn no more than echoes of the question.

use panelist_brain::probe::leaks_any;
use panelist_brain::{Bank, OfflineBrain};
use panelist_core::brain_api::{
    DecisionContext, EvaluationContext, HistoryItem, PresetView, Proposal, TimeStatus,
};
use panelist_core::{Brain, Difficulty, InterviewSpec, KeyPoint, Question, QuestionType};

fn spec(difficulty: Difficulty) -> InterviewSpec {
    InterviewSpec {
        job_role: "Engineer".into(),
        job_description: String::new(),
        difficulty,
        focus_areas: vec![],
        time_limit_minutes: 30,
        avatar: "ada".into(),
        num_questions: 1,
        max_follow_ups_per_preset: 1,
        language: Default::default(),
    }
}

/// The decision after `answer` to `question`, the only preset, asked first.
fn after(question: &Question, difficulty: Difficulty, answer: &str) -> Proposal {
    let ctx = DecisionContext {
        spec: spec(difficulty),
        resume_text: None,
        presets: vec![PresetView {
            index: 0,
            question: question.clone(),
            asked: true,
        }],
        history: vec![HistoryItem {
            number: 1,
            question_type: QuestionType::Preset,
            preset_index: Some(0),
            question_text: question.text.clone(),
            transcript: answer.to_string(),
            answer_seconds: 60.0,
            allotted_seconds: 90,
        }],
        time: TimeStatus {
            limit_seconds: 1800,
            elapsed_seconds: 60.0,
            remaining_seconds: 1740.0,
        },
        follow_ups_used_for_current: 0,
        resume_question_asked: false,
    };
    brain().decide(&ctx).expect("decides")
}

/// The embedded brain, parsed once for the whole test binary.
fn brain() -> &'static OfflineBrain {
    static BRAIN: std::sync::OnceLock<OfflineBrain> = std::sync::OnceLock::new();
    BRAIN.get_or_init(|| OfflineBrain::embedded().expect("bank"))
}

/// Answers that cover no key point: off-topic, hedging, or only the question's words.
fn evasive(question: &Question) -> Vec<String> {
    vec![
        "I am not sure. I would look it up and ask a colleague, then think about it carefully \
         before deciding anything."
            .to_string(),
        "I have not really done this.".to_string(),
        format!("Well, {}", question.text.to_lowercase()),
    ]
}

#[test]
fn every_bank_key_point_has_a_probe_that_gives_nothing_away() {
    let bank = Bank::embedded().expect("bank");
    let mut probes = 0;
    for q in &bank.questions {
        assert_eq!(q.probes.len(), q.question.key_points.len(), "{}", q.id);
        for (kp, probe) in q.question.key_points.iter().zip(&q.probes) {
            let probe = probe
                .as_deref()
                .unwrap_or_else(|| panic!("{}: no probe", q.id));
            assert!(
                leaks_any(probe, &q.question.key_points).is_none(),
                "{}: the probe of `{}` gives a key point away: {probe}",
                q.id,
                kp.label
            );
            assert!(probe.ends_with('?') || probe.ends_with('.'), "{probe}");
            probes += 1;
        }
    }
    assert!(probes >= 1000, "{probes} probes");
}

#[test]
fn follow_ups_to_answers_that_miss_every_point_name_none_of_them() {
    let bank = brain().bank();
    let mut follow_ups = 0;
    for q in &bank.questions {
        for answer in evasive(&q.question) {
            match after(&q.question, q.difficulty, &answer) {
                Proposal::FollowUp { question_text, .. } => {
                    follow_ups += 1;
                    let leak = leaks_any(&question_text, &q.question.key_points);
                    assert!(
                        leak.is_none(),
                        "{}: follow-up `{question_text}` names {leak:?} after `{answer}`",
                        q.id
                    );
                    assert!(
                        !question_text.contains("address this point"),
                        "{question_text}"
                    );
                }
                other => panic!("{}: no follow-up after `{answer}`: {other:?}", q.id),
            }
        }
    }
    assert_eq!(follow_ups, 3 * bank.questions.len());
}

#[test]
fn follow_ups_after_partial_answers_name_no_missed_point() {
    // An answer that covers one key point by saying its first term: the follow-up may be
    // about anything still missing, and names none of it.
    let bank = brain().bank();
    for q in &bank.questions {
        let points = &q.question.key_points;
        for (i, kp) in points.iter().enumerate() {
            let answer = format!(
                "I think {} matters here, and I would start from there and see.",
                kp.terms[0]
            );
            if let Proposal::FollowUp { question_text, .. } =
                after(&q.question, q.difficulty, &answer)
            {
                let missed: Vec<KeyPoint> = points
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, k)| k.clone())
                    .collect();
                // Another term of the answered point may overlap a missed one's: only
                // points the answer did not cover count.
                let a = panelist_brain::text::Analyzed::new(&answer);
                let missed: Vec<KeyPoint> = missed
                    .into_iter()
                    .filter(|k| !k.terms.iter().any(|t| a.has_phrase(t)))
                    .collect();
                let leak = leaks_any(&question_text, &missed);
                assert!(leak.is_none(), "{}: `{question_text}` names {leak:?}", q.id);
            }
        }
    }
}

#[test]
fn words_the_interviewer_said_in_a_follow_up_earn_only_echo_credit() {
    let kp = |label: &str, terms: &[&str]| KeyPoint {
        label: label.into(),
        terms: terms.iter().map(|t| t.to_string()).collect(),
    };
    let preset = Question {
        text: "How does Python manage memory?".into(),
        tags: vec![],
        key_points: vec![
            kp("reference counting", &["reference count", "refcount"]),
            kp("cycle collector", &["garbage collector", "cycle"]),
            kp("memory pools", &["pymalloc", "arena"]),
        ],
        follow_ups: vec!["Why?".into()],
        source: None,
    };
    let history = |follow_up: &str, answer: &str| {
        vec![
            HistoryItem {
                number: 1,
                question_type: QuestionType::Preset,
                preset_index: Some(0),
                question_text: preset.text.clone(),
                transcript: "It is handled automatically.".into(),
                answer_seconds: 10.0,
                allotted_seconds: 90,
            },
            HistoryItem {
                number: 2,
                question_type: QuestionType::FollowUp,
                preset_index: Some(0),
                question_text: follow_up.into(),
                transcript: answer.into(),
                answer_seconds: 10.0,
                allotted_seconds: 60,
            },
        ]
    };
    let score = |follow_up: &str, answer: &str| {
        let ctx = EvaluationContext {
            spec: spec(Difficulty::Medium),
            presets: vec![preset.clone()],
            resume_text: None,
            history: history(follow_up, answer),
        };
        brain().evaluate(&ctx).expect("evaluates").answers[1].clone()
    };
    let answer = "Yes, reference counting, that is what it uses.";
    let prompted = score("Could you address this point: reference counting?", answer);
    let probed = score("How does Python know when an object can be freed?", answer);
    assert!(
        prompted
            .evidence
            .iter()
            .any(|e| e.starts_with("half credit: reference counting")),
        "{:?}",
        prompted.evidence
    );
    assert!(
        probed.score > prompted.score,
        "{} vs {}",
        probed.score,
        prompted.score
    );
}
