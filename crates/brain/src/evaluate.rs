//! Turning a finished session into scores, strengths and areas for improvement.

use panelist_core::brain_api::{AnswerEvaluation, Evaluation, EvaluationContext};
use panelist_core::report::{display_labels, OverallAssessment, Recommendation, Scores};
use panelist_core::{KeyPoint, QuestionType};

use crate::meaning::Meaning;
use crate::scoring::{join_labels, score_answer_with, AnswerScore};

/// Key points for the résumé question: the story a good answer tells.
fn resume_key_points() -> Vec<KeyPoint> {
    let kp = |label: &str, terms: &[&str]| KeyPoint {
        label: label.to_string(),
        terms: terms.iter().map(|t| t.to_string()).collect(),
    };
    vec![
        kp(
            "the problem or context",
            &["problem", "goal", "needed", "challenge", "the project"],
        ),
        kp(
            "what they did themselves",
            &[
                "i built",
                "i designed",
                "i implemented",
                "i wrote",
                "i led",
                "my role",
            ],
        ),
        kp(
            "the result",
            &[
                "result",
                "improved",
                "reduced",
                "increased",
                "percent",
                "shipped",
                "launched",
            ],
        ),
        kp(
            "what they learned",
            &[
                "learned",
                "learnt",
                "next time",
                "lesson",
                "would do differently",
            ],
        ),
    ]
}

fn weight(kind: QuestionType) -> f64 {
    match kind {
        QuestionType::Preset => 1.0,
        QuestionType::FollowUp => 0.5,
        QuestionType::Resume => 0.75,
    }
}

fn weighted(scores: &[(f64, u8)]) -> u8 {
    let total: f64 = scores.iter().map(|(w, _)| w).sum();
    if total == 0.0 {
        return 0;
    }
    let v = scores.iter().map(|(w, s)| w * f64::from(*s)).sum::<f64>() / total;
    (v + 0.5).floor().clamp(0.0, 100.0) as u8
}

