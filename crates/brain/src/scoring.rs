//! Explainable scoring. Two entry points share one vocabulary of features:
//!
//! * [`score_against_reference`]: an answer against a reference answer, calibrated on
//!   human-graded short answers (see `scripts/calibrate-scoring`);
//! * [`score_answer`]: a spoken interview answer against a question's key points, with
//!   the sub-scores a report needs (technical, communication, problem solving).
//!
//! Every number comes with evidence a person can check. Only the words and their timing
//! are used: nothing is inferred about emotion or tone.

use panelist_core::report::AnswerQuality;
use panelist_core::KeyPoint;

use crate::text::{self, Analyzed};

// Calibrated constants (Pearson r = 0.615 on the development data, flat within ±20 %).
const RECALL_EXP: f64 = 0.5;
const W_PRECISION: f64 = 0.5;
const W_LENGTH: f64 = 1.5;
const LENGTH_SATURATION: f64 = 2.0;
/// Answer words on the reference's topic at which precision is full: an answer is not
/// marked down for saying more than the reference once it has said this much of it.
const PRECISION_WORDS: usize = 5;

/// The result of scoring against a reference answer.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferenceScore {
    pub score: u8,
    /// Share of the reference's information (words weighed by rarity) the answer covered.
    pub recall: f64,
    /// How much of the answer is on the reference's topic.
    pub precision: f64,
    pub length: f64,
    /// Reference words the answer covered.
    pub matched: Vec<String>,
    /// Reference words it did not.
    pub missed: Vec<String>,
    /// What each part added to the score, in points (they sum to the score up to rounding).
    pub contributions: Vec<Contribution>,
}

/// One named part of a score and the points it added.
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution {
    pub name: &'static str,
    pub points: f64,
}

/// Scores an answer against a reference answer. Words of the question itself earn
/// nothing (restating the question is not answering it); each reference word counts by
/// how much information it carries (rare words more than common ones); words match when
/// their stems agree, share a long prefix, or are one slip apart.
pub fn score_against_reference(question: &str, reference: &str, answer: &str) -> ReferenceScore {
    let question_stems = text::unique(text::content_stems(question));
    let reference_content = text::content(reference);
    let answer = Analyzed::new(answer);
    let n = answer.content.len() as f64;

    // Reference stems, first occurrence, with the word that introduced them.
    let mut reference_stems: Vec<(String, String)> = Vec::new();
    for (word, stem) in reference_content {
        if !reference_stems.iter().any(|(_, s)| *s == stem) {
            reference_stems.push((word, stem));
        }
    }
    let mut weights: Vec<f64> = reference_stems
        .iter()
        .map(|(w, s)| {
            if question_stems.contains(s) {
                0.0
            } else {
                text::information_weight(w)
            }
        })
        .collect();
    let mut total: f64 = weights.iter().sum();
    if total == 0.0 {
        // A reference made only of the question's words: every word counts after all.
        weights = reference_stems
            .iter()
            .map(|(w, _)| text::information_weight(w))
            .collect();
        total = weights.iter().sum();
    }
    let mut matched = Vec::new();
    let mut missed = Vec::new();
    let mut covered = 0.0;
    for ((word, stem), w) in reference_stems.iter().zip(&weights) {
        if text::matches_any(stem, &answer.stems) {
            covered += w;
            if *w > 0.0 {
                matched.push(word.clone());
            }
        } else if *w > 0.0 {
            missed.push(word.clone());
        }
    }
    let recall = if total > 0.0 { covered / total } else { 0.0 };

    let reference_only: Vec<String> = reference_stems.iter().map(|(_, s)| s.clone()).collect();
    let mut pool: Vec<&String> = answer
        .stems
        .iter()
        .filter(|s| !question_stems.contains(s))
        .collect();
    if pool.is_empty() {
        pool = answer.stems.iter().collect();
    }
    let on_topic = pool
        .iter()
        .filter(|s| text::matches_any(s, &reference_only))
        .count();
    let precision = if pool.is_empty() {
        0.0
    } else {
        (on_topic as f64 / pool.len().min(PRECISION_WORDS) as f64).min(1.0)
    };
    let length = (n / LENGTH_SATURATION).min(1.0);

    let non_answer = text::is_non_answer(&answer.content)
        && !answer
            .stems
            .iter()
            .any(|s| text::matches_any(s, &reference_only));
    let scale = 100.0 / (1.0 + W_PRECISION + W_LENGTH);
    let (score, contributions) = if n == 0.0 || non_answer {
        (0, Vec::new())
    } else {
        let parts = vec![
            Contribution {
                name: "reference covered",
                points: scale * recall.powf(RECALL_EXP),
            },
            Contribution {
                name: "on topic",
                points: scale * W_PRECISION * precision,
            },
            Contribution {
                name: "substance",
                points: scale * W_LENGTH * length,
            },
        ];
        (to_score(parts.iter().map(|c| c.points).sum()), parts)
    };
    ReferenceScore {
        score,
        recall,
        precision,
        length,
        matched,
        missed,
        contributions,
    }
}

