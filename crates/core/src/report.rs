//! The report: design.md's JSON shape, built from a session and a brain's evaluation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::brain_api::{Evaluation, HistoryItem};
use crate::domain::{Candidate, Difficulty, InterviewSpec, Language, QuestionType};
use crate::ids::SessionId;

/// The version of the report JSON layout.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerQuality {
    Excellent,
    Good,
    Fair,
    Poor,
    #[serde(rename = "No answer")]
    NoAnswer,
}

impl AnswerQuality {
    /// Every quality, best first.
    pub const ALL: [AnswerQuality; 5] = [
        Self::Excellent,
        Self::Good,
        Self::Fair,
        Self::Poor,
        Self::NoAnswer,
    ];

    /// The label as it appears in the report JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Excellent => "Excellent",
            Self::Good => "Good",
            Self::Fair => "Fair",
            Self::Poor => "Poor",
            Self::NoAnswer => "No answer",
        }
    }

    /// The quality band of a 0–100 score; an empty answer is always `NoAnswer`.
    pub fn from_score(score: u8, empty: bool) -> Self {
        match score {
            _ if empty => Self::NoAnswer,
            80..=100 => Self::Excellent,
            60..=79 => Self::Good,
            40..=59 => Self::Fair,
            _ => Self::Poor,
        }
    }
}

/// The lowest overall score (0–100) of each recommendation; below [`CONSIDER_FROM`] it is
/// Not Recommend. The admin UI's mock reads the same numbers (`ui/src/lib/rules.ts`).
pub const STRONGLY_RECOMMEND_FROM: u8 = 80;
pub const RECOMMEND_FROM: u8 = 65;
pub const CONSIDER_FROM: u8 = 45;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recommendation {
    #[serde(rename = "Strongly Recommend")]
    StronglyRecommend,
    Recommend,
    Consider,
    #[serde(rename = "Not Recommend")]
    NotRecommend,
}

impl Recommendation {
    /// The label as it appears in the report JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StronglyRecommend => "Strongly Recommend",
            Self::Recommend => "Recommend",
            Self::Consider => "Consider",
            Self::NotRecommend => "Not Recommend",
        }
    }

    /// The recommendation for an overall score: from [`STRONGLY_RECOMMEND_FROM`],
    /// [`RECOMMEND_FROM`], [`CONSIDER_FROM`], else Not Recommend.
    pub fn from_overall(overall: u8) -> Self {
        if overall >= STRONGLY_RECOMMEND_FROM {
            Self::StronglyRecommend
        } else if overall >= RECOMMEND_FROM {
            Self::Recommend
        } else if overall >= CONSIDER_FROM {
            Self::Consider
        } else {
            Self::NotRecommend
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    pub communication: u8,
    pub technical: u8,
    pub problem_solving: u8,
    pub overall: u8,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverallAssessment {
    pub recommendation: Recommendation,
    pub strengths: Vec<String>,
    pub areas_for_improvement: Vec<String>,
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportInterview {
    pub job_role: String,
    pub difficulty: Difficulty,
    pub focus_areas: Vec<String>,
    /// The language the interview was held in; reports stored before languages existed
    /// were English.
    #[serde(default)]
    pub language: Language,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportCandidate {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportResponse {
    pub display_label: String,
    pub question_type: QuestionType,
    pub question_text: String,
    pub candidate_answer: String,
    pub key_points: Vec<String>,
    pub matched: Vec<String>,
    pub missed: Vec<String>,
    pub answer_quality: AnswerQuality,
    pub improvement: String,
    pub score: u8,
    pub evidence: Vec<String>,
    pub answer_seconds: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeneratedBy {
    pub brain: String,
    pub at: DateTime<Utc>,
}

/// A session's report. A human signs it off before it is final (admin mode).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub session_id: SessionId,
    pub interview: ReportInterview,
    pub candidate: ReportCandidate,
    pub scores: Scores,
    pub responses: Vec<ReportResponse>,
    pub overall_assessment: OverallAssessment,
    pub generated_by: GeneratedBy,
}

/// One of the four scores of a report, as a reviewer names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreKey {
    Communication,
    Technical,
    ProblemSolving,
    Overall,
}

impl ScoreKey {
    pub const ALL: [ScoreKey; 4] = [
        ScoreKey::Communication,
        ScoreKey::Technical,
        ScoreKey::ProblemSolving,
        ScoreKey::Overall,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Communication => "communication",
            Self::Technical => "technical",
            Self::ProblemSolving => "problem_solving",
            Self::Overall => "overall",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Communication => "Communication",
            Self::Technical => "Technical",
            Self::ProblemSolving => "Problem solving",
            Self::Overall => "Overall",
        }
    }

    pub fn of(self, scores: &Scores) -> u8 {
        match self {
            Self::Communication => scores.communication,
            Self::Technical => scores.technical,
            Self::ProblemSolving => scores.problem_solving,
            Self::Overall => scores.overall,
        }
    }

    fn set(self, scores: &mut Scores, value: u8) {
        match self {
            Self::Communication => scores.communication = value,
            Self::Technical => scores.technical = value,
            Self::ProblemSolving => scores.problem_solving = value,
            Self::Overall => scores.overall = value,
        }
    }
}

impl std::str::FromStr for ScoreKey {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!("unknown score {s:?}: communication, technical, problem_solving or overall")
            })
    }
}

