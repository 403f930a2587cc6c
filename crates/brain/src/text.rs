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
    let table = zipf_table();
    let rarest = table.values().copied().fold(f64::INFINITY, f64::min);
    let zipf = table.get(word).copied().unwrap_or(rarest);
    ((7.5 - zipf) / 6.0).clamp(0.2, 1.0)
}

pub fn matches_any(stem: &str, pool: &[String]) -> bool {
    pool.iter().any(|o| stems_match(stem, o))
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

/// An answer (or any text) analysed once for matching.
#[derive(Clone, Debug, Default)]
pub struct Analyzed {
    /// Every lower-case word, stopwords and single letters included, in order.
    pub words: Vec<String>,
    /// Content tokens as (original, stem), repeats kept.
    pub content: Vec<(String, String)>,
    /// Unique content stems, first-occurrence order.
    pub stems: Vec<String>,
}

impl Analyzed {
    pub fn new(text: &str) -> Self {
        let content = content(text);
        let stems = unique(content.iter().map(|(_, s)| s.clone()));
        let words = text
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        Self {
            words,
            content,
            stems,
        }
    }

    /// Whether a key-point term is present: all of its content stems when it has some,
    /// otherwise (a phrase of function words such as "when I") its exact word sequence.
    pub fn has_phrase(&self, phrase: &str) -> bool {
        let stems = content_stems(phrase);
        if !stems.is_empty() {
            return stems
                .iter()
                .all(|s| self.stems.iter().any(|o| term_stem_matches(s, o)));
        }
        let words: Vec<String> = phrase
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        !words.is_empty()
            && self
                .words
                .windows(words.len())
                .any(|w| w == words.as_slice())
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
    fn non_answers_are_recognised() {
        assert!(is_non_answer(&content("I don't know, sorry.")));
        assert!(!is_non_answer(&content("I would pass by reference.")));
        assert!(!is_non_answer(&content("")));
    }
}
