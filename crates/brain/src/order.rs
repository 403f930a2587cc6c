//! Word-order plausibility: whether an answer is written in sentences or is a bag of
//! words. Keyword counting cannot tell "it simulates portions of the desired product"
//! from "product portions desired simulates" or "simulate, portions, product"; a person
//! can, and so can a list of the word pairs English actually uses
//! (`assets/bigrams/`, from Google Books Ngram data).
//!
//! Two measures, both deterministic:
//! * **order**: for each two neighbouring words that English uses together in either
//!   order, whether they stand in the more common of the two orders ("of the", not "the
//!   of"). Real answers do so for nine pairs in ten; a shuffled bag of the same words,
//!   for half of them.
//! * **context**: the share of the words that earn credit (the caller says which) that
//!   sit in a sentence, next to a function word or in a known pair with a neighbour. A
//!   keyword list, or keywords dropped into filler ("well, I think the answer is X Y Z,
//!   basically"), has its credited words side by side without sentence around them.
//!
//! And [`order_gain`]: how much more English the answer's order is than a random order
//! of its own words. Each link between neighbouring words (and each clause end) counts by
//! how strongly English associates the two (pointwise mutual information estimated from a
//! pair's rank in the list and the words' frequencies: "of the" a little, "software
//! product" a lot, "the of" or a clause ending in "the" strongly against); the expected
//! value over random orders of the same words is computed exactly, so rare technical
//! words, which the list does not know in any order, neither help nor hurt. A shuffle
//! gains nothing over random; real sentences, even clumsy or unpunctuated ones, do.
//!
//! And one measure of keyword stuffing, [`WordOrder::stuffing`], from 0 to 1:
//! * **run**: the most credited words in one run of content words (no function word and
//!   no punctuation between them). English puts a function word every two or three
//!   content words ("the base case of the recursion"); a run of four or five credited
//!   words is a string of terms ("is simulate behaviour portions desired software
//!   product"). In the development data, 9 of 1,074 real answers have a run of 4.
//! * **list**: items between punctuation that are one to three content words with no
//!   function word ("simulate, behaviour, portions"). From three such items on, the share
//!   of the credited words they hold.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use crate::text;

const BIGRAMS: &str = include_str!("../../../assets/bigrams/en-bigrams-100k.txt");

/// At least this many words before the order of an answer says anything: "by reference"
/// is a complete answer, not a keyword list.
pub const MIN_WORDS: usize = 3;

/// The most words looked at.
const MAX_WORDS: usize = 400;

/// The share of pairs in English order at which an answer counts as prose (real answers:
/// 0.90 on average; shuffled words: 0.5).
const ORDER_FULL: f64 = 0.65;
/// Pairs at which the order share is fully trusted; fewer say less.
const ORDER_EVIDENCE: f64 = 8.0;
/// The share of credited words in context at which an answer counts as sentences: a
/// technical term may well stand between two others.
const CONTEXT_FULL: f64 = 0.5;
/// Credited words at which the context share is fully trusted.
const CONTEXT_EVIDENCE: f64 = 3.0;
/// Credited words in one run of content words that a noun phrase still explains ("the
/// member function prototypes"): no stuffing up to here, full stuffing at [`RUN_FULL`].
const RUN_FREE: usize = 3;
const RUN_FULL: usize = 5;
/// Items (between punctuation) of one to three content words at which an answer is a
/// list; the share of its credited words in them at which it is fully a keyword list.
const LIST_ITEMS: usize = 3;
const LIST_FREE: f64 = 0.5;
const LIST_FULL: f64 = 1.0;
/// Content words an item holds at most and still counts as a bare list item.
const LIST_ITEM_WORDS: usize = 3;

/// Each known pair and its rank (0 for the most frequent).
fn bigrams() -> &'static HashMap<(&'static str, &'static str), u32> {
    static MAP: OnceLock<HashMap<(&'static str, &'static str), u32>> = OnceLock::new();
    MAP.get_or_init(|| {
        BIGRAMS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(' '))
            .zip(0u32..)
            .collect()
    })
}

