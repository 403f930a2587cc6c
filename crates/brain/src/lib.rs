//! Brains decide and score; this crate holds the offline rules brain, Panelist's
//! embedded default: deterministic, explainable, and always available.
//!
//! The `Brain` trait itself lives in `panelist-core` (`brain_api`), so other brains
//! (LLM providers) depend only on the core, and the engine validates whatever any
//! brain proposes.

pub mod bank;
pub mod decide;
pub mod evaluate;
pub mod meaning;
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
use panelist_core::{Language, Question};

use std::sync::Arc;

pub use bank::Bank;
use meaning::{Meaning, SentenceEmbedder};

/// The offline rules brain, with a sentence-embedding model for meaning similarity or
/// without one.
#[derive(Clone)]
pub struct OfflineBrain {
    bank: Bank,
    meaning: Option<Arc<dyn SentenceEmbedder>>,
}

impl std::fmt::Debug for OfflineBrain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfflineBrain")
            .field(
                "meaning",
                &self.meaning.as_ref().map(|m| m.name().to_string()),
            )
            .finish_non_exhaustive()
    }
}

impl OfflineBrain {
    /// The brain's family name; [`Brain::name`] adds whether a meaning model is used.
    pub const NAME: &'static str = "offline-rules v2";
    /// [`Brain::name`] without a meaning model: scored by words alone.
    pub const WORDS_ONLY: &'static str = "offline-rules v2 (words only: no meaning model)";

    pub fn new(bank: Bank) -> Self {
        Self {
            bank,
            meaning: None,
        }
    }

    /// The same brain scoring with meaning similarity from `model`.
    pub fn with_meaning(mut self, model: Arc<dyn SentenceEmbedder>) -> Self {
        self.meaning = Some(model);
        self
    }

    /// The meaning model's name, when there is one.
    pub fn meaning_model(&self) -> Option<&str> {
        self.meaning.as_deref().map(|m| m.name())
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
        match &self.meaning {
            Some(m) => format!("{} + meaning {}", Self::NAME, m.name()),
            None => Self::WORDS_ONLY.to_string(),
        }
    }

    fn generate_questions(&self, request: &QuestionRequest) -> Result<Vec<Question>, BrainError> {
        // Questions come only from the part of the bank in the interview's language; the
        // bank is English today, so another language is refused by name, never answered
        // with English questions.
        let questions = if request.language == Language::English
            && self
                .bank
                .areas
                .iter()
                .all(|a| a.language == Language::English)
        {
            select::choose(&self.bank, request)
        } else {
            let bank = self.bank.in_language(request.language);
            if bank.questions.is_empty() {
                return Err(BrainError::NoQuestionsInLanguage(request.language.name()));
            }
            select::choose(&bank, request)
        };
        if questions.is_empty() {
            return Err(BrainError::Bank(
                "no bank question fits this interview".to_string(),
            ));
        }
        Ok(questions)
    }

    fn decide(&self, context: &DecisionContext) -> Result<Proposal, BrainError> {
        let facts = context.resume_text.as_deref().map(resume_facts::extract);
        let proposal = decide::decide(context, facts.as_ref(), &self.bank);
        if context.spec.language == Language::English {
            return Ok(proposal);
        }
        // This brain writes its own follow-ups and résumé questions in English. In another
        // language it asks only what was written in that language: the preset's own
        // follow-up prompts (written with the questions); otherwise it moves on.
        match proposal {
            Proposal::FollowUp {
                suggested_time_seconds,
                ..
            } => {
                let own = context.current_preset().and_then(|p| {
                    p.question
                        .follow_ups
                        .get(context.follow_ups_used_for_current as usize)
                });
                if let Some(text) = own {
                    return Ok(Proposal::FollowUp {
                        question_text: text.clone(),
                        suggested_time_seconds,
                    });
                }
            }
            Proposal::Resume { .. } => {}
            other => return Ok(other),
        }
        let mut without_own_text = context.clone();
        without_own_text.spec.max_follow_ups_per_preset = 0;
        without_own_text.resume_question_asked = true;
        Ok(decide::decide(
            &without_own_text,
            facts.as_ref(),
            &self.bank,
        ))
    }

    fn evaluate(&self, context: &EvaluationContext) -> Result<Evaluation, BrainError> {
        let meaning = self.meaning.as_deref().map(Meaning::new);
        Ok(evaluate::evaluate(context, meaning.as_ref()))
    }
}
