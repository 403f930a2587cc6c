//! The LLM brain: one provider behind the `Brain` trait. It asks with the prompts,
//! reads the reply with `parse`, and keeps the model's judgement honest: every score
//! must quote the transcript, and each score stays within a band around the offline
//! rules brain's score for the same answer, so no text inside an answer can move a
//! score further than an honest disagreement between two graders would.

use std::time::{Duration, Instant};

use panelist_brain::{decide, OfflineBrain};
use panelist_core::brain_api::{
    AnswerEvaluation, Brain, BrainError, DecisionContext, Evaluation, EvaluationContext, Proposal,
    QuestionRequest,
};
use panelist_core::report::{AnswerQuality, OverallAssessment, Recommendation, Scores};
use panelist_core::{KeyPoint, Language, Question};
use serde_json::Value;
use tracing::warn;

use crate::client::{ChatRequest, Provider};
use crate::config::{LlmConfig, ProviderConfig};
use crate::parse::{self, ParseError};
use crate::prompts;

/// How far a model's score may stray from the rules brain's score for the same answer.
/// Two careful human graders of short answers commonly differ by this much; an injected
/// "score this 100" cannot move a score further.
pub const ANCHOR_BAND: u8 = 20;

/// How long each kind of call may take: on a [`crate::ChainBrain`], for the whole chain;
/// on a lone [`LlmBrain`], for its one provider.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Deadlines {
    pub turn: Duration,
    pub evaluation: Duration,
    pub generation: Duration,
}

impl From<&LlmConfig> for Deadlines {
    fn from(c: &LlmConfig) -> Self {
        Self {
            turn: c.turn_deadline,
            evaluation: c.evaluation_deadline,
            generation: c.generation_deadline,
        }
    }
}

/// One OpenAI-compatible provider as a brain.
pub struct LlmBrain {
    provider: Provider,
    rules: OfflineBrain,
    deadlines: Deadlines,
}

impl LlmBrain {
    /// `rules` scores each answer too, as the anchor the model's scores are held to.
    pub fn new(
        config: ProviderConfig,
        deadlines: Deadlines,
        rules: OfflineBrain,
    ) -> Result<Self, BrainError> {
        let provider = Provider::new(config).map_err(|e| BrainError::Unavailable(e.to_string()))?;
        Ok(Self {
            provider,
            rules,
            deadlines,
        })
    }

    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    pub fn deadlines(&self) -> Deadlines {
        self.deadlines
    }

    /// Asks the provider and converts its reply; a reply that does not fit counts
    /// against the provider's breaker.
    fn ask<T>(
        &self,
        user: &str,
        schema_name: &str,
        schema: &Value,
        max_tokens: u32,
        deadline: Instant,
        convert: impl Fn(&Value) -> Result<T, ParseError>,
    ) -> Result<T, BrainError> {
        let name = &self.provider.config().name;
        let request = ChatRequest {
            system: prompts::SYSTEM,
            user,
            schema_name,
            schema,
            max_tokens,
        };
        let reply = self
            .provider
            .chat(&request, deadline)
            .map_err(|e| BrainError::Unavailable(format!("{name}: {e}")))?;
        match parse::first_valid(&reply.content, convert) {
            Ok(value) => {
                self.provider.record_success();
                Ok(value)
            }
            Err(e) => {
                self.provider.record_invalid();
                warn!(provider = %name, error = %e, "unusable reply");
                Err(BrainError::Invalid(format!("{name}: {e}")))
            }
        }
    }

    pub fn decide_within(
        &self,
        context: &DecisionContext,
        deadline: Instant,
    ) -> Result<Proposal, BrainError> {
        let schema = prompts::decision_schema();
        let proposal = self.ask(
            &prompts::decision(context),
            "decision",
            &schema,
            400,
            deadline,
            parse::decision,
        )?;
        Ok(self.probe_not_prompt(context, proposal))
    }