/// Whether `first second` is a pair English uses.
pub fn is_bigram(first: &str, second: &str) -> bool {
    bigrams().contains_key(&(first, second))
}

/// Whether `first second` is the more common order of the two words, if English uses
/// them together at all.
pub fn in_english_order(first: &str, second: &str) -> Option<bool> {
    let map = bigrams();
    match (map.get(&(first, second)), map.get(&(second, first))) {
        (None, None) => None,
        (Some(_), None) => Some(true),
        (None, Some(_)) => Some(false),
        (Some(a), Some(b)) => Some(a < b),
    }
}

/// log10 of the occurrences per billion words of the most frequent pair ("of the"); a
/// pair of rank r is taken to occur 1/(r+1) times as often (Zipf's law).
const TOP_PAIR_LOG10: f64 = 7.5;
/// What a function word that needs a word after it ("the", "of") counts at a clause's end,
/// in the same units (log10) as a pair's association.
const STRANDED_AT_END: f64 = -3.0;
/// Words looked at for the order gain (its cost grows with the square of distinct words).
const GAIN_WORDS: usize = 200;

/// Words that cannot end a clause: articles, possessives and prepositions want a word
/// after them ("to" may end one: "what it points to").
const NEEDS_NEXT: &[&str] = &[
    "the", "a", "an", "its", "their", "our", "your", "my", "every", "of", "into", "from", "than",
    "via",
];

/// How strongly English associates `first second`, in log10 units (pointwise mutual
/// information): above 0 for a pair said more often than its words' frequencies predict,
/// below 0 for one said less often. A pair the list lacks is said less often than its
/// last pair; that bounds how common it can be, which says something only when both words
/// are common ("the of"), so rare words are neutral.
fn association(first: &str, zipf_first: f64, second: &str, zipf_second: f64) -> f64 {
    let expected = 9.0 - zipf_first - zipf_second;
    match bigrams().get(&(first, second)) {
        Some(rank) => TOP_PAIR_LOG10 - f64::from(rank + 1).log10() + expected,
        None => {
            let rarest = TOP_PAIR_LOG10 - (bigrams().len() as f64 + 1.0).log10();
            (rarest + expected).min(0.0)
        }
    }
}

/// How much more English an answer's word order is than a random order of the same
/// words ([`order_gain`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrderGain {
    /// The links' association as said minus its expected value over random orders.
    pub gain: f64,
    /// Links counted: neighbouring words within a clause and clause ends.
    pub links: usize,
}

impl OrderGain {
    /// The gain per link: how English the order is, whatever the answer's length.
    pub fn per_link(&self) -> f64 {
        self.gain / self.links.max(1) as f64
    }

    /// How sure the gain is (it grows with the square root of the links): a few links say
    /// little either way.
    pub fn evidence(&self) -> f64 {
        self.gain / (self.links.max(1) as f64).sqrt()
    }
}