/// Rounds half up and clamps to 0–100.
fn to_score(v: f64) -> u8 {
    (v + 0.5).floor().clamp(0.0, 100.0) as u8
}

/// Markers of a concrete example or personal experience.
const EXAMPLE_MARKERS: &[&str] = &[
    "for example",
    "for instance",
    "such as",
    "in my last",
    "in my previous",
    "at my last",
    "at my previous",
    "in one project",
    "on one project",
    "we had",
    "we built",
    "we used",
    "i built",
    "i used",
    "i wrote",
    "i implemented",
    "i designed",
    "i led",
    "i fixed",
    "i measured",
    "last year",
    "in production",
];

/// Words that signal reasoning rather than recitation.
const REASONING_MARKERS: &[&str] = &[
    "because",
    "so that",
    "therefore",
    "trade off",
    "tradeoff",
    "instead",
    "depends",
    "otherwise",
    "if",
    "measure",
    "compare",
    "the reason",
    "which means",
];

/// Words that give an answer structure.
const STRUCTURE_MARKERS: &[&str] = &[
    "first",
    "firstly",
    "second",
    "secondly",
    "then",
    "next",
    "finally",
    "after that",
    "in short",
    "overall",
    "on the other hand",
    "however",
];

const NUMBER_WORDS: &[&str] = &[
    "percent", "hundred", "thousand", "million", "twice", "half", "double", "ten", "twenty",
    "fifty",
];

/// Content words at which an answer's length stops adding to its score.
const FULL_LENGTH_CONTENT_WORDS: f64 = 25.0;

/// A comfortable speaking pace range, in words per minute.
const PACE_RANGE: (f64, f64) = (90.0, 190.0);

/// One answer scored against key points.
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerScore {
    pub score: u8,
    pub quality: AnswerQuality,
    pub technical: u8,
    pub communication: u8,
    pub problem_solving: u8,
    /// Key-point labels covered, and what the candidate said that showed it.
    pub matched: Vec<(String, String)>,
    pub missed: Vec<String>,
    pub coverage: f64,
    pub gave_example: bool,
    pub words: usize,
    pub content_words: usize,
    pub fillers: usize,
    pub evidence: Vec<String>,
    pub improvement: String,
}

fn markers_found(a: &Analyzed, markers: &[&str]) -> Vec<String> {
    markers
        .iter()
        .filter(|m| {
            let words: Vec<&str> = m.split(' ').collect();
            a.words
                .windows(words.len())
                .any(|w| w.iter().zip(&words).all(|(x, y)| x == y))
        })
        .map(|m| m.to_string())
        .collect()
}

