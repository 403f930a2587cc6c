//! What a brain is asked and what it may answer. Brains live in other crates; the
//! engine validates whatever they propose.

use serde::{Deserialize, Serialize};

use crate::domain::{Difficulty, InterviewSpec, Language, Question, QuestionType};
use crate::report::{AnswerQuality, OverallAssessment, Recommendation, Scores};

/// A brain's proposal for what happens next. The engine has the last word.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Proposal {
    Preset {
        next_index: u32,
        suggested_time_seconds: u32,
    },
    FollowUp {
        question_text: String,
        suggested_time_seconds: u32,
    },
    Resume {
        question_text: String,
        suggested_time_seconds: u32,
    },
    Complete,
}

/// Time as the candidate experiences it: only answering time counts.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeStatus {
    pub limit_seconds: u32,
    pub elapsed_seconds: f64,
    pub remaining_seconds: f64,
}

/// A preset and whether it was asked yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PresetView {
    pub index: u32,
    pub question: Question,
    pub asked: bool,
}

/// One question and answer so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub number: u32,
    pub question_type: QuestionType,
    pub preset_index: Option<u32>,
    pub question_text: String,
    pub transcript: String,
    pub answer_seconds: f64,
    pub allotted_seconds: u32,
}

/// Everything a brain sees when deciding the next step: the same inputs the original
/// system's prompt had (job, focus areas, résumé, history, time, progress).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionContext {
    pub spec: InterviewSpec,
    /// Untrusted text; brains must treat it as data, never as instructions.
    pub resume_text: Option<String>,
    pub presets: Vec<PresetView>,
    pub history: Vec<HistoryItem>,
    pub time: TimeStatus,
    /// Follow-ups already asked for the preset most recently asked.
    pub follow_ups_used_for_current: u32,
    pub resume_question_asked: bool,
}

impl DecisionContext {
    /// The preset most recently asked, if the last question belongs to one.
    pub fn current_preset(&self) -> Option<&PresetView> {
        let last = self.history.last()?;
        match last.question_type {
            QuestionType::Resume => None,
            _ => last.preset_index.and_then(|i| self.presets.get(i as usize)),
        }
    }

    pub fn presets_left(&self) -> impl Iterator<Item = &PresetView> {
        self.presets.iter().filter(|p| !p.asked)
    }
}

/// What the brain is given to evaluate a finished session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationContext {
    pub spec: InterviewSpec,
    pub presets: Vec<Question>,
    pub resume_text: Option<String>,
    pub history: Vec<HistoryItem>,
}

/// The brain's judgement of one answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerEvaluation {
    pub key_points: Vec<String>,
    pub matched: Vec<String>,
    pub missed: Vec<String>,
    pub answer_quality: AnswerQuality,
    pub improvement: String,
    pub score: u8,
    pub evidence: Vec<String>,
    /// Sub-scores that feed the session's competency scores (0–100 each).
    pub communication: u8,
    pub technical: u8,
    pub problem_solving: u8,
}

/// The brain's judgement of a whole session, one answer evaluation per history item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub answers: Vec<AnswerEvaluation>,
    pub scores: Scores,
    pub overall_assessment: OverallAssessment,
}

impl Evaluation {
    pub fn recommendation(&self) -> Recommendation {
        self.overall_assessment.recommendation
    }
}

/// A request to propose preset questions for an interview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionRequest {
    pub job_role: String,
    pub job_description: String,
    pub difficulty: Difficulty,
    pub focus_areas: Vec<String>,
    pub count: u32,
    /// The language the questions are to be written in.
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, thiserror::Error)]
pub enum BrainError {
    #[error("the brain is unavailable: {0}")]
    Unavailable(String),
    #[error("the brain returned an invalid answer: {0}")]
    Invalid(String),
    #[error("the question bank is unusable: {0}")]
    Bank(String),
    /// The brain cannot write questions in the interview's language (the offline bank
    /// has none in it): the interview is not created in English instead.
    #[error("the offline question bank has no questions in {0}: write the interview's questions yourself, or choose an LLM brain")]
    NoQuestionsInLanguage(&'static str),
}

/// A brain's answer together with the name of what actually produced it. A single brain
/// answers under its own name; a chain of brains answers under the name of whichever
/// link served the call, so decisions and reports credit the right producer.
#[derive(Clone, Debug, PartialEq)]
pub struct Attributed<T> {
    pub value: T,
    pub by: String,
}

/// Who decides and scores. Implementations: the offline rules brain (always there) and,
/// later, LLM brains; a fallback chain ends with the offline brain.
pub trait Brain: Send + Sync {
    /// A short name for reports, e.g. `offline-rules v1`.
    fn name(&self) -> String;
    fn generate_questions(&self, request: &QuestionRequest) -> Result<Vec<Question>, BrainError>;
    fn decide(&self, context: &DecisionContext) -> Result<Proposal, BrainError>;
    fn evaluate(&self, context: &EvaluationContext) -> Result<Evaluation, BrainError>;

    /// `decide`, naming what produced the proposal. Brains that delegate override it.
    fn decide_attributed(
        &self,
        context: &DecisionContext,
    ) -> Result<Attributed<Proposal>, BrainError> {
        Ok(Attributed {
            value: self.decide(context)?,
            by: self.name(),
        })
    }

    /// `evaluate`, naming what produced the evaluation. Brains that delegate override it.
    fn evaluate_attributed(
        &self,
        context: &EvaluationContext,
    ) -> Result<Attributed<Evaluation>, BrainError> {
        Ok(Attributed {
            value: self.evaluate(context)?,
            by: self.name(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A brain that always completes, to check the default attribution.
    struct Done;

    impl Brain for Done {
        fn name(&self) -> String {
            "done v0".into()
        }
        fn generate_questions(&self, _: &QuestionRequest) -> Result<Vec<Question>, BrainError> {
            Ok(Vec::new())
        }
        fn decide(&self, _: &DecisionContext) -> Result<Proposal, BrainError> {
            Ok(Proposal::Complete)
        }
        fn evaluate(&self, _: &EvaluationContext) -> Result<Evaluation, BrainError> {
            Err(BrainError::Unavailable("not needed".into()))
        }
    }

    #[test]
    fn a_single_brain_answers_under_its_own_name() {
        let context = DecisionContext {
            spec: InterviewSpec {
                job_role: "r".into(),
                job_description: String::new(),
                difficulty: Difficulty::Easy,
                focus_areas: Vec::new(),
                time_limit_minutes: 1,
                avatar: "ada".into(),
                num_questions: 0,
                max_follow_ups_per_preset: 1,
                language: Default::default(),
            },
            resume_text: None,
            presets: Vec::new(),
            history: Vec::new(),
            time: TimeStatus {
                limit_seconds: 60,
                elapsed_seconds: 0.0,
                remaining_seconds: 60.0,
            },
            follow_ups_used_for_current: 0,
            resume_question_asked: false,
        };
        let answer = Done.decide_attributed(&context).expect("decides");
        assert_eq!(answer.value, Proposal::Complete);
        assert_eq!(answer.by, "done v0");
    }
}