    /// A model's follow-up that names a term of a key point the candidate has not
    /// covered would hand them the answer: it is replaced by the bank's probe for that
    /// point, which asks about it without naming it.
    fn probe_not_prompt(&self, context: &DecisionContext, proposal: Proposal) -> Proposal {
        let Proposal::FollowUp {
            question_text,
            suggested_time_seconds,
        } = proposal
        else {
            return proposal;
        };
        let Some(preset) = context.current_preset() else {
            return Proposal::FollowUp {
                question_text,
                suggested_time_seconds,
            };
        };
        let missed = decide::missed_in_thread(context, preset);
        let guarded =
            decide::guard_follow_up(question_text.clone(), preset, &missed, self.rules.bank());
        if guarded != question_text {
            warn!(provider = %self.provider.config().name, "the model's follow-up named a missed key point; asking the bank's probe instead");
            if context.spec.language != Language::English {
                // The bank's probes are English: in another language the rules brain
                // decides instead (the preset's own follow-up prompt, or the next step).
                if let Ok(instead) = self.rules.decide(context) {
                    return instead;
                }
            }
        }
        Proposal::FollowUp {
            question_text: guarded,
            suggested_time_seconds,
        }
    }

    pub fn evaluate_within(
        &self,
        context: &EvaluationContext,
        deadline: Instant,
    ) -> Result<Evaluation, BrainError> {
        let anchor = self.rules.evaluate(context)?;
        let schema = prompts::evaluation_schema();
        self.ask(
            &prompts::evaluation(context),
            "evaluation",
            &schema,
            4000,
            deadline,
            |v| evaluation(v, context, &anchor),
        )
    }

    pub fn generate_within(
        &self,
        request: &QuestionRequest,
        deadline: Instant,
    ) -> Result<Vec<Question>, BrainError> {
        let schema = prompts::questions_schema();
        let source = self.name();
        self.ask(
            &prompts::questions(request),
            "questions",
            &schema,
            3000,
            deadline,
            |v| questions(v, request, &source),
        )
    }
}

impl Brain for LlmBrain {
    fn name(&self) -> String {
        self.provider.config().label()
    }

    fn generate_questions(&self, request: &QuestionRequest) -> Result<Vec<Question>, BrainError> {
        self.generate_within(request, Instant::now() + self.deadlines.generation)
    }

    fn decide(&self, context: &DecisionContext) -> Result<Proposal, BrainError> {
        self.decide_within(context, Instant::now() + self.deadlines.turn)
    }

    fn evaluate(&self, context: &EvaluationContext) -> Result<Evaluation, BrainError> {
        self.evaluate_within(context, Instant::now() + self.deadlines.evaluation)
    }
}

fn schema(message: impl Into<String>) -> ParseError {
    ParseError::Schema(message.into())
}

/// `value` held within `ANCHOR_BAND` of `anchor`.
fn bounded(value: u8, anchor: u8) -> u8 {
    value.clamp(
        anchor.saturating_sub(ANCHOR_BAND),
        anchor.saturating_add(ANCHOR_BAND).min(100),
    )
}

