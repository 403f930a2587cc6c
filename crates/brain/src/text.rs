//! Text analysis shared by selection, follow-ups and scoring: tokens, stems, stopwords.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// Function words that carry no content. Kept verbatim from the scoring calibration.
const STOPWORDS: &str = "a about above after again against all also although am an and another \
any anything are as at be because been before being below between both but by can cannot could \
did didn do does doesn doing don done dont down during each either else etc ever every few for \
from further had has have having he her here hers herself him himself his how however i if in \
into is isn it its itself just let like may me might more most much must my myself no nor not \
now of off on once one only or other our ours ourselves out over own per same shall she should \
so some something such than that the their theirs them themselves then there these they this \
those though through thus to too under until up upon us very via was wasn we were what when \
where whether which while who whom whose why will with within without would yes yet you your \
yours yourself yourselves";

/// Words of an answer that is not an answer ("I don't know", "pass", "no idea").
const NON_ANSWER: &str = "answer answered clue er erm hmm idea idk know nothing pass remember \
skip sorry sure uh um umm unsure";

/// Filler words counted for delivery (never used to infer emotion or tone).
const FILLERS: &[&str] = &[
    "um",
    "umm",
    "uh",
    "er",
    "erm",
    "hmm",
    "basically",
    "actually",
];

/// Characters two stems must share at the start to count as the same word.
pub const PREFIX_MATCH: usize = 5;

fn stopwords() -> &'static BTreeSet<&'static str> {
    static SET: OnceLock<BTreeSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.split_whitespace().collect())
}

fn non_answer_words() -> &'static BTreeSet<&'static str> {
    static SET: OnceLock<BTreeSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| NON_ANSWER.split_whitespace().collect())
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Lower-case tokens split on anything that is not an ASCII letter or digit; one-letter
/// tokens are dropped unless they are digits.
pub fn tokens(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .filter(|t| t.len() > 1 || t.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

pub fn is_stopword(token: &str) -> bool {
    stopwords().contains(token)
}

pub fn stem(token: &str) -> String {
    stemmer().stem(token).into_owned()
}

/// Tokens that are not stopwords, as (original, stem) pairs in order.
pub fn content(text: &str) -> Vec<(String, String)> {
    tokens(text)
        .into_iter()
        .filter(|t| !is_stopword(t))
        .map(|t| {
            let s = stem(&t);
            (t, s)
        })
        .collect()
}

/// Content stems in order, repeats kept.
pub fn content_stems(text: &str) -> Vec<String> {
    content(text).into_iter().map(|(_, s)| s).collect()
}

/// Whether two stems are the same word: equal, long enough and sharing a prefix, or long
/// enough and one slip apart ("refrence" for "reference", as typed or transcribed).
pub fn stems_match(a: &str, b: &str) -> bool {
    a == b
        || (a.len() >= PREFIX_MATCH
            && b.len() >= PREFIX_MATCH
            && (a.as_bytes()[..PREFIX_MATCH] == b.as_bytes()[..PREFIX_MATCH]
                || at_most_one_edit(a, b)))
}

/// Whether `a` becomes `b` by at most one insertion, deletion, substitution or swap of
/// two neighbouring letters (Damerau-Levenshtein distance ≤ 1).
pub fn at_most_one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let first = short
        .iter()
        .zip(long)
        .position(|(x, y)| x != y)
        .unwrap_or(short.len());
    if short.len() == long.len() {
        let rest = first + 1;
        short[rest..] == long[rest..]
            || (rest < short.len()
                && short[first] == long[rest]
                && short[rest] == long[first]
                && short[rest + 1..] == long[rest + 1..])
    } else {
        short[first..] == long[first + 1..]
    }
}

/// The 10,000 most frequent English words with their Zipf frequency (see the file's header).
const WORD_FREQUENCY: &str = include_str!("../../../assets/word-frequency/en-top10k.txt");

fn zipf_table() -> &'static BTreeMap<&'static str, f64> {
    static TABLE: OnceLock<BTreeMap<&'static str, f64>> = OnceLock::new();
    TABLE.get_or_init(|| {
        WORD_FREQUENCY
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (word, zipf) = l.split_once(' ')?;
                Some((word, zipf.parse().ok()?))
            })
            .collect()
    })
}