/// Which key points an answer covers, with the term that showed each.
pub fn key_point_matches(
    a: &Analyzed,
    key_points: &[KeyPoint],
) -> (Vec<(String, String)>, Vec<String>) {
    let mut matched = Vec::new();
    let mut missed = Vec::new();
    for kp in key_points {
        let hit = kp
            .terms
            .iter()
            .find(|t| a.has_phrase(t))
            .cloned()
            .or_else(|| {
                let label_stems = text::content_stems(&kp.label);
                (label_stems.len() >= 2
                    && label_stems
                        .iter()
                        .all(|s| a.stems.iter().any(|o| text::term_stem_matches(s, o))))
                .then(|| kp.label.clone())
            });
        match hit {
            Some(term) => matched.push((kp.label.clone(), term)),
            None => missed.push(kp.label.clone()),
        }
    }
    (matched, missed)
}

/// Scores a spoken answer against key points. `answer_seconds` is the time the
/// candidate spoke (0 when unknown, for typed or scripted answers).
pub fn score_answer(answer: &str, key_points: &[KeyPoint], answer_seconds: f64) -> AnswerScore {
    let a = Analyzed::new(answer);
    let words = text::word_count(answer);
    let content_words = a.content.len();
    let fillers = text::filler_count(answer);
    let (matched, missed) = key_point_matches(&a, key_points);
    let coverage = if key_points.is_empty() {
        0.0
    } else {
        matched.len() as f64 / key_points.len() as f64
    };
    let examples = markers_found(&a, EXAMPLE_MARKERS);
    let has_number = a
        .words
        .iter()
        .any(|w| w.chars().all(|c| c.is_ascii_digit()))
        || a.words.iter().any(|w| NUMBER_WORDS.contains(&w.as_str()));
    let reasoning = markers_found(&a, REASONING_MARKERS);
    let structure = markers_found(&a, STRUCTURE_MARKERS);
    let gave_example = !examples.is_empty();

    let empty = content_words == 0 || text::is_non_answer(&a.content);
    let mut evidence = Vec::new();
    for (label, term) in &matched {
        evidence.push(format!("matched: {label} (said \"{term}\")"));
    }
    for label in &missed {
        evidence.push(format!("missed: {label}"));
    }
    if empty {
        evidence.push("no answer given".to_string());
        return AnswerScore {
            score: 0,
            quality: AnswerQuality::NoAnswer,
            technical: 0,
            communication: 0,
            problem_solving: 0,
            matched,
            missed,
            coverage: 0.0,
            gave_example: false,
            words,
            content_words,
            fillers,
            evidence,
            improvement: "Answer the question: even a partial answer shows how you think."
                .to_string(),
        };
    }

    let length = (content_words as f64 / FULL_LENGTH_CONTENT_WORDS).min(1.0);
    let specificity =
        (0.6 * f64::from(u8::from(gave_example)) + 0.4 * f64::from(u8::from(has_number))).min(1.0);
    let reasoning_f = (reasoning.len() as f64 / 2.0).min(1.0);
    let structure_f = (structure.len() as f64 / 2.0).min(1.0);
    let filler_rate = fillers as f64 / words.max(1) as f64;
    let pace = (answer_seconds > 0.0).then(|| words as f64 / (answer_seconds / 60.0));
    let pace_f = match pace {
        Some(p) if p < PACE_RANGE.0 => (p / PACE_RANGE.0).max(0.5),
        Some(p) if p > PACE_RANGE.1 => (PACE_RANGE.1 / p).max(0.5),
        _ => 1.0,
    };
    let delivery = (1.0 - (filler_rate * 8.0).min(0.6)) * pace_f;

    let cov = coverage.powf(0.7);
    let technical = to_score(100.0 * (0.85 * cov + 0.15 * specificity));
    let communication = to_score(
        100.0
            * (0.45 * length + 0.25 * structure_f + 0.30 * delivery)
            * (0.4 + 0.6 * cov.max(length * 0.5)),
    );
    let problem_solving = to_score(100.0 * (0.5 * cov + 0.3 * specificity + 0.2 * reasoning_f));
    let score = to_score(100.0 * (0.6 * cov + 0.15 * specificity + 0.25 * length));

    if gave_example {
        evidence.push(format!("concrete example: \"{}\"", examples[0]));
    } else {
        evidence.push("no concrete example given".to_string());
    }
    if has_number {
        evidence.push("quantified with numbers".to_string());
    }
    if !reasoning.is_empty() {
        evidence.push(format!("reasoning: \"{}\"", reasoning.join("\", \"")));
    }
    match pace {
        Some(p) => evidence.push(format!(
            "{words} words in {answer_seconds:.0} s ({p:.0} words per minute)"
        )),
        None => evidence.push(format!("{words} words")),
    }
    if fillers > 0 {
        evidence.push(format!("{fillers} filler word(s)"));
    }

    let mut advice = Vec::new();
    if !missed.is_empty() {
        advice.push(format!("Cover {}.", join_labels(&missed, 3)));
    }
    if !gave_example {
        advice.push("Give a concrete example from your own work.".to_string());
    }
    if length < 0.5 {
        advice.push("Develop the answer further: explain how and why.".to_string());
    }
    if filler_rate > 0.08 {
        advice.push("Pause instead of using filler words.".to_string());
    }
    let improvement = if advice.is_empty() {
        "Strong answer; keep the same structure and depth.".to_string()
    } else {
        advice.join(" ")
    };

    AnswerScore {
        score,
        quality: AnswerQuality::from_score(score, false),
        technical,
        communication,
        problem_solving,
        matched,
        missed,
        coverage,
        gave_example,
        words,
        content_words,
        fillers,
        evidence,
        improvement,
    }
}

