//! The interview loop as an explicit state machine.
//!
//! ```text
//!   AwaitingDecision --decide(proposal)--> Speaking --speech_finished--> Answering
//!          ^                  |                                            |
//!          |                  +--> Completed                               |
//!          +-------------------------------submit--------------------------+
//! ```
//!
//! Time accounting: the interview's time limit is the candidate's answering time. The
//! answer timer runs only in `Answering`; while the avatar speaks, while an answer is
//! transcribed and while the brain decides, no interview time is used. The engine is
//! handed the current time by its caller and never reads a clock.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::brain_api::{Proposal, TimeStatus};
use crate::domain::{AskedQuestion, QuestionType};

/// The rules the engine enforces on every proposal.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub max_follow_ups_per_preset: u32,
    /// No question is asked with less answer time than this; less time left ends the session.
    pub min_answer_seconds: u32,
    /// No answer is given more time than this, whatever the brain suggests.
    pub max_answer_seconds: u32,
    /// Longest question text accepted from a brain.
    pub max_question_chars: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            max_follow_ups_per_preset: 1,
            min_answer_seconds: 20,
            max_answer_seconds: 300,
            max_question_chars: 600,
        }
    }
}

/// Why a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompletionReason {
    TimeUp,
    AllPresetsDone,
    Closed,
}

impl CompletionReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TimeUp => "time_up",
            Self::AllPresetsDone => "all_presets_done",
            Self::Closed => "closed",
        }
    }
}

/// Where the interview is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// Waiting for the brain's proposal.
    AwaitingDecision,
    /// The avatar is asking; no answer time runs.
    Speaking {
        question: AskedQuestion,
    },
    /// The candidate holds the floor; the answer timer runs (except while the question
    /// is repeated at their request).
    Answering {
        question: AskedQuestion,
        started_at: DateTime<Utc>,
        /// Seconds of finished repeats, not counted as answering time.
        #[serde(default)]
        paused_seconds: f64,
        /// When a repeat in progress began.
        #[serde(default)]
        paused_at: Option<DateTime<Utc>>,
    },
    Completed {
        reason: CompletionReason,
    },
}

/// What the engine decided after validating a proposal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "next", rename_all = "snake_case")]
pub enum Action {
    Ask { question: AskedQuestion },
    Complete { reason: CompletionReason },
}

/// A validated decision, with the brain's original proposal and every correction made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub proposal: Proposal,
    pub action: Action,
    /// Empty when the proposal was accepted as it was.
    pub corrections: Vec<String>,
}

impl Decision {
    pub fn was_corrected(&self) -> bool {
        !self.corrections.is_empty()
    }
}

/// A finished answer's timing, as measured by the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerTiming {
    pub question: AskedQuestion,
    pub answer_started_at: DateTime<Utc>,
    pub answered_at: DateTime<Utc>,
    pub answer_seconds: f64,
    pub timed_out: bool,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EngineError {
    #[error("cannot {action} while {phase}")]
    WrongPhase {
        action: &'static str,
        phase: &'static str,
    },
    #[error("the interview has no preset questions")]
    NoPresets,
}

/// A question already answered, as the engine needs to know it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answered {
    pub question: AskedQuestion,
    pub answer_seconds: f64,
}

/// The interview state machine for one session.
#[derive(Clone, Debug, PartialEq)]
pub struct Engine {
    policy: Policy,
    preset_texts: Vec<String>,
    time_limit_seconds: u32,
    resume_available: bool,
    answered: Vec<Answered>,
    phase: Phase,
}

impl Engine {
    /// A new session, before the first question.
    pub fn new(
        policy: Policy,
        preset_texts: Vec<String>,
        time_limit_seconds: u32,
        resume_available: bool,
    ) -> Result<Self, EngineError> {
        Self::restore(
            policy,
            preset_texts,
            time_limit_seconds,
            resume_available,
            Vec::new(),
        )
    }

    /// Rebuilds a session from its committed answers (after a crash or a restart). A
    /// question that was asked but not answered is simply decided again.
    pub fn restore(
        policy: Policy,
        preset_texts: Vec<String>,
        time_limit_seconds: u32,
        resume_available: bool,
        answered: Vec<Answered>,
    ) -> Result<Self, EngineError> {
        if preset_texts.is_empty() {
            return Err(EngineError::NoPresets);
        }
        Ok(Self {
            policy,
            preset_texts,
            time_limit_seconds,
            resume_available,
            answered,
            phase: Phase::AwaitingDecision,
        })
    }

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn answered(&self) -> &[Answered] {
        &self.answered
    }