/// A person's sign-off of a report: only a reviewed report is final.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportReview {
    pub session_id: SessionId,
    /// The reviewer's account email.
    pub by: String,
    pub at: DateTime<Utc>,
    pub note: String,
}

/// A reviewer's change to one score. The brain's score stays in the report; the
/// adjustment is kept beside it with its reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreAdjustment {
    pub session_id: SessionId,
    pub key: ScoreKey,
    pub original: u8,
    pub value: u8,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A sign-off as other systems receive it (the JSON export's `review`, the server's
/// copy): reviewer, time, note, and every adjustment with the brain's original score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignOff {
    pub reviewed_by: String,
    pub reviewed_at: DateTime<Utc>,
    pub note: String,
    pub score_adjustments: Vec<SignedAdjustment>,
}

/// One adjustment inside a [`SignOff`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignedAdjustment {
    pub score: ScoreKey,
    pub original: u8,
    pub value: u8,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

impl SignOff {
    pub fn new(review: &ReportReview, adjustments: &[ScoreAdjustment]) -> Self {
        Self {
            reviewed_by: review.by.clone(),
            reviewed_at: review.at,
            note: review.note.clone(),
            score_adjustments: adjustments
                .iter()
                .map(|a| SignedAdjustment {
                    score: a.key,
                    original: a.original,
                    value: a.value,
                    reason: a.reason.clone(),
                    by: a.by.clone(),
                    at: a.at,
                })
                .collect(),
        }
    }
}

/// [`SignOff`] as JSON (the JSON export's `review`).
pub fn review_json(review: &ReportReview, adjustments: &[ScoreAdjustment]) -> serde_json::Value {
    serde_json::to_value(SignOff::new(review, adjustments)).unwrap_or(serde_json::Value::Null)
}

impl Report {
    /// The scores in force: the brain's, with each key's latest adjustment applied.
    pub fn scores_in_force(&self, adjustments: &[ScoreAdjustment]) -> Scores {
        let mut scores = self.scores;
        for a in adjustments {
            a.key.set(&mut scores, a.value.min(100));
        }
        scores
    }