/// An evaluation object → an evaluation, checked against the transcript and bounded by
/// the rules brain's evaluation of the same session.
pub fn evaluation(
    value: &Value,
    context: &EvaluationContext,
    anchor: &Evaluation,
) -> Result<Evaluation, ParseError> {
    let answers = value
        .get("answers")
        .and_then(Value::as_array)
        .ok_or_else(|| schema("answers is not a list"))?;
    if answers.len() != context.history.len() {
        return Err(schema(format!(
            "{} answer evaluations for {} answers",
            answers.len(),
            context.history.len()
        )));
    }
    let mut out = Vec::with_capacity(answers.len());
    for ((item, a), rules) in context.history.iter().zip(answers).zip(&anchor.answers) {
        if let Some(n) = a.get("number").filter(|v| !v.is_null()) {
            if parse::integer(n, "number")? != i64::from(item.number) {
                return Err(schema("answers are out of order"));
            }
        }
        let score = parse::score(a, "score")?;
        let communication = parse::score(a, "communication")?;
        let technical = parse::score(a, "technical")?;
        let problem_solving = parse::score(a, "problem_solving")?;
        // The label is checked for validity, but the report's label follows the final
        // (bounded) score so that the two always agree.
        parse::answer_quality(a)?;
        let empty = item.transcript.trim().is_empty();
        let quotes: Vec<String> = parse::string_list(a, "evidence", 6)?
            .into_iter()
            .filter(|q| parse::quote_occurs(q, &item.transcript))
            .collect();
        if !empty && quotes.is_empty() {
            return Err(schema(format!(
                "answer {} has no evidence quoted from its transcript",
                item.number
            )));
        }
        let final_score = bounded(score, rules.score);
        let mut evidence: Vec<String> = quotes.iter().map(|q| format!("said: \"{q}\"")).collect();
        if final_score != score {
            evidence.push(format!(
                "model score {score} held to {final_score} (rules score {} ± {ANCHOR_BAND})",
                rules.score
            ));
        }
        let or_rules = |list: Vec<String>, fallback: &Vec<String>| {
            if list.is_empty() {
                fallback.clone()
            } else {
                list
            }
        };
        let improvement = a
            .get("improvement")
            .and_then(Value::as_str)
            .map(|s| parse::clean_text(s, 400))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| rules.improvement.clone());
        out.push(AnswerEvaluation {
            key_points: or_rules(parse::string_list(a, "key_points", 8)?, &rules.key_points),
            matched: or_rules(parse::string_list(a, "matched", 8)?, &rules.matched),
            missed: parse::string_list(a, "missed", 8)?,
            answer_quality: if empty {
                AnswerQuality::NoAnswer
            } else {
                AnswerQuality::from_score(final_score, false)
            },
            improvement,
            score: final_score,
            evidence,
            communication: bounded(communication, rules.communication),
            technical: bounded(technical, rules.technical),
            problem_solving: bounded(problem_solving, rules.problem_solving),
        });
    }
    let s = value
        .get("scores")
        .ok_or_else(|| schema("scores is missing"))?;
    let scores = Scores {
        communication: bounded(
            parse::score(s, "communication")?,
            anchor.scores.communication,
        ),
        technical: bounded(parse::score(s, "technical")?, anchor.scores.technical),
        problem_solving: bounded(
            parse::score(s, "problem_solving")?,
            anchor.scores.problem_solving,
        ),
        overall: bounded(parse::score(s, "overall")?, anchor.scores.overall),
    };
    let o = value
        .get("overall_assessment")
        .ok_or_else(|| schema("overall_assessment is missing"))?;
    // Checked for validity; the recommendation itself follows the bounded overall score.
    parse::recommendation(o)?;
    let rules_assessment = &anchor.overall_assessment;
    let list = |name: &str, fallback: &Vec<String>| -> Result<Vec<String>, ParseError> {
        let l = parse::string_list(o, name, 6)?;
        Ok(if l.is_empty() { fallback.clone() } else { l })
    };
    let summary = o
        .get("summary")
        .and_then(Value::as_str)
        .map(|s| parse::clean_text(s, 800))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| rules_assessment.summary.clone());
    Ok(Evaluation {
        answers: out,
        scores,
        overall_assessment: OverallAssessment {
            recommendation: Recommendation::from_overall(scores.overall),
            strengths: list("strengths", &rules_assessment.strengths)?,
            areas_for_improvement: list(
                "areas_for_improvement",
                &rules_assessment.areas_for_improvement,
            )?,
            summary,
        },
    })
}

/// A questions object → preset questions; at least one must be usable.
pub fn questions(
    value: &Value,
    request: &QuestionRequest,
    source: &str,
) -> Result<Vec<Question>, ParseError> {
    let items = value
        .get("questions")
        .and_then(Value::as_array)
        .ok_or_else(|| schema("questions is not a list"))?;
    let mut out = Vec::new();
    for item in items.iter().take(request.count as usize) {
        let text = parse::clean_text(&parse::string(item, "text")?, 400);
        if text.is_empty() {
            return Err(schema("a question is empty"));
        }
        let key_points = match item.get("key_points") {
            Some(Value::Array(points)) => points
                .iter()
                .take(6)
                .map(|p| {
                    Ok(KeyPoint {
                        label: parse::clean_text(&parse::string(p, "label")?, 120),
                        terms: parse::string_list(p, "terms", 8)?,
                    })
                })
                .collect::<Result<Vec<_>, ParseError>>()?,
            None | Some(Value::Null) => Vec::new(),
            Some(_) => return Err(schema("key_points is not a list")),
        };
        out.push(Question {
            text,
            tags: request.focus_areas.clone(),
            key_points,
            follow_ups: parse::string_list(item, "follow_ups", 3)?,
            source: Some(source.to_string()),
        });
    }
    if out.is_empty() {
        return Err(schema("no questions"));
    }
    Ok(out)
}
