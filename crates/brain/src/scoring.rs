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

use crate::meaning::{self, Meaning};
use crate::order::{self, WordOrder};
use crate::text::{self, Analyzed, TermMatch};

// Calibrated constants (Pearson r on the development data: 0.618 by words alone, 0.651
// with the meaning model).
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
    /// How close what the answer says beyond the question is to what the reference says
    /// beyond it, from -1 to 1 (with a model; [`beyond_question`]).
    pub similarity: Option<f64>,
    /// Share of the reference's information (words weighed by rarity) the answer's words
    /// covered.
    pub recall: f64,
    /// The same share with the reference words the answer said in other words counted
    /// too ([`WordMeaning`], with a model); `recall` without one.
    pub recall_with_meaning: f64,
    /// Reference words the answer did not use but said in other words (with a model).
    pub word_meanings: Vec<WordMeaning>,
    /// How much of the answer is on the reference's topic.
    pub precision: f64,
    pub length: f64,
    /// Reference words the answer covered.
    pub matched: Vec<String>,
    /// Reference words it did not.
    pub missed: Vec<String>,
    /// How the answer's words are put together (sentences or a bag of words).
    pub word_order: WordOrder,
    /// How much the answer is the reference's own words out of English order, from 0 to 1
    /// ([`reshuffled_reference`]); counted as keyword stuffing.
    pub reshuffled: f64,
    /// What each part added to the score, in points (they sum to the score up to rounding).
    pub contributions: Vec<Contribution>,
}

/// A reference word the answer did not use, the answer's word closest to it in meaning,
/// and the share of the reference word's weight that earned.
#[derive(Clone, Debug, PartialEq)]
pub struct WordMeaning {
    pub reference: String,
    pub said: String,
    /// Cosine similarity of the two words' embeddings, each word embedded alone.
    pub similarity: f64,
    pub credit: f64,
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
    score_against_reference_with(question, reference, answer, None)
}

/// Weight of meaning similarity to the reference, beside recall (1), precision and
/// length, when a model is given.
const W_MEANING: f64 = 0.75;
/// Similarity beyond the question ([`beyond_question`]) at or below which the answer
/// shows none of the reference's meaning. With [`REFERENCE_MEANING_FULL`], it leaves the
/// same share of the development answers at none and at all of it as the plain cosine's
/// 0.2 and 0.7 did (about 5 % and 69 %).
const REFERENCE_MEANING_FLOOR: f64 = 0.0;
/// Similarity at which it shows all of it.
const REFERENCE_MEANING_FULL: f64 = 0.5;
/// A reference word the answer does not use is covered by the answer word closest to it
/// in meaning (the two words embedded alone), from nothing at the first cosine to
/// [`WORD_MEANING_MAX_CREDIT`] of its weight at the second.
const WORD_MEANING: (f64, f64) = (0.5, 0.8);
/// The most a reference word said in other words earns of its weight (its own word earns
/// all of it), as key points said in other words do ([`MEANING_MAX_CREDIT`]).
const WORD_MEANING_MAX_CREDIT: f64 = 0.75;
/// Words compared by meaning at most, on each side (a bound on the work per answer).
const WORD_MEANING_MAX_WORDS: usize = 64;
/// Number words, never matched by meaning: an embedding finds "1" and "2" alike, a
/// grader does not.
const NUMBER_WORDS_NEVER_CLOSE: &[&str] = &[
    "zero", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "hundred", "thousand", "million", "billion", "first", "second", "third",
];

/// Whether a word is a number (digits or a number word): numbers match only as words.
fn is_number(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit()) || NUMBER_WORDS_NEVER_CLOSE.contains(&word)
}