    /// The report as it stands after review: adjusted scores, and the recommendation
    /// that follows from the overall score in force when that was adjusted.
    pub fn with_adjustments(&self, adjustments: &[ScoreAdjustment]) -> Report {
        let mut report = self.clone();
        report.scores = self.scores_in_force(adjustments);
        if adjustments.iter().any(|a| a.key == ScoreKey::Overall) {
            report.overall_assessment.recommendation =
                Recommendation::from_overall(report.scores.overall);
        }
        report
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("the evaluation has {evaluated} answer(s) for {asked} question(s)")]
pub struct ReportMismatch {
    pub evaluated: usize,
    pub asked: usize,
}

/// Display labels as HR reads them: `Q1`, `Q1 Follow-up 1`, `Resume Q`.
pub fn display_labels(history: &[HistoryItem]) -> Vec<String> {
    let mut preset_ordinal = 0u32;
    let mut follow_up_ordinal = 0u32;
    history
        .iter()
        .map(|item| match item.question_type {
            QuestionType::Preset => {
                preset_ordinal += 1;
                follow_up_ordinal = 0;
                format!("Q{preset_ordinal}")
            }
            QuestionType::FollowUp => {
                follow_up_ordinal += 1;
                format!("Q{preset_ordinal} Follow-up {follow_up_ordinal}")
            }
            QuestionType::Resume => "Resume Q".to_string(),
        })
        .collect()
}

/// Puts a session, its history and the brain's evaluation together into a report.
pub fn build_report(
    session_id: SessionId,
    spec: &InterviewSpec,
    candidate: &Candidate,
    history: &[HistoryItem],
    evaluation: Evaluation,
    brain: String,
    at: DateTime<Utc>,
) -> Result<Report, ReportMismatch> {
    if evaluation.answers.len() != history.len() {
        return Err(ReportMismatch {
            evaluated: evaluation.answers.len(),
            asked: history.len(),
        });
    }
    let labels = display_labels(history);
    let responses = history
        .iter()
        .zip(evaluation.answers)
        .zip(labels)
        .map(|((item, eval), label)| ReportResponse {
            display_label: label,
            question_type: item.question_type,
            question_text: item.question_text.clone(),
            candidate_answer: item.transcript.clone(),
            key_points: eval.key_points,
            matched: eval.matched,
            missed: eval.missed,
            answer_quality: eval.answer_quality,
            improvement: eval.improvement,
            score: eval.score,
            evidence: eval.evidence,
            answer_seconds: item.answer_seconds,
        })
        .collect();
    Ok(Report {
        schema_version: REPORT_SCHEMA_VERSION,
        session_id,
        interview: ReportInterview {
            job_role: spec.job_role.clone(),
            difficulty: spec.difficulty,
            focus_areas: spec.focus_areas.clone(),
            language: spec.language,
        },
        candidate: ReportCandidate {
            name: candidate.name.clone(),
            email: candidate.email.clone(),
            phone: candidate.phone.clone(),
        },
        scores: evaluation.scores,
        responses,
        overall_assessment: evaluation.overall_assessment,
        generated_by: GeneratedBy { brain, at },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: QuestionType) -> HistoryItem {
        HistoryItem {
            number: 0,
            question_type: kind,
            preset_index: None,
            question_text: String::new(),
            transcript: String::new(),
            answer_seconds: 0.0,
            allotted_seconds: 60,
        }
    }

    #[test]
    fn labels_number_presets_and_their_follow_ups() {
        use QuestionType::*;
        let history: Vec<_> = [Preset, FollowUp, Preset, Resume, Preset, FollowUp, FollowUp]
            .into_iter()
            .map(item)
            .collect();
        assert_eq!(
            display_labels(&history),
            [
                "Q1",
                "Q1 Follow-up 1",
                "Q2",
                "Resume Q",
                "Q3",
                "Q3 Follow-up 1",
                "Q3 Follow-up 2"
            ]
        );
    }

    #[test]
    fn quality_and_recommendation_bands() {
        assert_eq!(
            AnswerQuality::from_score(90, false),
            AnswerQuality::Excellent
        );
        assert_eq!(AnswerQuality::from_score(60, false), AnswerQuality::Good);
        assert_eq!(AnswerQuality::from_score(59, false), AnswerQuality::Fair);
        assert_eq!(AnswerQuality::from_score(10, false), AnswerQuality::Poor);
        assert_eq!(AnswerQuality::from_score(90, true), AnswerQuality::NoAnswer);
        assert_eq!(
            Recommendation::from_overall(44),
            Recommendation::NotRecommend
        );
        assert_eq!(
            Recommendation::from_overall(80),
            Recommendation::StronglyRecommend
        );
        for q in [AnswerQuality::Excellent, AnswerQuality::NoAnswer] {
            let json = serde_json::to_string(&q).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", q.as_str()));
        }
        let json = serde_json::to_string(&Recommendation::NotRecommend).unwrap_or_default();
        assert_eq!(
            json,
            format!("\"{}\"", Recommendation::NotRecommend.as_str())
        );
    }
}