    pub fn is_complete(&self) -> bool {
        matches!(self.phase, Phase::Completed { .. })
    }

    fn phase_name(&self) -> &'static str {
        match self.phase {
            Phase::AwaitingDecision => "awaiting a decision",
            Phase::Speaking { .. } => "the avatar is speaking",
            Phase::Answering { .. } => "the candidate is answering",
            Phase::Completed { .. } => "the session is complete",
        }
    }

    fn wrong_phase(&self, action: &'static str) -> EngineError {
        EngineError::WrongPhase {
            action,
            phase: self.phase_name(),
        }
    }

    fn used_seconds(&self) -> f64 {
        self.answered.iter().map(|a| a.answer_seconds).sum()
    }

    /// Elapsed and remaining interview time at `now`.
    pub fn time_status(&self, now: DateTime<Utc>) -> TimeStatus {
        let running = match &self.phase {
            Phase::Answering { question, .. } => self
                .answering_seconds(now)
                .min(f64::from(question.allotted_seconds)),
            _ => 0.0,
        };
        let limit = f64::from(self.time_limit_seconds);
        let elapsed = self.used_seconds() + running;
        TimeStatus {
            limit_seconds: self.time_limit_seconds,
            elapsed_seconds: elapsed,
            remaining_seconds: (limit - elapsed).max(0.0),
        }
    }

    /// Whether the current answer has used all its allotted time.
    pub fn answer_overdue(&self, now: DateTime<Utc>) -> bool {
        match &self.phase {
            Phase::Answering { question, .. } => {
                self.answering_seconds(now) >= f64::from(question.allotted_seconds)
            }
            _ => false,
        }
    }

    /// Seconds the candidate has held the floor in the current answer at `now`: repeats
    /// of the question (finished or in progress) do not count.
    pub fn answering_seconds(&self, now: DateTime<Utc>) -> f64 {
        match &self.phase {
            Phase::Answering {
                started_at,
                paused_seconds,
                paused_at,
                ..
            } => {
                let until = paused_at.map_or(now, |p| p.min(now));
                (seconds_between(*started_at, until) - paused_seconds).max(0.0)
            }
            _ => 0.0,
        }
    }

    pub fn preset_asked(&self, index: u32) -> bool {
        self.answered.iter().any(|a| {
            a.question.question_type == QuestionType::Preset
                && a.question.preset_index == Some(index)
        })
    }

    pub fn resume_asked(&self) -> bool {
        self.answered
            .iter()
            .any(|a| a.question.question_type == QuestionType::Resume)
    }

    /// The preset whose thread the last answer belongs to, if a follow-up could attach to it.
    pub fn current_preset(&self) -> Option<u32> {
        let last = self.answered.last()?;
        match last.question.question_type {
            QuestionType::Resume => None,
            _ => last.question.preset_index,
        }
    }

    pub fn follow_ups_used(&self, preset: u32) -> u32 {
        let count = self
            .answered
            .iter()
            .filter(|a| {
                a.question.question_type == QuestionType::FollowUp
                    && a.question.preset_index == Some(preset)
            })
            .count();
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// The preset the engine would ask after the current answer if the brain moves on:
    /// the first one neither answered nor being asked now. Only a hint (the brain decides).
    pub fn upcoming_preset_text(&self) -> Option<&str> {
        let current = match &self.phase {
            Phase::Speaking { question } | Phase::Answering { question, .. }
                if question.question_type == QuestionType::Preset =>
            {
                question.preset_index
            }
            _ => None,
        };
        (0..self.preset_texts.len())
            .filter_map(|i| u32::try_from(i).ok())
            .find(|i| !self.preset_asked(*i) && Some(*i) != current)
            .map(|i| self.preset_texts[i as usize].as_str())
    }

    fn first_unasked_preset(&self) -> Option<u32> {
        (0..self.preset_texts.len())
            .filter_map(|i| u32::try_from(i).ok())
            .find(|i| !self.preset_asked(*i))
    }

    fn next_number(&self) -> u32 {
        u32::try_from(self.answered.len()).unwrap_or(u32::MAX - 1) + 1
    }

    /// Validates the brain's proposal and moves to `Speaking` or `Completed`.
    pub fn decide(&mut self, proposal: Proposal) -> Result<Decision, EngineError> {
        if self.phase != Phase::AwaitingDecision {
            return Err(self.wrong_phase("decide"));
        }
        let mut corrections = Vec::new();
        let remaining = f64::from(self.time_limit_seconds) - self.used_seconds();
        let action = if remaining < f64::from(self.policy.min_answer_seconds) {
            if proposal != Proposal::Complete {
                corrections.push(format!(
                    "time is up ({remaining:.0} s left, less than the {} s minimum answer): completed instead",
                    self.policy.min_answer_seconds
                ));
            }
            Action::Complete {
                reason: CompletionReason::TimeUp,
            }
        } else {
            self.validate(&proposal, remaining, &mut corrections)
        };
        self.phase = match &action {
            Action::Ask { question } => Phase::Speaking {
                question: question.clone(),
            },
            Action::Complete { reason } => Phase::Completed { reason: *reason },
        };
        Ok(Decision {
            proposal,
            action,
            corrections,
        })
    }

    fn validate(
        &self,
        proposal: &Proposal,
        remaining: f64,
        corrections: &mut Vec<String>,
    ) -> Action {
        let (kind, preset_index, text, suggested) = match proposal {
            Proposal::Preset {
                next_index,
                suggested_time_seconds,
            } => {
                let valid = (*next_index as usize) < self.preset_texts.len()
                    && !self.preset_asked(*next_index);
                if valid {
                    (
                        QuestionType::Preset,
                        Some(*next_index),
                        self.preset_texts[*next_index as usize].clone(),
                        *suggested_time_seconds,
                    )
                } else {
                    let why = if (*next_index as usize) >= self.preset_texts.len() {
                        format!("preset {next_index} does not exist")
                    } else {
                        format!("preset {next_index} was already asked")
                    };
                    return self.fallback(&why, *suggested_time_seconds, remaining, corrections);
                }
            }
            Proposal::FollowUp {
                question_text,
                suggested_time_seconds,
            } => {
                let Some(preset) = self.current_preset() else {
                    return self.fallback(
                        "a follow-up needs a preceding preset answer",
                        *suggested_time_seconds,
                        remaining,
                        corrections,
                    );
                };
                if self.follow_ups_used(preset) >= self.policy.max_follow_ups_per_preset {
                    let why = format!(
                        "preset {preset} already had {} follow-up(s), the limit is {}",
                        self.follow_ups_used(preset),
                        self.policy.max_follow_ups_per_preset
                    );
                    return self.fallback(&why, *suggested_time_seconds, remaining, corrections);
                }
                match self.clean_text(question_text) {
                    Ok(text) => (
                        QuestionType::FollowUp,
                        Some(preset),
                        text,
                        *suggested_time_seconds,
                    ),
                    Err(why) => {
                        return self.fallback(&why, *suggested_time_seconds, remaining, corrections)
                    }
                }
            }
            Proposal::Resume {
                question_text,
                suggested_time_seconds,
            } => {
                if !self.resume_available {
                    return self.fallback(
                        "there is no résumé to ask about",
                        *suggested_time_seconds,
                        remaining,
                        corrections,
                    );
                }
                if self.resume_asked() {
                    return self.fallback(
                        "the résumé question was already asked",
                        *suggested_time_seconds,
                        remaining,
                        corrections,
                    );
                }
                match self.clean_text(question_text) {
                    Ok(text) => (QuestionType::Resume, None, text, *suggested_time_seconds),
                    Err(why) => {
                        return self.fallback(&why, *suggested_time_seconds, remaining, corrections)
                    }
                }
            }
            Proposal::Complete => match self.first_unasked_preset() {
                Some(_) => {
                    return self.fallback(
                        "completing early while presets remain and time is left",
                        0,
                        remaining,
                        corrections,
                    )
                }
                None => {
                    return Action::Complete {
                        reason: CompletionReason::AllPresetsDone,
                    }
                }
            },
        };
        let allotted = self.cap_time(suggested, remaining, corrections);
        Action::Ask {
            question: AskedQuestion {
                number: self.next_number(),
                question_type: kind,
                preset_index,
                text,
                allotted_seconds: allotted,
            },
        }
    }

    /// The correction for an unusable proposal: the first preset not yet asked, or the end.
    fn fallback(
        &self,
        why: &str,
        suggested: u32,
        remaining: f64,
        corrections: &mut Vec<String>,
    ) -> Action {
        match self.first_unasked_preset() {
            Some(index) => {
                corrections.push(format!("{why}: asked preset {index} instead"));
                let allotted = self.cap_time(suggested, remaining, corrections);
                Action::Ask {
                    question: AskedQuestion {
                        number: self.next_number(),
                        question_type: QuestionType::Preset,
                        preset_index: Some(index),
                        text: self.preset_texts[index as usize].clone(),
                        allotted_seconds: allotted,
                    },
                }
            }
            None => {
                corrections.push(format!("{why}: completed, all presets are done"));
                Action::Complete {
                    reason: CompletionReason::AllPresetsDone,
                }
            }
        }
    }

    fn cap_time(&self, suggested: u32, remaining: f64, corrections: &mut Vec<String>) -> u32 {
        let min = self.policy.min_answer_seconds;
        // Whole seconds left, never below the floor: `decide` ends the session first.
        let left = (remaining.floor() as u32).max(min);
        let ceiling = self.policy.max_answer_seconds.min(left);
        let allotted = suggested.clamp(min, ceiling.max(min));
        if allotted != suggested {
            let why = if suggested < min {
                format!("suggested time {suggested} s raised to the {min} s minimum")
            } else if ceiling < self.policy.max_answer_seconds {
                format!("suggested time {suggested} s capped to {allotted} s (time left)")
            } else {
                format!("suggested time {suggested} s capped to the {allotted} s maximum")
            };
            corrections.push(why);
        }
        allotted
    }

    fn clean_text(&self, text: &str) -> Result<String, String> {
        let cleaned: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if cleaned.is_empty() {
            Err("the proposed question text is empty".to_string())
        } else if cleaned.chars().count() > self.policy.max_question_chars {
            Err(format!(
                "the proposed question text is longer than {} characters",
                self.policy.max_question_chars
            ))
        } else {
            Ok(cleaned)
        }
    }

    /// The avatar finished asking: the answer timer starts now.
    pub fn speech_finished(&mut self, now: DateTime<Utc>) -> Result<(), EngineError> {
        match &self.phase {
            Phase::Speaking { question } => {
                self.phase = Phase::Answering {
                    question: question.clone(),
                    started_at: now,
                    paused_seconds: 0.0,
                    paused_at: None,
                };
                Ok(())
            }
            _ => Err(self.wrong_phase("start the answer")),
        }
    }

    /// The candidate asked to hear the question again: the answer timer stops until
    /// [`Engine::repeat_finished`]. A repeat already in progress is left as it is.
    pub fn repeat_started(&mut self, now: DateTime<Utc>) -> Result<(), EngineError> {
        match &mut self.phase {
            Phase::Answering { paused_at, .. } => {
                if paused_at.is_none() {
                    *paused_at = Some(now);
                }
                Ok(())
            }
            _ => Err(self.wrong_phase("repeat the question")),
        }
    }

    /// The repeated question has been heard: the answer timer runs again.
    pub fn repeat_finished(&mut self, now: DateTime<Utc>) -> Result<(), EngineError> {
        match &mut self.phase {
            Phase::Answering {
                paused_at,
                paused_seconds,
                ..
            } => {
                if let Some(at) = paused_at.take() {
                    *paused_seconds += seconds_between(at, now);
                }
                Ok(())
            }
            _ => Err(self.wrong_phase("finish repeating the question")),
        }
    }

    /// The answer ended (submit, timeout or silence). Time counted is capped to the
    /// allotment; repeats of the question are not counted.
    pub fn submit(&mut self, now: DateTime<Utc>) -> Result<AnswerTiming, EngineError> {
        let took = self.answering_seconds(now);
        let Phase::Answering {
            question,
            started_at,
            ..
        } = &self.phase
        else {
            return Err(self.wrong_phase("submit an answer"));
        };
        let allotted = f64::from(question.allotted_seconds);
        let timing = AnswerTiming {
            question: question.clone(),
            answer_started_at: *started_at,
            answered_at: now,
            answer_seconds: took.min(allotted),
            timed_out: took >= allotted,
        };
        self.answered.push(Answered {
            question: timing.question.clone(),
            answer_seconds: timing.answer_seconds,
        });
        self.phase = Phase::AwaitingDecision;
        Ok(timing)
    }

    /// Ends the session from outside the loop (an admin closing an interrupted session).
    pub fn close(&mut self) {
        self.phase = Phase::Completed {
            reason: CompletionReason::Closed,
        };
    }
}

fn seconds_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    let ms = (to - from).num_milliseconds().max(0);
    ms as f64 / 1000.0
}

#[cfg(test)]
mod tests;