/// How much information a word carries, from 0.2 (the commonest words) to 1.0: the rarer a
/// word is in everyday English, the more its presence says. A word missing from the table
/// is taken to be as rare as the rarest listed one.
pub fn information_weight(word: &str) -> f64 {
    ((7.5 - zipf(word)) / 6.0).clamp(0.2, 1.0)
}

/// A word's Zipf frequency (log10 of its occurrences per billion words); a word missing
/// from the table is taken to be as rare as the rarest listed one.
pub fn zipf(word: &str) -> f64 {
    static RAREST: OnceLock<f64> = OnceLock::new();
    let table = zipf_table();
    table.get(word).copied().unwrap_or_else(|| {
        *RAREST.get_or_init(|| table.values().copied().fold(f64::INFINITY, f64::min))
    })
}

pub fn matches_any(stem: &str, pool: &[String]) -> bool {
    pool.iter()
        .any(|o| stems_match(stem, o) || crate::synonyms::same_meaning(stem, o))
}

/// The stricter rule for curated key-point terms: equal, or one stem (five characters or
/// more) begins the other ("regular" / "regularis"), so "functools" never matches "function".
pub fn term_stem_matches(term: &str, said: &str) -> bool {
    let (short, long) = if term.len() <= said.len() {
        (term, said)
    } else {
        (said, term)
    };
    term == said || (short.len() >= PREFIX_MATCH && long.starts_with(short))
}

/// Whether every content token is a non-answer word ("I don't know", "no idea, sorry").
pub fn is_non_answer(content_tokens: &[(String, String)]) -> bool {
    !content_tokens.is_empty()
        && content_tokens
            .iter()
            .all(|(t, _)| non_answer_words().contains(t.as_str()))
}

/// Number of filler words among all tokens.
pub fn filler_count(text: &str) -> usize {
    tokens(text)
        .iter()
        .filter(|t| FILLERS.contains(&t.as_str()))
        .count()
}

/// Words as a listener counts them (any whitespace-separated token with a letter or digit).
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// De-duplicates in first-occurrence order.
pub fn unique(stems: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    stems
        .into_iter()
        .filter(|s| seen.insert(s.clone()))
        .collect()
}

/// Words that negate what follows them in the same clause ("I never used Kafka").
const NEGATORS: &[&str] = &[
    "not", "never", "no", "without", "cannot", "nor", "neither", "nothing",
];

/// Halves of contractions that negate only before "t" ("don't", "can't"; "we won" does not).
const CONTRACTED_NEGATORS: &[&str] = &[
    "don", "didn", "doesn", "haven", "hasn", "hadn", "won", "wouldn", "isn", "aren", "wasn",
    "weren", "can", "couldn", "shouldn",
];

/// Words about the speaker's own experience or knowledge. A negation counts only with one
/// of them between it and the term ("I never used Kafka", "I don't know Redis"), so that
/// a design "without downtime" still mentions downtime.
const EXPERIENCE_WORDS: &[&str] = &[
    "use",
    "used",
    "using",
    "know",
    "knew",
    "known",
    "work",
    "worked",
    "working",
    "heard",
    "familiar",
    "experience",
    "tried",
    "try",
    "done",
    "touched",
    "seen",
    "learned",
    "learnt",
    "sure",
    "understand",
    "remember",
    "idea",
    "clue",
];

/// How many words before a term a negation still reaches.
const NEGATION_REACH: usize = 6;

/// A key-point term found, negated, or absent in an answer.
#[derive(Clone, Debug, PartialEq)]
pub enum TermMatch {
    /// Present; the words of the answer that showed it.
    Found(String),
    /// Present only under a negation ("I never used X"); the negated words.
    Negated(String),
    Absent,
}

/// An answer (or any text) analysed once for matching.
#[derive(Clone, Debug, Default)]
pub struct Analyzed {
    /// Every lower-case word, stopwords and single letters included, in order.
    pub words: Vec<String>,
    /// The clause (split at . , ; : ! ? and "but") of each word in `words`.
    pub clauses: Vec<usize>,
    /// Content tokens as (original, stem), repeats kept.
    pub content: Vec<(String, String)>,
    /// Index in `words` of each content token.
    pub content_at: Vec<usize>,
    /// Unique content stems, first-occurrence order.
    pub stems: Vec<String>,
}