/// The order gain of a text ([`OrderGain`]); `None` below [`MIN_WORDS`] words.
pub fn order_gain(text: &str) -> Option<OrderGain> {
    let mut tokens = tokens(text);
    tokens.truncate(GAIN_WORDS);
    let n = tokens.len();
    if n < MIN_WORDS {
        return None;
    }
    // Distinct words in a fixed order, with their frequencies and how often each is said.
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &tokens {
        let next = index.len();
        index.entry(t.word.as_str()).or_insert(next);
    }
    let mut words: Vec<(&str, f64, usize)> = vec![("", 0.0, 0); index.len()];
    for (w, &i) in &index {
        words[i] = (w, text::zipf(w), 0);
    }
    for t in &tokens {
        words[index[t.word.as_str()]].2 += 1;
    }
    let end = |w: &str| {
        if NEEDS_NEXT.contains(&w) {
            STRANDED_AT_END
        } else {
            0.0
        }
    };
    // As said.
    let (mut said, mut slots, mut ends) = (0.0, 0usize, 0usize);
    for (i, t) in tokens.iter().enumerate() {
        let (w, z, _) = words[index[t.word.as_str()]];
        if t.breaks_after || i + 1 == n {
            said += end(w);
            ends += 1;
        } else {
            let (w2, z2, _) = words[index[tokens[i + 1].word.as_str()]];
            said += association(w, z, w2, z2);
            slots += 1;
        }
    }
    // Over random orders: a slot holds any ordered pair of two different positions alike,
    // a clause end any word.
    let mut pairs = 0.0;
    let mut last = 0.0;
    for &(a, za, ca) in &words {
        last += ca as f64 * end(a);
        for &(b, zb, cb) in &words {
            let times = if a == b { ca * (ca - 1) } else { ca * cb };
            if times > 0 {
                pairs += times as f64 * association(a, za, b, zb);
            }
        }
    }
    let expected = slots as f64 * pairs / (n * (n - 1)) as f64 + ends as f64 * last / n as f64;
    Some(OrderGain {
        gain: said - expected,
        links: slots + ends,
    })
}

/// A word of an answer and whether a clause break (. , ; : ! ? or a line break) follows
/// it.
struct Token {
    word: String,
    breaks_after: bool,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut current = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_alphanumeric() {
            current.extend(c.to_lowercase());
            continue;
        }
        // "don't" is one word, as the bigram list writes it without the apostrophe.
        if c == '\'' || c == '’' {
            continue;
        }
        if !current.is_empty() {
            out.push(Token {
                word: std::mem::take(&mut current),
                breaks_after: false,
            });
        }
        if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\n') {
            if let Some(last) = out.last_mut() {
                last.breaks_after = true;
            }
        }
    }
    out.truncate(MAX_WORDS);
    out
}

/// How an answer's words are put together.
#[derive(Clone, Debug, PartialEq)]
pub struct WordOrder {
    pub words: usize,
    /// Neighbouring words (within a clause) in the more common of their two orders.
    pub forward: usize,
    /// Neighbouring words in the less common order ("the of").
    pub backward: usize,
    /// Credited words, and how many of them sit in a sentence.
    pub credited: usize,
    pub in_context: usize,
    /// Words on the question's topic (credited or the question's own).
    pub topical: usize,
    /// The most topical words said once in one run of content words (no function word
    /// or punctuation between them).
    pub longest_run: usize,
    /// Items between punctuation made of one to three content words and nothing else,
    /// and the topical words they hold.
    pub list_items: usize,
    pub listed: usize,
    /// Content words (not function words), and how many of them stand in bare list items.
    pub content: usize,
    pub in_list_items: usize,
}

impl WordOrder {
    /// How much the order of the words looks like English, from 0 (no better than a
    /// random order) to 1; answers with little evidence either way count as English.
    pub fn order(&self) -> f64 {
        let pairs = (self.forward + self.backward) as f64;
        if self.words < MIN_WORDS || pairs == 0.0 {
            return 1.0;
        }
        let share = (self.forward as f64 + 0.5) / (pairs + 1.0);
        let o = ((share - 0.5) / (ORDER_FULL - 0.5)).clamp(0.0, 1.0);
        1.0 - (1.0 - o) * (pairs / ORDER_EVIDENCE).min(1.0)
    }

    /// How many of the credited words sit in a sentence, from 0 to 1.
    pub fn context(&self) -> f64 {
        if self.words < MIN_WORDS || self.credited == 0 {
            return 1.0;
        }
        let c = (self.in_context as f64 / self.credited as f64 / CONTEXT_FULL).min(1.0);
        1.0 - (1.0 - c) * (self.credited as f64 / CONTEXT_EVIDENCE).min(1.0)
    }

    /// Both measures as one factor, from 0 (a bag of words) to 1 (sentences).
    pub fn factor(&self) -> f64 {
        self.order().min(self.context())
    }

