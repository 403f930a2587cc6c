//! The fallback chain: providers in order, the offline rules brain last, always. One
//! deadline holds for the whole chain per call (about 2 s for an interview turn): the
//! providers share it, and the offline brain answers when it passes at the latest, so
//! hanging providers cannot add their waits up. Each provider may use an equal share of
//! the time still left among the providers still to try (the last one all of it), so a
//! hanging first provider leaves the next one time to answer; a provider whose breaker
//! is open is skipped at once.

use std::time::{Duration, Instant};

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
    /// How long the whole chain may take, per kind of call.
    deadlines: Deadlines,
}

/// The deadline of one link when `links_left` links (this one included) are still to be
/// tried: an equal share of the time left, so the last link gets all of it and time a
/// link did not use passes on to the next.
fn link_deadline(now: Instant, chain_deadline: Instant, links_left: usize) -> Instant {
    let left = chain_deadline.saturating_duration_since(now);
    let share = u32::try_from(links_left.max(1)).unwrap_or(u32::MAX);
    now + left / share
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
        Ok(Self {
            links,
            offline,
            deadlines,
        })
    }

    pub fn links(&self) -> &[LlmBrain] {
        &self.links
    }

    /// How long the whole chain may take per kind of call.
    pub fn deadlines(&self) -> Deadlines {
        self.deadlines
    }

    /// Tries each link within one deadline for the whole chain; the offline brain
    /// answers when none can, at the chain's deadline at the latest.
    fn run<T>(
        &self,
        what: &str,
        call: impl Fn(&LlmBrain, Instant) -> Result<T, BrainError>,
        deadline_of: impl Fn(&Deadlines) -> Duration,
        offline: impl FnOnce(&OfflineBrain) -> Result<T, BrainError>,
    ) -> Result<Attributed<T>, BrainError> {
        let started = Instant::now();
        let chain_deadline = started + deadline_of(&self.deadlines);
        let available: Vec<&LlmBrain> = self
            .links
            .iter()
            .filter(|l| l.provider().available())
            .collect();
        for (i, link) in available.iter().enumerate() {
            let now = Instant::now();
            if now >= chain_deadline {
                warn!(brain = %link.name(), "{what}: the chain's deadline passed; the offline brain answers");
                break;
            }
            let deadline = link_deadline(now, chain_deadline, available.len() - i);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_share_the_time_left_and_the_last_gets_all_of_it() {
        let now = Instant::now();
        let end = now + Duration::from_millis(3000);
        assert_eq!(
            link_deadline(now, end, 3),
            now + Duration::from_millis(1000)
        );
        assert_eq!(link_deadline(now, end, 1), end);
        // Past the deadline, no time is left.
        let late = end + Duration::from_millis(5);
        assert_eq!(link_deadline(late, end, 2), late);
    }
}