/// Scores a finished session. With a meaning model, key points are embedded once for
/// the whole session (the `Meaning` cache) and points said in other words earn part of
/// their credit.
pub fn evaluate(ctx: &EvaluationContext, meaning: Option<&Meaning>) -> Evaluation {
    let resume_points = resume_key_points();
    let labels = display_labels(&ctx.history);
    // A follow-up is judged on what its preset's thread had not yet covered: that is
    // what it asked for. Points covered anywhere in a thread count for the thread.
    let mut thread_covered: Vec<Vec<String>> = vec![Vec::new(); ctx.presets.len()];
    let scored: Vec<AnswerScore> = ctx
        .history
        .iter()
        .map(|item| {
            let preset = item
                .preset_index
                .filter(|_| item.question_type != QuestionType::Resume)
                .and_then(|i| ctx.presets.get(i as usize).map(|q| (i as usize, q)));
            let Some((index, question)) = preset else {
                return score_answer_with(
                    &item.question_text,
                    &item.transcript,
                    &resume_points,
                    item.answer_seconds,
                    meaning,
                );
            };
            let mut points: Vec<KeyPoint> = question.key_points.clone();
            if item.question_type == QuestionType::FollowUp {
                let remaining: Vec<KeyPoint> = points
                    .iter()
                    .filter(|kp| !thread_covered[index].contains(&kp.label))
                    .cloned()
                    .collect();
                if !remaining.is_empty() {
                    points = remaining;
                }
            }
            // Words the interviewer said earn what echoes of a question earn: for a
            // follow-up, those of the follow-up and of the preset it follows.
            let asked = if item.question_type == QuestionType::FollowUp {
                format!("{}\n{}", question.text, item.question_text)
            } else {
                item.question_text.clone()
            };
            let s = score_answer_with(
                &asked,
                &item.transcript,
                &points,
                item.answer_seconds,
                meaning,
            );
            thread_covered[index].extend(s.matched.iter().map(|(l, _)| l.clone()));
            s
        })
        .collect();

    let pick = |f: fn(&AnswerScore) -> u8| -> u8 {
        let pairs: Vec<(f64, u8)> = ctx
            .history
            .iter()
            .zip(&scored)
            .map(|(item, s)| (weight(item.question_type), f(s)))
            .collect();
        weighted(&pairs)
    };
    let technical = pick(|s| s.technical);
    let communication = pick(|s| s.communication);
    let problem_solving = pick(|s| s.problem_solving);
    let overall = ((0.5 * f64::from(technical)
        + 0.25 * f64::from(communication)
        + 0.25 * f64::from(problem_solving))
        + 0.5)
        .floor() as u8;
    let recommendation = Recommendation::from_overall(overall);

    let mut strengths = Vec::new();
    let mut improvements = Vec::new();
    for ((label, s), item) in labels.iter().zip(&scored).zip(&ctx.history) {
        if s.score >= 60 && !s.matched.is_empty() {
            let covered: Vec<String> = s.matched.iter().map(|(l, _)| l.clone()).collect();
            strengths.push(format!("{label}: covered {}", join_labels(&covered, 3)));
        }
        if item.question_type == QuestionType::Preset {
            // What the whole thread (the preset and its follow-ups) left out.
            let index = item.preset_index.unwrap_or_default() as usize;
            let missed: Vec<String> = ctx
                .presets
                .get(index)
                .map(|q| {
                    q.key_points
                        .iter()
                        .map(|kp| kp.label.clone())
                        .filter(|l| !thread_covered[index].contains(l))
                        .collect()
                })
                .unwrap_or_default();
            if !missed.is_empty() && missed.len() * 2 >= s.matched.len() + s.missed.len() {
                improvements.push(format!(
                    "{label}: did not cover {}",
                    join_labels(&missed, 3)
                ));
            }
        }
    }
    let examples = scored.iter().filter(|s| s.gave_example).count();
    if examples * 2 >= scored.len() && examples > 0 {
        strengths.push(format!(
            "Backed {examples} answer(s) with concrete examples"
        ));
    } else {
        improvements.push("Support answers with concrete examples from own work".to_string());
    }
    let timed_out = ctx
        .history
        .iter()
        .filter(|h| h.answer_seconds >= f64::from(h.allotted_seconds))
        .count();
    if timed_out > 0 {
        improvements.push(format!(
            "{timed_out} answer(s) ran out of time: structure answers to fit"
        ));
    }
    let empty = scored.iter().filter(|s| s.content_words == 0).count();
    if empty > 0 {
        improvements.push(format!("{empty} question(s) left unanswered"));
    }

    let total_points: usize = scored
        .iter()
        .map(|s| s.matched.len() + s.missed.len())
        .sum();
    let matched_points: usize = scored.iter().map(|s| s.matched.len()).sum();
    let summary = format!(
        "Answered {} question(s) and covered {matched_points} of {total_points} expected key points. \
         Technical {technical}, communication {communication}, problem solving {problem_solving}: \
         overall {overall} ({}). Scores come from key-point coverage, examples, structure and pace; \
         a person must review them before any decision.",
        ctx.history.len(),
        recommendation.as_str(),
    );

    Evaluation {
        answers: scored
            .into_iter()
            .zip(&ctx.history)
            .map(|(s, item)| AnswerEvaluation {
                key_points: s
                    .matched
                    .iter()
                    .map(|(l, _)| l.clone())
                    .chain(s.missed.iter().cloned())
                    .collect(),
                matched: s.matched.iter().map(|(l, _)| l.clone()).collect(),
                missed: s.missed.clone(),
                answer_quality: s.quality,
                improvement: s.improvement,
                score: s.score,
                evidence: {
                    let mut e = s.evidence;
                    if item.question_type == QuestionType::FollowUp {
                        e.push(
                            "follow-up: judged on the points its question left open".to_string(),
                        );
                    }
                    e
                },
                communication: s.communication,
                technical: s.technical,
                problem_solving: s.problem_solving,
            })
            .collect(),
        scores: Scores {
            communication,
            technical,
            problem_solving,
            overall,
        },
        overall_assessment: OverallAssessment {
            recommendation,
            strengths,
            areas_for_improvement: improvements,
            summary,
        },
    }
}