    /// How much the topical words stand in a run of terms (0: none beyond a noun
    /// phrase; 1: five or more side by side).
    pub fn run_stuffing(&self) -> f64 {
        ramp(self.longest_run as f64, RUN_FREE as f64, RUN_FULL as f64)
    }

    /// How much the answer is a list of bare terms holding its topical words (0 when it
    /// has fewer than three bare items).
    pub fn list_stuffing(&self) -> f64 {
        if self.list_items < LIST_ITEMS || self.topical == 0 {
            return 0.0;
        }
        ramp(
            self.listed as f64 / self.topical as f64,
            LIST_FREE,
            LIST_FULL,
        )
    }

    /// How much the answer is a list of bare terms, whatever the terms (0 when it has
    /// fewer than three bare items; 1 when half or more of its content words stand in them
    /// from [`LIST_FULL`] on): a list states no relation between its terms, so a reading
    /// of its meaning is not something the answer says.
    pub fn bare_list(&self) -> f64 {
        if self.list_items < LIST_ITEMS || self.content == 0 {
            return 0.0;
        }
        ramp(
            self.in_list_items as f64 / self.content as f64,
            LIST_FREE,
            LIST_FULL,
        )
    }

    /// Keyword stuffing, from 0 (sentences) to 1 (a string or list of terms).
    pub fn stuffing(&self) -> f64 {
        if self.words < MIN_WORDS {
            return 0.0;
        }
        self.run_stuffing().max(self.list_stuffing())
    }
}

/// 0 at or below `free`, 1 at or above `full`, linear between.
fn ramp(x: f64, free: f64, full: f64) -> f64 {
    ((x - free) / (full - free)).clamp(0.0, 1.0)
}

/// A word that does not carry content: a stopword or a single letter ("a", "I").
fn is_function_word(word: &str) -> bool {
    text::is_stopword(word) || (word.len() < 2 && !word.chars().all(|c| c.is_ascii_digit()))
}

