//! Brains decide and score; this crate holds the offline rules brain, Panelist's
//! embedded default: deterministic, explainable, and always available.
//!
//! The `Brain` trait itself lives in `panelist-core` (`brain_api`), so other brains
//! (LLM providers) depend only on the core, and the engine validates whatever any
//! brain proposes.

pub mod bank;
pub mod decide;
pub mod evaluate;
pub mod order;
pub mod probe;
pub mod relevance;
pub mod resume_facts;
pub mod scoring;
pub mod select;
pub mod skills;
pub mod synonyms;
pub mod templates;
pub mod text;

use panelist_core::brain_api::{
    Brain, BrainError, DecisionContext, Evaluation, EvaluationContext, Proposal, QuestionRequest,
};
use panelist_core::Question;

pub use bank::Bank;

/// The offline rules brain.
#[derive(Clone, Debug)]
pub struct OfflineBrain {
    bank: Bank,
}

impl OfflineBrain {
    pub const NAME: &'static str = "offline-rules v2";

    pub fn new(bank: Bank) -> Self {
        Self { bank }
    }

    /// The brain over the question bank compiled into this build.
    pub fn embedded() -> Result<Self, BrainError> {
        Bank::embedded()
            .map(Self::new)
            .map_err(|e| BrainError::Bank(e.to_string()))
    }

    pub fn bank(&self) -> &Bank {
        &self.bank
    }
}

impl Brain for OfflineBrain {
    fn name(&self) -> String {
        Self::NAME.to_string()
    }

    fn generate_questions(&self, request: &QuestionRequest) -> Result<Vec<Question>, BrainError> {
        let questions = select::choose(&self.bank, request);
        if questions.is_empty() {
            return Err(BrainError::Bank(
                "no bank question fits this interview".to_string(),
            ));
        }
        Ok(questions)
    }

    fn decide(&self, context: &DecisionContext) -> Result<Proposal, BrainError> {
        let facts = context.resume_text.as_deref().map(resume_facts::extract);
        Ok(decide::decide(context, facts.as_ref(), &self.bank))
    }

    fn evaluate(&self, context: &EvaluationContext) -> Result<Evaluation, BrainError> {
        Ok(evaluate::evaluate(context))
    }
}
