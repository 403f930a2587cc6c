//! Reports to export, built in code so every field is known to the tests.

use chrono::{DateTime, Duration, TimeZone, Utc};
use panelist_core::report::{
    AnswerQuality, GeneratedBy, OverallAssessment, Recommendation, ReportCandidate,
    ReportInterview, ReportResponse, Scores, REPORT_SCHEMA_VERSION,
};
use panelist_core::{Difficulty, InterviewId, QuestionType, Report, SessionId};
use panelist_export::{ExportItem, SessionFacts};

pub const UNICODE_NAMES: [&str; 3] = ["José Müller", "Zoë Ångström", "李雷"];

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 30, 0)
        .single()
        .expect("a valid date")
}

fn response(
    label: &str,
    kind: QuestionType,
    question: &str,
    answer: &str,
    score: u8,
) -> ReportResponse {
    ReportResponse {
        display_label: label.to_string(),
        question_type: kind,
        question_text: question.to_string(),
        candidate_answer: answer.to_string(),
        key_points: vec!["cross-validation".into(), "data leakage".into()],
        matched: vec!["cross-validation (said: \"k-fold\")".into()],
        missed: vec!["data leakage".into()],
        answer_quality: AnswerQuality::from_score(score, answer.is_empty()),
        improvement: "Explain how you keep test data out of training.".into(),
        score,
        evidence: vec![
            "matched: cross-validation".into(),
            "missed: data leakage".into(),
            format!("pace: {} words per minute", 120 + u32::from(score)),
        ],
        answer_seconds: 42.5,
    }
}

/// A report for `name` whose scores depend on `seed`, with a preset, its follow-up and a
/// résumé question.
pub fn item(name: &str, seed: u8) -> ExportItem {
    let s = |base: u8| base.saturating_add(seed % 10);
    let interview_id = InterviewId::new();
    let at = start() + Duration::minutes(i64::from(seed));
    let report = Report {
        schema_version: REPORT_SCHEMA_VERSION,
        session_id: SessionId::new(),
        interview: ReportInterview {
            job_role: "Data Scientist".into(),
            difficulty: Difficulty::Hard,
            focus_areas: vec!["ML".into(), "Python".into()],
            language: Default::default(),
        },
        candidate: ReportCandidate {
            name: name.to_string(),
            email: "candidate@example.com".into(),
            phone: Some("+44 20 7946 0958".into()),
        },
        scores: Scores {
            communication: s(71),
            technical: s(63),
            problem_solving: s(57),
            overall: s(66),
        },
        responses: vec![
            response(
                "Q1",
                QuestionType::Preset,
                "How do you validate a machine learning model?",
                "I use k-fold cross-validation and keep a hold-out set for the final check.",
                s(78),
            ),
            response(
                "Q1 Follow-up 1",
                QuestionType::FollowUp,
                "How do you avoid leaking test data into training?",
                "",
                0,
            ),
            response(
                "Resume Q",
                QuestionType::Resume,
                "Tell me about the forecasting project on your résumé.",
                "We forecast demand for 300 stores with gradient boosting; I built the features.",
                s(52),
            ),
        ],
        overall_assessment: OverallAssessment {
            recommendation: Recommendation::from_overall(s(66)),
            strengths: vec!["Knows validation techniques".into()],
            areas_for_improvement: vec!["Data leakage".into(), "Concrete examples".into()],
            summary: format!("{name} shows solid fundamentals with gaps in data hygiene."),
        },
        generated_by: GeneratedBy {
            brain: "offline-rules v1".into(),
            at: at + Duration::minutes(25),
        },
    };
    ExportItem {
        report,
        facts: SessionFacts {
            interview_id,
            revision: 1,
            started_at: Some(at),
            ended_at: Some(at + Duration::seconds(24 * 60 + 5)),
            reviewed_by: None,
            review: None,
        },
    }
}
