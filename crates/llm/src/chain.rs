//! The fallback chain: providers in order, the offline rules brain last, always. Each
//! provider gets its own deadline per call (about 2 s for an interview turn), so a
//! candidate never waits on a dead provider for longer than that; a provider whose
//! breaker is open is skipped at once.

use std::time::Instant;

use panelist_brain::OfflineBrain;
use panelist_core::brain_api::{
    Attributed, Brain, BrainError, DecisionContext, Evaluation, EvaluationContext, Proposal,
    QuestionRequest,
};
use panelist_core::Question;
use tracing::warn;

use crate::brain::{Deadlines, LlmBrain};
use crate::config::LlmConfig;

pub struct ChainBrain {
    links: Vec<LlmBrain>,
    offline: OfflineBrain,
}

impl ChainBrain {
    /// One link per configured provider, in the configured order, then `offline`.
    pub fn new(config: &LlmConfig, offline: OfflineBrain) -> Result<Self, BrainError> {
        let deadlines = Deadlines::from(config);
        let links = config
            .chain
            .iter()
            .map(|p| LlmBrain::new(p.clone(), deadlines, offline.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { links, offline })
    }

    pub fn links(&self) -> &[LlmBrain] {
        &self.links
    }

    /// Tries each link with its own deadline; the offline brain answers when none can.
    fn run<T>(
        &self,
        what: &str,
        call: impl Fn(&LlmBrain, Instant) -> Result<T, BrainError>,
        deadline_of: impl Fn(&Deadlines) -> std::time::Duration,
        offline: impl FnOnce(&OfflineBrain) -> Result<T, BrainError>,
    ) -> Result<Attributed<T>, BrainError> {
        for link in &self.links {
            if !link.provider().available() {
                continue;
            }
            let deadline = Instant::now() + deadline_of(&link.deadlines());
            match call(link, deadline) {
                Ok(value) => {
                    return Ok(Attributed {
                        value,
                        by: link.name(),
                    })
                }
                Err(e) => warn!(brain = %link.name(), error = %e, "{what}: moving on"),
            }
        }
        Ok(Attributed {
            value: offline(&self.offline)?,
            by: self.offline.name(),
        })
    }
}

impl Brain for ChainBrain {
    /// The chain as configured, e.g. `openai-compatible:groq/llama-3.1-8b-instant →
    /// offline-rules v1`. What actually answered a call is in its attribution.
    fn name(&self) -> String {
        self.links
            .iter()
            .map(|l| l.name())
            .chain([self.offline.name()])
            .collect::<Vec<_>>()
            .join(" → ")
    }

    fn generate_questions(&self, request: &QuestionRequest) -> Result<Vec<Question>, BrainError> {
        self.run(
            "questions",
            |l, d| l.generate_within(request, d),
            |d| d.generation,
            |o| o.generate_questions(request),
        )
        .map(|a| a.value)
    }

    fn decide(&self, context: &DecisionContext) -> Result<Proposal, BrainError> {
        self.decide_attributed(context).map(|a| a.value)
    }

    fn evaluate(&self, context: &EvaluationContext) -> Result<Evaluation, BrainError> {
        self.evaluate_attributed(context).map(|a| a.value)
    }

    fn decide_attributed(
        &self,
        context: &DecisionContext,
    ) -> Result<Attributed<Proposal>, BrainError> {
        self.run(
            "decision",
            |l, d| l.decide_within(context, d),
            |d| d.turn,
            |o| o.decide(context),
        )
    }

    fn evaluate_attributed(
        &self,
        context: &EvaluationContext,
    ) -> Result<Attributed<Evaluation>, BrainError> {
        self.run(
            "evaluation",
            |l, d| l.evaluate_within(context, d),
            |d| d.evaluation,
            |o| o.evaluate(context),
        )
    }
}
