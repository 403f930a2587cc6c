//! The offline brain's next-step rules: follow up when an answer falls short, ask the
//! résumé question around the middle of the interview, otherwise the next preset.

use panelist_core::brain_api::{DecisionContext, PresetView, Proposal};
use panelist_core::{Difficulty, KeyPoint, QuestionType};

use crate::probe;
use crate::resume_facts::ResumeFacts;
use crate::scoring::{key_point_matches, match_key_points, PointOutcome};
use crate::text::{self, Analyzed};
use crate::Bank;

/// Answer time suggested for a preset, by difficulty.
pub fn preset_seconds(d: Difficulty) -> u32 {
    match d {
        Difficulty::Easy => 60,
        Difficulty::Medium => 90,
        Difficulty::Hard => 120,
    }
}

const FOLLOW_UP_SECONDS: u32 = 60;
const RESUME_SECONDS: u32 = 90;

/// Less than this much time per remaining preset and no follow-ups are asked.
const SECONDS_RESERVED_PER_PRESET: f64 = 45.0;

/// Why the last answer calls for a follow-up, if it does.
#[derive(Debug, PartialEq)]
pub enum Shortfall {
    /// Key points missing; the candidate did use this term, which the follow-up can pick up.
    Missing {
        missing: Vec<String>,
        said: Option<String>,
    },
    /// Short for the time the candidate was given.
    Short,
    /// No concrete example.
    NoExample,
}

pub fn shortfall(
    preset: &PresetView,
    transcript: &str,
    answer_seconds: f64,
    allotted: u32,
) -> Option<Shortfall> {
    let a = Analyzed::new(transcript);
    let (matched, missed) =
        key_point_matches(&a, &preset.question.text, &preset.question.key_points);
    let kp = preset.question.key_points.len().max(1) as f64;
    if (missed.len() as f64) / kp > 0.5 {
        let said = matched.first().map(|(_, term)| term.clone()).or_else(|| {
            // Pick up the longest content word the candidate used, as a listener would.
            a.content
                .iter()
                .map(|(w, _)| w)
                .filter(|w| w.len() >= 6)
                .max_by_key(|w| w.len())
                .cloned()
        });
        return Some(Shortfall::Missing {
            missing: missed,
            said,
        });
    }
    let words = text::word_count(transcript);
    let used = if allotted > 0 {
        answer_seconds / f64::from(allotted)
    } else {
        1.0
    };
    if words < 25 || (used < 0.3 && words < 60) {
        return Some(Shortfall::Short);
    }
    let example = [
        "for example",
        "for instance",
        "when i",
        "in my",
        "we had",
        "i built",
        "i used",
    ]
    .iter()
    .any(|m| transcript.to_lowercase().contains(m));
    if !example {
        return Some(Shortfall::NoExample);
    }
    None
}

/// The key points of `preset` that no answer of its thread (the preset's answer and
/// its follow-ups' so far) has covered.
pub fn missed_in_thread(ctx: &DecisionContext, preset: &PresetView) -> Vec<KeyPoint> {
    let points = &preset.question.key_points;
    let mut covered = vec![false; points.len()];
    for item in ctx
        .history
        .iter()
        .filter(|h| h.question_type != QuestionType::Resume && h.preset_index == Some(preset.index))
    {
        let a = Analyzed::new(&item.transcript);
        for (c, m) in covered
            .iter_mut()
            .zip(match_key_points(&a, &preset.question.text, points))
        {
            // A point shown only by echoing the question earned half credit: still open.
            *c |= matches!(m.outcome, PointOutcome::Covered(_));
        }
    }
    points
        .iter()
        .zip(covered)
        .filter(|(_, c)| !c)
        .map(|(kp, _)| kp.clone())
        .collect()
}

/// `text` as a follow-up about `preset`, unless it names a term of a key point the thread
/// has not covered: then the probe of that point instead, which asks about it without
/// giving it away. Used for the rules' own follow-ups and for a model's.
pub fn guard_follow_up(
    text: String,
    preset: &PresetView,
    missed: &[KeyPoint],
    bank: &Bank,
) -> String {
    match probe::leaks_any(&text, missed) {
        None => text,
        Some((kp, _)) => bank.probe_for(&preset.question, kp),
    }
}

pub fn follow_up_text(
    preset: &PresetView,
    shortfall: &Shortfall,
    missed: &[KeyPoint],
    bank: &Bank,
) -> String {
    let text = match shortfall {
        Shortfall::Missing { missing, said } => {
            // Probe one missing point: a listener can take in one thing at a time.
            let point = missing.first().and_then(|label| {
                preset
                    .question
                    .key_points
                    .iter()
                    .find(|k| &k.label == label)
            });
            let probe = match point {
                Some(kp) => bank.probe_for(&preset.question, kp),
                None => "Could you go one step further?".to_string(),
            };
            // Picking up the candidate's own word, as a listener would, unless that word
            // is a key point's term (one said under a negation, or echoing the question).
            match said
                .as_ref()
                .filter(|t| probe::leaks_any(t, &preset.question.key_points).is_none())
            {
                Some(term) => format!("You mentioned \"{term}\". {probe}"),
                None => probe,
            }
        }
        Shortfall::Short => preset
            .question
            .follow_ups
            .first()
            .cloned()
            .unwrap_or_else(|| {
                "Could you go into more detail: how would you approach it, step by step?"
                    .to_string()
            }),
        Shortfall::NoExample => {
            "Can you give a concrete example from a project you worked on?".to_string()
        }
    };
    guard_follow_up(text, preset, missed, bank)
}

pub fn decide(ctx: &DecisionContext, resume: Option<&ResumeFacts>, bank: &Bank) -> Proposal {
    let remaining = ctx.time.remaining_seconds;
    let left: Vec<&PresetView> = ctx.presets_left().collect();
    let asked = ctx.presets.len() - left.len();
    let fit = |want: u32| -> u32 {
        // Share what is left fairly between the presets still to ask.
        let share = remaining / (left.len().max(1) as f64);
        want.min(share.max(30.0) as u32)
    };

    if let (Some(preset), Some(last)) = (ctx.current_preset(), ctx.history.last()) {
        let spare = remaining - left.len() as f64 * SECONDS_RESERVED_PER_PRESET;
        if ctx.follow_ups_used_for_current < ctx.spec.max_follow_ups_per_preset
            && last.question_type != QuestionType::Resume
            && spare >= f64::from(FOLLOW_UP_SECONDS) * 0.5
        {
            if let Some(s) = shortfall(
                preset,
                &last.transcript,
                last.answer_seconds,
                last.allotted_seconds,
            ) {
                let missed = missed_in_thread(ctx, preset);
                return Proposal::FollowUp {
                    question_text: follow_up_text(preset, &s, &missed, bank),
                    suggested_time_seconds: FOLLOW_UP_SECONDS.min(spare as u32),
                };
            }
        }
    }

    let job = format!("{}\n{}", ctx.spec.job_role, ctx.spec.job_description);
    let resume_question = resume.and_then(|facts| crate::resume_facts::question(facts, &job));
    if let Some(text) = resume_question {
        let midway = asked >= ctx.presets.len().div_ceil(2);
        if !ctx.resume_question_asked && midway && asked > 0 {
            return Proposal::Resume {
                question_text: text,
                suggested_time_seconds: fit(RESUME_SECONDS),
            };
        }
    }

    match left.first() {
        Some(next) => Proposal::Preset {
            next_index: next.index,
            suggested_time_seconds: fit(preset_seconds(ctx.spec.difficulty)),
        },
        None => Proposal::Complete,
    }
}