/// "a, b and c" (at most `max` items).
pub fn join_labels(labels: &[String], max: usize) -> String {
    let items: Vec<&str> = labels.iter().take(max).map(String::as_str).collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kp(label: &str, terms: &[&str]) -> KeyPoint {
        KeyPoint {
            label: label.into(),
            terms: terms.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn reference_scoring_rewards_coverage_and_ignores_question_words() {
        let q = "What is the role of a prototype program in problem solving?";
        let r = "To simulate the behaviour of portions of the desired software product.";
        let good = score_against_reference(
            q,
            r,
            "It simulates portions of the desired software product.",
        );
        let restated =
            score_against_reference(q, r, "A prototype program helps in problem solving.");
        let none = score_against_reference(q, r, "I don't know.");
        assert!(good.score > restated.score + 20, "{good:?} vs {restated:?}");
        assert_eq!(none.score, 0);
        assert!(good.matched.contains(&"simulate".to_string()));
        assert!(restated.missed.contains(&"simulate".to_string()));
    }

    #[test]
    fn key_point_scoring_separates_strong_from_evasive() {
        let points = [
            kp("fits noise", &["noise", "memorise", "memorize"]),
            kp("validation gap", &["validation", "held-out", "unseen data"]),
            kp("cross-validation", &["cross-validation", "k-fold"]),
        ];
        let strong = score_answer(
            "Overfitting is when the model memorizes noise in the training set. For example, in my last \
             project the training accuracy was 99 percent but validation accuracy was 70 percent, so I used \
             k-fold cross-validation and regularisation because the gap showed poor generalisation.",
            &points,
            40.0,
        );
        let weak = score_answer("I have seen that before, it is fine.", &points, 5.0);
        assert!(strong.score >= 75, "{strong:?}");
        assert!(weak.score <= 25, "{weak:?}");
        assert_eq!(strong.missed, Vec::<String>::new());
        assert!(strong
            .evidence
            .iter()
            .any(|e| e.starts_with("concrete example")));
        assert_eq!(weak.missed.len(), 3);
        assert_eq!(
            score_answer("", &points, 0.0).quality,
            AnswerQuality::NoAnswer
        );
    }
}