/// [`score_against_reference`] with meaning similarity when a model is given: how close
/// the answer's meaning is to the reference's, as one more contribution ("meaning").
pub fn score_against_reference_with(
    question: &str,
    reference: &str,
    answer: &str,
    meaning: Option<&Meaning>,
) -> ReferenceScore {
    let question_stems = text::unique(text::content_stems(question));
    let reference_content = text::content(reference);
    let answer_text = answer;
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
    // A misspelt word can stem far from its reference ("refrence" / "reference" stem to
    // "refrenc" / "refer"), so long words one slip apart as written also match.
    let slip = |word: &str| {
        word.len() >= text::PREFIX_MATCH
            && answer
                .content
                .iter()
                .any(|(w, _)| w.len() >= text::PREFIX_MATCH && text::at_most_one_edit(w, word))
    };
    for ((word, stem), w) in reference_stems.iter().zip(&weights) {
        if text::matches_any(stem, &answer.stems) || slip(word) {
            covered += w;
            if *w > 0.0 {
                matched.push(word.clone());
            }
        } else if *w > 0.0 {
            missed.push(word.clone());
        }
    }
    let recall = if total > 0.0 { covered / total } else { 0.0 };
    let word_meanings = match meaning {
        Some(m) if total > 0.0 => {
            let mut answer_words = text::unique(
                answer
                    .content
                    .iter()
                    .filter(|(w, s)| !question_stems.contains(s) && !is_number(w))
                    .map(|(w, _)| w.clone()),
            );
            answer_words.truncate(WORD_MEANING_MAX_WORDS);
            words_by_meaning(&missed, &answer_words, m)
        }
        _ => Vec::new(),
    };

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
    // Words that earn credit: those covering a reference word.
    let credited_stems: Vec<String> = reference_stems
        .iter()
        .zip(&weights)
        .filter(|(_, w)| **w > 0.0)
        .map(|((_, s), _)| s.clone())
        .collect();
    // Words on the topic, for keyword stuffing: all the reference's, those the question
    // used too included.
    let word_order = order::word_order(
        answer_text,
        |w| text::matches_any(&text::stem(w), &credited_stems),
        |w| {
            let s = text::stem(w);
            reference_only.iter().any(|t| text::stems_match(t, &s))
        },
    );
    let reshuffled = reshuffled_reference(answer_text, reference, recall, &word_order);
    let by_meaning: f64 = word_meanings
        .iter()
        .map(|wm| wm.credit * text::information_weight(&wm.reference))
        .sum();
    let recall_with_meaning = if total > 0.0 {
        ((covered + by_meaning) / total).min(1.0)
    } else {
        0.0
    };
    let similarity =
        meaning.and_then(|m| answer_beyond_question(m, question, reference, answer_text));
    let w_meaning = if similarity.is_some() { W_MEANING } else { 0.0 };
    let scale = 100.0 / (1.0 + W_PRECISION + W_LENGTH + w_meaning);
    let (score, contributions) = if n == 0.0 || non_answer {
        (0, Vec::new())
    } else {
        let mut parts = vec![
            Contribution {
                name: "reference covered",
                points: scale * recall.powf(RECALL_EXP),
            },
            Contribution {
                name: "reference words said in other words",
                points: scale * (recall_with_meaning.powf(RECALL_EXP) - recall.powf(RECALL_EXP)),
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
        if let Some(sim) = similarity {
            let shown = ((sim - REFERENCE_MEANING_FLOOR)
                / (REFERENCE_MEANING_FULL - REFERENCE_MEANING_FLOOR))
                .clamp(0.0, 1.0);
            // A list of bare terms states nothing about them: the model's reading of
            // one is not credited.
            parts.push(Contribution {
                name: "meaning",
                points: scale * w_meaning * shown * (1.0 - word_order.bare_list()),
            });
        }
        let before: f64 = parts.iter().map(|c| c.points).sum();
        parts.extend(word_order_contributions(
            &word_order,
            word_order.stuffing().max(reshuffled),
            before,
            WRITTEN_BAG_OF_WORDS_KEEPS,
        ));
        (to_score(parts.iter().map(|c| c.points).sum()), parts)
    };
    ReferenceScore {
        score,
        similarity,
        recall,
        recall_with_meaning,
        word_meanings,
        precision,
        length,
        matched,
        missed,
        word_order,
        reshuffled,
        contributions,
    }
}

/// The reference words in `missed` that the answer says in other words: for each, the
/// answer word (of `answer_words`) closest to it in meaning, each word embedded alone,
/// credited from nothing at [`WORD_MEANING`]'s first cosine to
/// [`WORD_MEANING_MAX_CREDIT`] at its second. Numbers are never matched this way. Ties go
/// to the earlier answer word, so the result does not depend on anything but the words.
pub fn words_by_meaning(
    missed: &[String],
    answer_words: &[String],
    meaning: &Meaning,
) -> Vec<WordMeaning> {
    let missed: Vec<&String> = missed
        .iter()
        .filter(|w| !is_number(w))
        .take(WORD_MEANING_MAX_WORDS)
        .collect();
    if missed.is_empty() || answer_words.is_empty() {
        return Vec::new();
    }
    let all: Vec<&str> = missed
        .iter()
        .map(|w| w.as_str())
        .chain(answer_words.iter().map(String::as_str))
        .collect();
    meaning.prefetch(&all);
    let mut found = Vec::new();
    for word in missed {
        let mut best: Option<(&String, f64)> = None;
        for said in answer_words {
            if let Some(sim) = meaning.similarity(word, said) {
                if best.is_none_or(|(_, b)| sim > b) {
                    best = Some((said, sim));
                }
            }
        }
        if let Some((said, sim)) = best {
            let credit = WORD_MEANING_MAX_CREDIT * ramp(sim, WORD_MEANING);
            if credit > 0.0 {
                found.push(WordMeaning {
                    reference: word.clone(),
                    said: said.clone(),
                    similarity: sim,
                    credit,
                });
            }
        }
    }
    found
}

/// The answer's meaning beyond the question ([`beyond_question`]): the mean of its whole
/// text's and its closest sentence's, so one sentence that says the reference is not
/// drowned by the others, nor credited as if it were all the answer said.
pub fn answer_beyond_question(
    m: &Meaning,
    question: &str,
    reference: &str,
    answer: &str,
) -> Option<f64> {
    let sentences = meaning::sentences(answer, MEANING_SENTENCES);
    let mut texts = vec![answer, reference, question];
    texts.extend(sentences.iter().copied());
    m.prefetch(&texts);
    let whole = beyond_question(m, question, reference, answer)?;
    let best = sentences
        .iter()
        .filter_map(|s| beyond_question(m, question, reference, s))
        .fold(whole, f64::max);
    Some((whole + best) / 2.0)
}

/// How close what the answer says beyond the question is to what the reference says
/// beyond it: the cosine of the two embeddings once the question's own direction is taken
/// out of both (the partial correlation of answer and reference given the question),
/// so an answer earns no meaning credit for restating the question, as its words earn no
/// word credit for it, and a reference that restates its question does not make every
/// answer look close. Without a question, the plain cosine.
pub fn beyond_question(m: &Meaning, question: &str, reference: &str, answer: &str) -> Option<f64> {
    if !question.chars().any(char::is_alphanumeric) {
        m.prefetch(&[answer, reference]);
        return m.similarity(answer, reference);
    }
    m.prefetch(&[answer, reference, question]);
    let ar = m.similarity(answer, reference)?;
    let aq = m.similarity(answer, question)?;
    let rq = m.similarity(reference, question)?;
    let spread = ((1.0 - aq * aq) * (1.0 - rq * rq)).max(0.0).sqrt();
    // An answer (or reference) that is the question itself says nothing beyond it.
    Some(if spread < 1e-6 {
        0.0
    } else {
        ((ar - aq * rq) / spread).clamp(-1.0, 1.0)
    })
}

/// Reshuffling starts to count when the answer's order gains less than this share of what
/// the reference's own order gains over a random order ([`order::OrderGain::per_link`]),
/// and counts fully at [`RESHUFFLED_FULL`].
const RESHUFFLED_FREE: f64 = 0.75;
const RESHUFFLED_FULL: f64 = 0.25;
/// The signature of a reshuffled reference: it covers the reference (recall) and is made
/// of its words (the share of the answer's words that are the reference's), from no
/// weight at the first value to full weight at the second.
const RESHUFFLED_RECALL: (f64, f64) = (0.7, 0.95);
const RESHUFFLED_SHARE: (f64, f64) = (0.8, 1.0);
/// How surely the bigram list tells the reference from a shuffle of it
/// ([`order::OrderGain::evidence`]): below the first value it cannot, and a shuffle is
/// not called one; from the second on it fully can.
const RESHUFFLED_EVIDENCE: (f64, f64) = (0.5, 1.5);
/// Answers shorter than this (in words) are never called reshuffled: "file scope" and
/// "scope file" are both answers.
const RESHUFFLED_MIN_WORDS: usize = 4;

/// How much an answer is the reference's own words put in an order that is not English,
/// from 0 to 1: a bag of the reference's words games a keyword counter (issue 17). It
/// takes the gaming signature — the answer covers the reference and is made of its words
/// — and an order that gains little over a random order of the same words, measured
/// against what the reference's own order gains, so a reference whose words English
/// pairs in any order (or that the bigram list does not know) never makes its own
/// paraphrase look shuffled, and an answer that repeats the reference verbatim gains as
/// much as the reference and is not marked down.
pub fn reshuffled_reference(answer: &str, reference: &str, recall: f64, w: &WordOrder) -> f64 {
    if w.words < RESHUFFLED_MIN_WORDS {
        return 0.0;
    }
    let (Some(said), Some(model)) = (order::order_gain(answer), order::order_gain(reference))
    else {
        return 0.0;
    };
    let reference_words = text::tokens(reference);
    let reference_stems: Vec<String> = reference_words.iter().map(|t| text::stem(t)).collect();
    let answer_words = text::tokens(answer);
    if answer_words.is_empty() || model.per_link() <= 0.0 {
        return 0.0;
    }
    let from_reference = answer_words
        .iter()
        .filter(|t| {
            reference_words.contains(t) || {
                let s = text::stem(t);
                reference_stems.iter().any(|r| text::stems_match(r, &s))
            }
        })
        .count();
    let share = from_reference as f64 / answer_words.len() as f64;
    let signature = ramp(recall, RESHUFFLED_RECALL)
        .min(ramp(share, RESHUFFLED_SHARE))
        .min(ramp(model.evidence(), RESHUFFLED_EVIDENCE));
    let bag = ((RESHUFFLED_FREE - said.per_link() / model.per_link())
        / (RESHUFFLED_FREE - RESHUFFLED_FULL))
        .clamp(0.0, 1.0);
    bag * signature
}

/// 0 at or below `from`, 1 at or above `to`, linear between.
fn ramp(x: f64, (from, to): (f64, f64)) -> f64 {
    ((x - from) / (to - from)).clamp(0.0, 1.0)
}

/// What a spoken interview answer keeps of its score when its words are a bag rather
/// than sentences: a keyword list is not worth nothing (the words are right), but far
/// less than an answer that says something with them. Spoken answers are sentences; a
/// string of terms is the best-known way to game a keyword counter.
const BAG_OF_WORDS_KEEPS: f64 = 0.35;

/// The same for written short answers scored against a reference answer
/// ([`score_against_reference`]). Milder: in the human-graded development data, terse
/// written lists ("data members and member functions") often earn full marks, and a
/// stronger penalty lowers agreement with the graders (Pearson r 0.552 at 0.35, 0.622 at
/// 0.75, as before the signal).
const WRITTEN_BAG_OF_WORDS_KEEPS: f64 = 0.75;

/// What an answer keeps of its score when its credited words are a string or a list of
/// terms rather than sentences ([`WordOrder::stuffing`]: a run of five or more credited
/// words with no function word between them, or a list of bare terms), written or
/// spoken alike. Such answers are built to game a keyword counter; in the development
/// data, 9 of 1,074 real answers have a run of four and a few list answers ("refining,
/// production, maintenance") are lists of bare terms.
const KEYWORD_STUFFING_KEEPS: f64 = 0.3;

/// The points an answer loses for the order of its words: "word order", none for
/// sentences, up to `1 - keeps_at_worst` of the points it had for a shuffled bag of words
/// or a keyword list; and "keyword stuffing", what a string or list of terms loses beyond
/// that, up to `1 - KEYWORD_STUFFING_KEEPS` in all.
fn word_order_contributions(
    w: &WordOrder,
    stuffing: f64,
    points: f64,
    keeps_at_worst: f64,
) -> [Contribution; 2] {
    let keeps = keeps_at_worst + (1.0 - keeps_at_worst) * w.factor();
    let stuffed_keeps = 1.0 - (1.0 - KEYWORD_STUFFING_KEEPS) * stuffing;
    [
        Contribution {
            name: "word order",
            points: -(1.0 - keeps) * points,
        },
        Contribution {
            name: "keyword stuffing",
            points: -(keeps - stuffed_keeps).max(0.0) * points,
        },
    ]
}

/// The evidence line for word order and keyword stuffing.
fn word_order_evidence(w: &WordOrder, c: &[Contribution; 2]) -> String {
    format!(
        "word order: {} of {} neighbouring word pairs in English order, {} of {} credited \
         words in a sentence: {:+.1} points; keyword stuffing: at most {} credited words \
         side by side without a function word, {} bare list items holding {} of them: \
         {:+.1} points",
        w.forward,
        w.forward + w.backward,
        w.in_context,
        w.credited,
        c[0].points,
        w.longest_run,
        w.list_items,
        w.listed,
        c[1].points
    )
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
    /// What each part added to `score`, in points.
    pub contributions: Vec<Contribution>,
    /// Key points credited for their meaning rather than their words (with a model).
    pub by_meaning: Vec<MeaningMatch>,
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

/// How one key point fared in an answer.
#[derive(Clone, Debug, PartialEq)]
pub enum PointOutcome {
    /// Covered; the words that showed it.
    Covered(String),
    /// Shown only by words the question itself used: half credit.
    Echoed(String),
    /// Mentioned only under a negation ("I never used X"): no credit.
    Negated(String),
    Missed,
}

/// A key point and how the answer fared on it.
#[derive(Clone, Debug, PartialEq)]
pub struct PointMatch {
    pub label: String,
    pub outcome: PointOutcome,
}

impl PointMatch {
    /// Credit towards coverage: 1 covered, ½ echoed, 0 otherwise.
    pub fn credit(&self) -> f64 {
        match self.outcome {
            PointOutcome::Covered(_) => 1.0,
            PointOutcome::Echoed(_) => 0.5,
            PointOutcome::Negated(_) | PointOutcome::Missed => 0.0,
        }
    }
}

/// Matches every key point: a term counts when the answer says it (stem, long prefix or
/// everyday synonym; a phrase's words close together) outside a negated experience. A
/// term made only of the question's own words earns half credit, since repeating the
/// question is not answering it.
pub fn match_key_points(a: &Analyzed, question: &str, key_points: &[KeyPoint]) -> Vec<PointMatch> {
    let question_stems = text::unique(text::content_stems(question));
    let echoes = |term: &str| {
        let stems = text::content_stems(term);
        !stems.is_empty()
            && stems
                .iter()
                .all(|s| question_stems.iter().any(|q| text::term_stem_matches(s, q)))
    };
    key_points
        .iter()
        .map(|kp| {
            let mut echoed = None;
            let mut negated = None;
            let mut covered = None;
            let label_stems = text::content_stems(&kp.label);
            // The label itself counts as a term when it has two or more content words.
            let label_term = (label_stems.len() >= 2).then_some(&kp.label);
            for term in kp.terms.iter().chain(label_term) {
                match a.find_term(term) {
                    TermMatch::Found(said) if echoes(term) => {
                        echoed.get_or_insert(said);
                    }
                    TermMatch::Found(said) => {
                        covered = Some(if term == &kp.label {
                            kp.label.clone()
                        } else {
                            said
                        });
                        break;
                    }
                    TermMatch::Negated(said) => {
                        negated.get_or_insert(said);
                    }
                    TermMatch::Absent => {}
                }
            }
            let outcome = match (covered, echoed, negated) {
                (Some(said), _, _) => PointOutcome::Covered(said),
                (None, Some(said), _) => PointOutcome::Echoed(said),
                (None, None, Some(said)) => PointOutcome::Negated(said),
                (None, None, None) => PointOutcome::Missed,
            };
            PointMatch {
                label: kp.label.clone(),
                outcome,
            }
        })
        .collect()
}

/// Which key points an answer covers (fully or by echoing the question), with the words
/// that showed each, and which it does not.
pub fn key_point_matches(
    a: &Analyzed,
    question: &str,
    key_points: &[KeyPoint],
) -> (Vec<(String, String)>, Vec<String>) {
    let mut matched = Vec::new();
    let mut missed = Vec::new();
    for m in match_key_points(a, question, key_points) {
        match m.outcome {
            PointOutcome::Covered(said) | PointOutcome::Echoed(said) => {
                matched.push((m.label, said))
            }
            PointOutcome::Negated(_) | PointOutcome::Missed => missed.push(m.label),
        }
    }
    (matched, missed)
}

/// Scores a spoken answer to `question` against key points. `answer_seconds` is the
/// time the candidate spoke (0 when unknown, for typed or scripted answers). Only the
/// answer's words and timing are used: nothing about who the candidate is.
pub fn score_answer(
    question: &str,
    answer: &str,
    key_points: &[KeyPoint],
    answer_seconds: f64,
) -> AnswerScore {
    score_answer_with(question, answer, key_points, answer_seconds, None)
}

/// Similarity at or below which an answer's sentence shows nothing of a key point.
const MEANING_FLOOR: f64 = 0.40;
/// Similarity at which a sentence earns a key point's whole meaning credit.
const MEANING_FULL: f64 = 0.70;
/// The most a key point shown by meaning alone earns (its words earn 1).
const MEANING_MAX_CREDIT: f64 = 0.75;
/// Sentences of an answer compared with the key points at most.
const MEANING_SENTENCES: usize = 12;

/// A key point shown by meaning rather than by its words.
#[derive(Clone, Debug, PartialEq)]
pub struct MeaningMatch {
    pub label: String,
    pub similarity: f64,
    pub sentence: String,
    pub credit: f64,
}

/// Credit for key points the answer's words missed (or only echoed from the question)
/// but one of its sentences says in other words: the closest sentence's similarity to
/// the point's label, from nothing at [`MEANING_FLOOR`] to [`MEANING_MAX_CREDIT`] at
/// [`MEANING_FULL`]. A point mentioned under a negation gets none.
fn meaning_matches(answer: &str, points: &[PointMatch], meaning: &Meaning) -> Vec<MeaningMatch> {
    let sentences = meaning::sentences(answer, MEANING_SENTENCES);
    let open: Vec<&PointMatch> = points
        .iter()
        .filter(|p| matches!(p.outcome, PointOutcome::Missed | PointOutcome::Echoed(_)))
        .collect();
    if open.is_empty() {
        return Vec::new();
    }
    // The sentences and the open points' labels in one batch.
    let texts: Vec<&str> = sentences
        .iter()
        .copied()
        .chain(open.iter().map(|p| p.label.as_str()))
        .collect();
    meaning.prefetch(&texts);
    open.into_iter()
        .filter_map(|p| {
            let (similarity, sentence) = sentences
                .iter()
                .filter_map(|s| meaning.similarity(s, &p.label).map(|v| (v, *s)))
                .fold(None, |best: Option<(f64, &str)>, (v, s)| match best {
                    Some((b, _)) if b >= v => best,
                    _ => Some((v, s)),
                })?;
            let ramp =
                ((similarity - MEANING_FLOOR) / (MEANING_FULL - MEANING_FLOOR)).clamp(0.0, 1.0);
            let credit = MEANING_MAX_CREDIT * ramp;
            (credit > p.credit()).then(|| MeaningMatch {
                label: p.label.clone(),
                similarity,
                sentence: sentence.chars().take(80).collect(),
                credit,
            })
        })
        .collect()
}

/// [`score_answer`] with meaning similarity when a model is given: key points said in
/// other words earn part of their credit, listed as a "meaning" contribution.
pub fn score_answer_with(
    question: &str,
    answer: &str,
    key_points: &[KeyPoint],
    answer_seconds: f64,
    meaning: Option<&Meaning>,
) -> AnswerScore {
    let a = Analyzed::new(answer);
    let words = text::word_count(answer);
    let content_words = a.content.len();
    let fillers = text::filler_count(answer);
    let points = match_key_points(&a, question, key_points);
    let mut matched = Vec::new();
    let mut missed = Vec::new();
    for m in &points {
        match &m.outcome {
            PointOutcome::Covered(said) | PointOutcome::Echoed(said) => {
                matched.push((m.label.clone(), said.clone()))
            }
            PointOutcome::Negated(_) | PointOutcome::Missed => missed.push(m.label.clone()),
        }
    }
    let by_meaning = match meaning {
        Some(m) if !key_points.is_empty() => meaning_matches(answer, &points, m),
        _ => Vec::new(),
    };
    let (word_coverage, coverage) = if key_points.is_empty() {
        (0.0, 0.0)
    } else {
        let n = key_points.len() as f64;
        let words: f64 = points.iter().map(PointMatch::credit).sum();
        let gained: f64 = by_meaning
            .iter()
            .map(|mm| {
                let had = points
                    .iter()
                    .find(|p| p.label == mm.label)
                    .map_or(0.0, PointMatch::credit);
                mm.credit - had
            })
            .sum();
        (words / n, (words + gained) / n)
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
    for m in &points {
        let label = &m.label;
        evidence.push(match &m.outcome {
            PointOutcome::Covered(said) => format!("matched: {label} (said \"{said}\")"),
            PointOutcome::Echoed(said) => {
                format!("half credit: {label} (said \"{said}\", words the question already used)")
            }
            PointOutcome::Negated(said) => {
                format!("not credited: {label} (said \"{said}\", a negation)")
            }
            PointOutcome::Missed => format!("missed: {label}"),
        });
    }
    for mm in &by_meaning {
        // Half the point's credit or more counts as covered, as an echo of the question does.
        if mm.credit >= 0.5 {
            if let Some(i) = missed.iter().position(|l| *l == mm.label) {
                missed.remove(i);
                matched.push((mm.label.clone(), mm.sentence.clone()));
            }
        }
        evidence.push(format!(
            "close in meaning: {} (similarity {:.2} with \"{}\"): {:.2} of the point's credit",
            mm.label, mm.similarity, mm.sentence, mm.credit
        ));
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
            contributions: Vec::new(),
            by_meaning,
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

    // Which words earn credit: those of the key points' terms.
    let term_stems: Vec<String> = text::unique(
        key_points
            .iter()
            .flat_map(|kp| kp.terms.iter())
            .flat_map(|t| text::content_stems(t)),
    );
    // Words on the topic, for keyword stuffing: the key points' terms (credited).
    let word_order = order::word_order(
        answer,
        |w| {
            let s = text::stem(w);
            term_stems.iter().any(|t| text::term_stem_matches(t, &s))
        },
        |_| false,
    );
    let keeps = (BAG_OF_WORDS_KEEPS + (1.0 - BAG_OF_WORDS_KEEPS) * word_order.factor())
        .min(1.0 - (1.0 - KEYWORD_STUFFING_KEEPS) * word_order.stuffing());
    // Key points said as a bag of words count for as much as the order lets them.
    let cov = coverage.powf(0.7) * keeps;
    let technical = to_score(100.0 * (0.85 * cov + 0.15 * specificity));
    // Delivery (pace and fillers) is shown but weighs lightly: a fifth of communication,
    // so at most a twentieth of the overall score, and nothing in the answer's own score.
    let communication = to_score(
        100.0
            * (0.50 * length + 0.30 * structure_f + 0.20 * delivery)
            * (0.4 + 0.6 * cov.max(length * 0.5)),
    );
    let problem_solving = to_score(100.0 * (0.5 * cov + 0.3 * specificity + 0.2 * reasoning_f));
    let mut contributions = vec![Contribution {
        name: "key points",
        points: 100.0 * 0.6 * word_coverage.powf(0.7),
    }];
    if meaning.is_some() {
        contributions.push(Contribution {
            name: "meaning",
            points: 100.0 * 0.6 * (coverage.powf(0.7) - word_coverage.powf(0.7)),
        });
    }
    contributions.extend([
        Contribution {
            name: "specificity",
            points: 100.0 * 0.15 * specificity,
        },
        Contribution {
            name: "substance",
            points: 100.0 * 0.25 * length,
        },
    ]);
    let before: f64 = contributions.iter().map(|c| c.points).sum();
    let order_parts = word_order_contributions(
        &word_order,
        word_order.stuffing(),
        before,
        BAG_OF_WORDS_KEEPS,
    );
    let order_line = word_order_evidence(&word_order, &order_parts);
    contributions.extend(order_parts);
    let score = to_score(contributions.iter().map(|c| c.points).sum());
    evidence.push(format!(
        "score {score} = {}",
        contributions
            .iter()
            .map(|c| format!("{} {:.1}", c.name, c.points))
            .collect::<Vec<_>>()
            .join(" + ")
    ));

    evidence.push(order_line);
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
    evidence.push(format!(
        "delivery {:.0} % (pace and filler words; counts only towards communication, at 20 %)",
        100.0 * delivery
    ));

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
    if word_order.factor() < 0.5 || word_order.stuffing() > 0.5 {
        advice.push("Answer in sentences that explain, not a list of terms.".to_string());
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
        contributions,
        by_meaning,
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

    /// A stand-in embedder for the arithmetic of the meaning signals: each text's vector
    /// is fixed by the test (unknown texts get a vector of their own).
    struct Fixed(Vec<(&'static str, Vec<f32>)>);

    impl crate::meaning::SentenceEmbedder for Fixed {
        fn name(&self) -> &str {
            "fixed"
        }
        fn embed(&self, text: &str) -> Result<Vec<f32>, String> {
            Ok(self
                .0
                .iter()
                .find(|(t, _)| *t == text)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| vec![0.0, 0.0, 0.0, 1.0]))
        }
    }

    fn unit(v: [f32; 4]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn meaning_beyond_the_question_gives_nothing_for_restating_it() {
        let model = Fixed(vec![
            ("q", unit([1.0, 0.0, 0.0, 0.0])),
            ("ref", unit([1.0, 1.0, 0.0, 0.0])),
            // The question again in other words: close to the reference by plain cosine
            // (0.71), nothing beyond the question.
            ("restated", unit([1.0, 0.0, 0.0, 0.0])),
            ("right", unit([1.0, 1.0, 0.0, 0.0])),
            ("other", unit([1.0, 0.0, 1.0, 0.0])),
        ]);
        let m = Meaning::new(&model);
        let beyond = |a| beyond_question(&m, "q", "ref", a).unwrap_or(f64::NAN);
        assert!(beyond("restated").abs() < 1e-6, "{}", beyond("restated"));
        assert!((beyond("right") - 1.0).abs() < 1e-6, "{}", beyond("right"));
        assert!(beyond("other").abs() < 1e-6, "{}", beyond("other"));
        assert!(m.similarity("other", "ref").unwrap_or(0.0) > 0.4);
        // Without a question, the plain cosine.
        let plain = beyond_question(&m, "", "ref", "other").unwrap_or(f64::NAN);
        assert!((plain - 0.5).abs() < 1e-6, "{plain}");
    }

    #[test]
    fn the_closest_sentence_counts_half_beside_the_whole_answer() {
        let model = Fixed(vec![
            ("q", unit([1.0, 0.0, 0.0, 0.0])),
            ("ref", unit([1.0, 1.0, 0.0, 0.0])),
            ("Weather talk. right", unit([1.0, 0.0, 1.0, 0.0])),
            ("Weather talk", unit([1.0, 0.0, 1.0, 0.0])),
            ("right", unit([1.0, 1.0, 0.0, 0.0])),
        ]);
        let m = Meaning::new(&model);
        let mixed = answer_beyond_question(&m, "q", "ref", "Weather talk. right");
        // Whole answer 0 beyond the question, its second sentence 1.
        assert!((mixed.unwrap_or(f64::NAN) - 0.5).abs() < 1e-6, "{mixed:?}");
        let one = answer_beyond_question(&m, "q", "ref", "right");
        assert!((one.unwrap_or(f64::NAN) - 1.0).abs() < 1e-6, "{one:?}");
    }

    #[test]
    fn a_reference_word_said_in_other_words_earns_part_of_its_weight_numbers_none() {
        let model = Fixed(vec![
            ("unlimited", unit([1.0, 0.0, 0.0, 0.0])),
            ("infinitely", unit([1.0, 0.2, 0.0, 0.0])),
            ("loosely", unit([1.0, 1.2, 0.0, 0.0])),
            ("1", unit([0.0, 0.0, 1.0, 0.0])),
            ("2", unit([0.0, 0.0, 1.0, 0.0])),
        ]);
        let m = Meaning::new(&model);
        let words = |v: &[&str]| v.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let found = words_by_meaning(
            &words(&["unlimited", "1"]),
            &words(&["loosely", "infinitely", "2"]),
            &m,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].reference, "unlimited");
        assert_eq!(found[0].said, "infinitely");
        assert!(
            (found[0].credit - WORD_MEANING_MAX_CREDIT).abs() < 1e-9,
            "{found:?}"
        );
        // Cosine 0.64 (between 0.5 and 0.8): part of the most.
        let partial = words_by_meaning(&words(&["unlimited"]), &words(&["loosely"]), &m);
        assert!(
            partial[0].credit > 0.0 && partial[0].credit < WORD_MEANING_MAX_CREDIT,
            "{partial:?}"
        );
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
            "What is overfitting?",
            "Overfitting is when the model memorizes noise in the training set. For example, in my last \
             project the training accuracy was 99 percent but validation accuracy was 70 percent, so I used \
             k-fold cross-validation and regularisation because the gap showed poor generalisation.",
            &points,
            40.0,
        );
        let weak = score_answer(
            "What is overfitting?",
            "I have seen that before, it is fine.",
            &points,
            5.0,
        );
        assert!(strong.score >= 75, "{strong:?}");
        assert!(weak.score <= 25, "{weak:?}");
        assert_eq!(strong.missed, Vec::<String>::new());
        assert!(strong
            .evidence
            .iter()
            .any(|e| e.starts_with("concrete example")));
        assert_eq!(weak.missed.len(), 3);
        assert_eq!(
            score_answer("What is overfitting?", "", &points, 0.0).quality,
            AnswerQuality::NoAnswer
        );
    }

    #[test]
    fn misspellings_and_synonyms_match_the_reference() {
        let q = "How are arrays passed to functions?";
        let typo = score_against_reference(q, "by reference.", "by refrence");
        assert_eq!(typo.matched, ["reference"], "{typo:?}");
        let q = "How many constructors can be created for a class?";
        let synonym = score_against_reference(q, "Unlimited number.", "infinite");
        assert_eq!(synonym.matched, ["unlimited"], "{synonym:?}");
        let wrong = score_against_reference(q, "Unlimited number.", "just one");
        assert!(synonym.score > wrong.score + 20, "{synonym:?} vs {wrong:?}");
    }

    fn docker_points() -> Vec<KeyPoint> {
        vec![
            kp(
                "containers package an app with its dependencies",
                &["dependencies", "image", "package"],
            ),
            kp(
                "isolation from the host",
                &["isolation", "isolated", "namespaces"],
            ),
            kp("hands-on use of Docker", &["docker", "dockerfile"]),
        ]
    }

    #[test]
    fn a_negated_experience_earns_nothing_and_says_why() {
        let q = "How have you used containers in your work?";
        let yes = score_answer(
            q,
            "I used Docker daily to package each service into an image.",
            &docker_points(),
            0.0,
        );
        let no = score_answer(
            q,
            "I have never used Docker, though I read that it packages an image.",
            &docker_points(),
            0.0,
        );
        assert!(
            yes.matched
                .iter()
                .any(|(l, _)| l == "hands-on use of Docker"),
            "{yes:?}"
        );
        assert!(
            no.missed.contains(&"hands-on use of Docker".to_string()),
            "{no:?}"
        );
        assert!(
            no.evidence
                .iter()
                .any(|e| e.starts_with("not credited: hands-on use of Docker")
                    && e.contains("never used docker")),
            "{:?}",
            no.evidence
        );
        assert!(yes.score > no.score, "{} vs {}", yes.score, no.score);
    }

    #[test]
    fn repeating_the_question_earns_half_credit() {
        let q = "Why does isolation matter when you run containers?";
        let echo = score_answer(
            q,
            "Isolation matters a lot for containers, it really does.",
            &docker_points(),
            0.0,
        );
        let own = score_answer(
            q,
            "Namespaces keep each process apart from the host and from the others.",
            &docker_points(),
            0.0,
        );
        assert!(
            echo.evidence
                .iter()
                .any(|e| e.starts_with("half credit: isolation")),
            "{:?}",
            echo.evidence
        );
        assert!(
            own.evidence
                .iter()
                .any(|e| e.starts_with("matched: isolation")),
            "{:?}",
            own.evidence
        );
        assert!(own.coverage > echo.coverage);
    }

    #[test]
    fn contributions_add_up_to_the_score_and_are_in_the_evidence() {
        let s = score_answer(
            "What is overfitting?",
            "For example in my last project the model memorised noise; validation accuracy fell 20 percent.",
            &[kp("fits noise", &["noise"]), kp("validation gap", &["validation"]), kp("fix", &["regularisation"])],
            30.0,
        );
        let total: f64 = s.contributions.iter().map(|c| c.points).sum();
        assert_eq!(to_score(total), s.score);
        assert_eq!(
            s.contributions.iter().map(|c| c.name).collect::<Vec<_>>(),
            [
                "key points",
                "specificity",
                "substance",
                "word order",
                "keyword stuffing"
            ]
        );
        assert!(s
            .evidence
            .iter()
            .any(|e| e.starts_with(&format!("score {} = key points", s.score))));
        assert!(s.evidence.iter().any(|e| e.starts_with("delivery ")));
    }

    #[test]
    fn a_spoken_keyword_list_scores_far_below_the_same_words_in_sentences() {
        let q = "How have you used containers in your work?";
        let sentences = score_answer(
            q,
            "I used Docker to package each service with its dependencies into an image, \
             and the namespaces kept it isolated from the host.",
            &docker_points(),
            0.0,
        );
        let list = score_answer(
            q,
            "Docker, package, dependencies, image, namespaces, isolated, host.",
            &docker_points(),
            0.0,
        );
        let shuffled = score_answer(
            q,
            "host the image isolated dependencies namespaces docker package with its each \
             service into an and kept it from used to I",
            &docker_points(),
            0.0,
        );
        assert!(
            f64::from(list.score) <= 0.6 * f64::from(sentences.score),
            "{} vs {}",
            list.score,
            sentences.score
        );
        // A shuffle keeps some pairs in English order by chance: marked down less.
        assert!(
            f64::from(shuffled.score) <= 0.8 * f64::from(sentences.score),
            "{} vs {}: {:?}",
            shuffled.score,
            sentences.score,
            shuffled.evidence
        );
        assert!(list.evidence.iter().any(|e| e.starts_with("word order:")));
        assert!(sentences
            .evidence
            .iter()
            .any(
                |e| e.starts_with("word order:") && e.ends_with("+0.0 points")
                    || e.starts_with("word order:") && e.ends_with("-0.0 points")
            ));
    }

    #[test]
    fn delivery_moves_communication_a_little_and_the_answer_score_not_at_all() {
        let answer = "First, I would measure the latency because it depends on load. Then I would \
                      compare the results, for example with a benchmark in production.";
        let points = [
            kp("measure", &["measure"]),
            kp("compare", &["compare"]),
            kp("load", &["load"]),
        ];
        let calm = score_answer("How would you find a slowdown?", answer, &points, 12.0);
        let rushed = score_answer("How would you find a slowdown?", answer, &points, 3.0);
        assert_eq!(calm.score, rushed.score);
        assert!(calm.communication > rushed.communication);
        assert!(
            calm.communication - rushed.communication <= 15,
            "{} vs {}",
            calm.communication,
            rushed.communication
        );
    }
}