/// Measures `answer`; `credited` says which words earn credit (by their lower-case form),
/// `topical` which are on the question's topic (credited or not: the question's own words
/// too), for keyword stuffing.
pub fn word_order(
    answer: &str,
    credited: impl Fn(&str) -> bool,
    topical: impl Fn(&str) -> bool,
) -> WordOrder {
    let tokens = tokens(answer);
    let n = tokens.len();
    let (mut forward, mut backward) = (0, 0);
    for pair in tokens.windows(2) {
        if pair[0].breaks_after {
            continue;
        }
        match in_english_order(&pair[0].word, &pair[1].word) {
            Some(true) => forward += 1,
            Some(false) => backward += 1,
            None => {}
        }
    }
    let mut credited_count = 0;
    let mut in_context = 0;
    for (i, t) in tokens.iter().enumerate() {
        if text::is_stopword(&t.word) || t.word.len() < 2 || !credited(&t.word) {
            continue;
        }
        credited_count += 1;
        let joined = |a: &Token, b: &Token| {
            !a.breaks_after
                && (is_bigram(&a.word, &b.word)
                    || text::is_stopword(&a.word)
                    || text::is_stopword(&b.word))
        };
        let before = i > 0 && joined(&tokens[i - 1], t);
        let after = i + 1 < n && joined(t, &tokens[i + 1]);
        if before || after {
            in_context += 1;
        }
    }
    // Runs of content words, and bare list items, within clauses.
    let is_topical = |w: &str| !is_function_word(w) && (credited(w) || topical(w));
    let topical_count = tokens.iter().filter(|t| is_topical(&t.word)).count();
    // A term said more than once is the answer's subject ("a constant pointer to
    // constant data, a nonconstant pointer ..."), said without punctuation too: only terms
    // said once count towards a run.
    let mut said: HashMap<&str, usize> = HashMap::new();
    for t in &tokens {
        *said.entry(t.word.as_str()).or_default() += 1;
    }
    let (mut longest_run, mut run) = (0, 0);
    let (mut list_items, mut listed, mut in_list_items) = (0, 0, 0);
    let content = tokens.iter().filter(|t| !is_function_word(&t.word)).count();
    let mut item: Vec<&str> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if is_function_word(&t.word) {
            run = 0;
        } else {
            if is_topical(&t.word) && said.get(t.word.as_str()) == Some(&1) {
                run += 1;
            }
            longest_run = longest_run.max(run);
        }
        item.push(&t.word);
        if t.breaks_after || i + 1 == n {
            // "and" or "or" before the last item does not make it a sentence.
            let words: Vec<&str> = item
                .drain(..)
                .filter(|w| *w != "and" && *w != "or")
                .collect();
            if (1..=LIST_ITEM_WORDS).contains(&words.len())
                && !words.iter().any(|w| is_function_word(w))
            {
                list_items += 1;
                listed += words.iter().filter(|w| is_topical(w)).count();
                in_list_items += words.len();
            }
            run = 0;
        }
    }
    WordOrder {
        words: n,
        forward,
        backward,
        credited: credited_count,
        in_context,
        topical: topical_count,
        longest_run,
        list_items,
        listed,
        content,
        in_list_items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(_: &str) -> bool {
        true
    }

    #[test]
    fn sentences_score_as_prose_and_bags_of_words_do_not() {
        let prose = word_order(
            "It simulates the behaviour of parts of the product before the whole of it is \
             built, so that the team can see how it will work and what it is for.",
            all,
            all,
        );
        // The same words, reversed: every pair English uses is now the wrong way round.
        let reversed: Vec<&str> = "It simulates the behaviour of parts of the product before \
             the whole of it is built so that the team can see how it will work and what it is for"
            .split(' ')
            .filter(|w| !w.is_empty())
            .rev()
            .collect();
        let reversed = word_order(&reversed.join(" "), all, all);
        let list = word_order("simulate, behaviour, portions, product, software", all, all);
        assert_eq!(prose.factor(), 1.0, "{prose:?}");
        assert!(reversed.order() < 0.2, "{reversed:?}");
        assert!(list.context() < 0.2, "{list:?}");
        assert_eq!(list.stuffing(), 1.0, "{list:?}");
        assert_eq!(prose.stuffing(), 0.0, "{prose:?}");
        // Too short to judge.
        assert_eq!(word_order("by reference", all, all).factor(), 1.0);
        assert_eq!(word_order("by reference", all, all).stuffing(), 0.0);
    }

    #[test]
    fn keywords_dropped_into_filler_are_out_of_context() {
        let terms = ["mutex", "semaphore", "deadlock", "starvation", "preemption"];
        let credited = |w: &str| terms.contains(&w);
        let filler = word_order(
            "Well, I think the answer is mutex semaphore deadlock starvation preemption, \
             and that is basically what I would say about it.",
            credited,
            credited,
        );
        assert!(filler.context() < 0.5, "{filler:?}");
        assert_eq!(filler.longest_run, 5, "{filler:?}");
        assert_eq!(filler.stuffing(), 1.0, "{filler:?}");
        let real = word_order(
            "A mutex or a semaphore guards the data, and taking locks in one order avoids a \
             deadlock; fair queues prevent starvation, and preemption is not needed.",
            credited,
            credited,
        );
        assert_eq!(real.context(), 1.0, "{real:?}");
        assert_eq!(real.stuffing(), 0.0, "{real:?}");
    }

    #[test]
    fn lists_of_bare_terms_are_stuffing_and_lists_of_phrases_are_not() {
        let terms = ["pointer", "constant", "data", "nonconstant"];
        let topical = |w: &str| terms.contains(&w);
        let phrases = word_order(
            "a nonconstant pointer to constant data, a constant pointer to nonconstant data, \
             and a constant pointer to constant data",
            topical,
            topical,
        );
        assert_eq!(phrases.stuffing(), 0.0, "{phrases:?}");
        // The same without punctuation, as a transcript may have it.
        let spoken = word_order(
            "a nonconstant pointer to constant data a constant pointer to nonconstant data \
             and a constant pointer to constant data",
            topical,
            topical,
        );
        assert_eq!(spoken.stuffing(), 0.0, "{spoken:?}");
        let bare = word_order("pointer, constant, data, nonconstant", topical, topical);
        assert_eq!(bare.list_items, 4, "{bare:?}");
        assert_eq!(bare.stuffing(), 1.0, "{bare:?}");
        // A noun phrase of three topical words is English, four side by side half stuffing.
        let three = word_order("it is the nonconstant pointer data here", topical, topical);
        assert_eq!(three.stuffing(), 0.0, "{three:?}");
        let four = word_order(
            "it is nonconstant pointer constant data here",
            topical,
            topical,
        );
        assert_eq!(four.stuffing(), 0.5, "{four:?}");
    }

    #[test]
    fn a_list_of_bare_terms_is_one_whatever_its_terms_and_sentences_are_not() {
        let nothing = |_: &str| false;
        // No term is on the topic: not stuffing, but still a bare list.
        let list = word_order(
            "type, programming, flexible, easier, modify",
            nothing,
            nothing,
        );
        assert_eq!(list.stuffing(), 0.0, "{list:?}");
        assert_eq!(list.bare_list(), 1.0, "{list:?}");
        let two = word_order("specify, constructors", nothing, nothing);
        assert_eq!(two.bare_list(), 0.0, "{two:?}");
        let sentence = word_order(
            "This type of programming is more flexible, making it easier to modify.",
            nothing,
            nothing,
        );
        assert_eq!(sentence.bare_list(), 0.0, "{sentence:?}");
    }

    #[test]
    fn sentences_gain_over_a_random_order_and_shuffles_do_not() {
        let sentence = "the address of the location in memory where the function code resides";
        let words: Vec<&str> = sentence.split(' ').collect();
        // A fixed shuffle of the same words, and the same words reversed.
        let shuffle: Vec<&str> = [3, 9, 0, 6, 11, 1, 8, 4, 10, 2, 7, 5]
            .iter()
            .map(|&i| words[i])
            .collect();
        let reversed: Vec<&str> = words.iter().rev().copied().collect();
        let said = order_gain(sentence).expect("enough words");
        let shuffled = order_gain(&shuffle.join(" ")).expect("enough words");
        let backwards = order_gain(&reversed.join(" ")).expect("enough words");
        assert!(said.per_link() > 0.4, "{said:?}");
        assert!(said.evidence() > 1.5, "{said:?}");
        assert!(shuffled.per_link() < 0.5 * said.per_link(), "{shuffled:?}");
        assert!(
            backwards.per_link() < 0.5 * said.per_link(),
            "{backwards:?}"
        );
        // Punctuation and case do not make a sentence more or less English.
        let written = order_gain(
            "The address of the location in memory, where the function \
                                  code resides.",
        )
        .expect("enough words");
        assert!(written.per_link() > 0.4, "{written:?}");
        // A clause that ends in "the" is not English.
        let stranded = order_gain("where the function code resides the").expect("enough words");
        let whole = order_gain("where the function code resides").expect("enough words");
        assert!(stranded.gain < whole.gain, "{stranded:?} vs {whole:?}");
        assert_eq!(order_gain("by reference"), None);
        // The same text, the same gain, bit for bit.
        assert_eq!(order_gain(sentence), Some(said));
    }

    #[test]
    fn the_list_is_loaded() {
        assert!(is_bigram("of", "the"));
        assert_eq!(in_english_order("of", "the"), Some(true));
        assert_eq!(in_english_order("the", "of"), Some(false));
        assert_eq!(in_english_order("zebra", "quantum"), None);
        assert_eq!(bigrams().len(), 100_000);
    }
}