impl Analyzed {
    pub fn new(text: &str) -> Self {
        let mut words = Vec::new();
        let mut clauses = Vec::new();
        let mut clause = 0;
        let mut current = String::new();
        for c in text.chars().chain([' ']) {
            if c.is_ascii_alphanumeric() {
                current.extend(c.to_lowercase());
                continue;
            }
            if !current.is_empty() {
                if current == "but" {
                    clause += 1;
                }
                words.push(std::mem::take(&mut current));
                clauses.push(clause);
            }
            if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\n') {
                clause += 1;
            }
        }
        let mut content = Vec::new();
        let mut content_at = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let keep = w.len() > 1 || w.chars().all(|c| c.is_ascii_digit());
            if keep && !is_stopword(w) {
                content.push((w.clone(), stem(w)));
                content_at.push(i);
            }
        }
        let stems = unique(content.iter().map(|(_, s)| s.clone()));
        Self {
            words,
            clauses,
            content,
            content_at,
            stems,
        }
    }

    /// Whether a key-point term is present at all (negated or not).
    pub fn has_phrase(&self, phrase: &str) -> bool {
        !matches!(self.find_term(phrase), TermMatch::Absent)
    }

    fn is_negator(&self, i: usize) -> bool {
        let w = self.words[i].as_str();
        let next = self.words.get(i + 1).map(String::as_str);
        (NEGATORS.contains(&w) && next != Some("only"))
            || (CONTRACTED_NEGATORS.contains(&w) && next == Some("t"))
    }

    /// Where the negation of the word at `at` starts, if it is negated: a negator up to six
    /// words before it in the same clause with an experience word in between.
    fn negated_at(&self, at: usize) -> Option<usize> {
        let clause = self.clauses[at];
        (at.saturating_sub(NEGATION_REACH)..at).rev().find(|&i| {
            self.clauses[i] == clause
                && self.is_negator(i)
                && self.words[i + 1..at]
                    .iter()
                    .any(|w| EXPERIENCE_WORDS.contains(&w.as_str()))
        })
    }

    /// Finds a key-point term: all of its content stems close together (each one equal to,
    /// a long prefix of, or an everyday synonym of a word said), or, for a phrase of
    /// function words such as "when I", its exact word sequence. An occurrence under a
    /// negation counts only when no plain occurrence exists; a term that itself contains
    /// a negation ("cannot change") is never negated.
    pub fn find_term(&self, phrase: &str) -> TermMatch {
        let term_words: Vec<String> = phrase
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        let term_negates = term_words
            .iter()
            .any(|w| NEGATORS.contains(&w.as_str()) || CONTRACTED_NEGATORS.contains(&w.as_str()));
        let stems = content_stems(phrase);
        // Each occurrence as the span of words (first, last) that showed it.
        let mut spans: Vec<(usize, usize)> = Vec::new();
        if stems.is_empty() {
            if !term_words.is_empty() {
                for (i, w) in self.words.windows(term_words.len()).enumerate() {
                    if w == term_words.as_slice() {
                        spans.push((i, i + term_words.len() - 1));
                    }
                }
            }
        } else {
            let said = |s: &str, k: usize| {
                let o = &self.content[k].1;
                term_stem_matches(s, o) || crate::synonyms::same_meaning(s, o)
            };
            // Stems of a phrase must sit within a few content words of each other.
            let reach = 2 * stems.len() + 2;
            for k in 0..self.content.len() {
                if !said(&stems[0], k) {
                    continue;
                }
                let mut picked = vec![k];
                let all = stems[1..].iter().all(|s| {
                    let lo = k.saturating_sub(reach);
                    let hi = (k + reach).min(self.content.len().saturating_sub(1));
                    match (lo..=hi).find(|&j| said(s, j)) {
                        Some(j) => {
                            picked.push(j);
                            true
                        }
                        None => false,
                    }
                });
                if all {
                    let first = picked
                        .iter()
                        .map(|&j| self.content_at[j])
                        .min()
                        .unwrap_or(0);
                    let last = picked
                        .iter()
                        .map(|&j| self.content_at[j])
                        .max()
                        .unwrap_or(0);
                    spans.push((first, last));
                }
            }
        }
        let show = |from: usize, last: usize| -> String {
            self.words[from..=last].join(" ").chars().take(80).collect()
        };
        let mut negated = None;
        for span in spans {
            match self.negated_at(span.0).filter(|_| !term_negates) {
                None => return TermMatch::Found(show(span.0, span.1)),
                Some(n) => {
                    negated.get_or_insert_with(|| show(n, span.1));
                }
            }
        }
        negated.map_or(TermMatch::Absent, TermMatch::Negated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_on_punctuation_and_drop_single_letters() {
        assert_eq!(
            tokens("Cross-validation, don't: k-fold 5 x"),
            ["cross", "validation", "don", "fold", "5"]
        );
    }

    #[test]
    fn stems_match_by_prefix_for_long_words() {
        assert_eq!(stem("generalization"), stem("generalizes"));
        assert!(stems_match("simul", "simulat"));
        assert!(!stems_match("cat", "car"));
    }

    #[test]
    fn phrases_match_by_stems_or_by_exact_function_words() {
        let a = Analyzed::new("When I joined, we generalised the models with k-folds.");
        assert!(a.has_phrase("k-fold"));
        assert!(a.has_phrase("generalize"));
        assert!(a.has_phrase("when i"));
        assert!(!a.has_phrase("if i"));
        assert!(!a.has_phrase("overfitting"));
        let b = Analyzed::new("It takes a function and returns a wrapper; I memorize it.");
        assert!(
            !b.has_phrase("functools"),
            "a prefix of five letters is not the same word"
        );
        assert!(!b.has_phrase("wraps"));
        assert!(b.has_phrase("memorise"));
    }

    #[test]
    fn one_slip_apart_is_the_same_long_word() {
        assert!(stems_match("refrenc", "referenc"));
        assert!(stems_match("paremet", "paramet"));
        assert!(
            at_most_one_edit("recieve", "receive"),
            "a swap of neighbours"
        );
        assert!(!at_most_one_edit("abc", "abcde"));
        assert!(!stems_match("cat", "car"), "short words must be equal");
        assert!(!at_most_one_edit("pointer", "painted"));
    }

    #[test]
    fn rare_words_weigh_more_than_common_ones() {
        assert!(information_weight("recursion") > information_weight("use"));
        assert!(information_weight("the") <= 0.2 + f64::EPSILON);
        assert!((information_weight("zzyzzyx") - information_weight("bankers")).abs() < 1e-9);
    }

    #[test]
    fn a_negated_experience_is_not_a_mention() {
        let never = Analyzed::new("I have never actually used Kafka, but I know RabbitMQ.");
        assert_eq!(
            never.find_term("kafka"),
            TermMatch::Negated("never actually used kafka".to_string())
        );
        assert_eq!(
            never.find_term("rabbitmq"),
            TermMatch::Found("rabbitmq".to_string())
        );
        let dont = Analyzed::new("I don't really know much about Redis.");
        assert!(matches!(dont.find_term("redis"), TermMatch::Negated(_)));
        let design =
            Analyzed::new("We deploy without downtime; there is no single point of failure.");
        assert!(matches!(design.find_term("downtime"), TermMatch::Found(_)));
        assert!(matches!(
            design.find_term("single point of failure"),
            TermMatch::Found(_)
        ));
        let both = Analyzed::new("I never used Docker at home. At work I used Docker daily.");
        assert!(
            matches!(both.find_term("docker"), TermMatch::Found(_)),
            "a plain mention wins"
        );
        let not_only = Analyzed::new("We not only used Kafka but also Flink.");
        assert!(matches!(not_only.find_term("kafka"), TermMatch::Found(_)));
        let own = Analyzed::new("A tuple cannot change after it is created.");
        assert!(matches!(
            own.find_term("cannot change"),
            TermMatch::Found(_)
        ));
    }

    #[test]
    fn phrase_words_must_be_close_together() {
        let near = Analyzed::new("We used a held-out validation set.");
        assert!(near.has_phrase("held-out set"));
        let far = Analyzed::new(
            "The set of features was large. Much later, after many weeks of tuning the \
             pipeline and fixing the data, we held a retrospective and talked it out.",
        );
        assert!(!far.has_phrase("held-out set"));
    }

    #[test]
    fn everyday_synonyms_count() {
        let a = Analyzed::new("We decreased latency and fixed the mistakes.");
        assert!(a.has_phrase("reduced latency"));
        assert!(a.has_phrase("errors"));
        assert!(!a.has_phrase("increased latency"));
    }

    #[test]
    fn non_answers_are_recognised() {
        assert!(is_non_answer(&content("I don't know, sorry.")));
        assert!(!is_non_answer(&content("I would pass by reference.")));
        assert!(!is_non_answer(&content("")));
    }
}
