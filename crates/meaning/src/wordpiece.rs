//! BERT's uncased WordPiece tokenizer, as `tokenizer.json` describes it for
//! all-MiniLM-L6-v2 (`BertNormalizer` with clean text, CJK spacing and lowercasing with
//! accents stripped; `BertPreTokenizer`; `WordPiece` with `##` continuations, words over
//! 100 characters unknown; `[CLS] … [SEP]`; at most 128 tokens). Written here rather than
//! taken from the `tokenizers` crate, whose regex, rayon and onig dependencies would
//! cost more to build than this whole file; `models/check-meaning-model.py` compares its
//! output with Hugging Face's tokenizer.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

use crate::MeaningError;

/// The model's limit in tokens, [CLS] and [SEP] included (its `tokenizer.json`).
pub const MAX_TOKENS: usize = 128;
const MAX_WORD_CHARS: usize = 100;
/// More vocabulary than any BERT model has: a bound on what a file can make us hold.
const MAX_VOCAB: usize = 200_000;

#[derive(Debug)]
pub struct WordPiece {
    vocab: HashMap<String, u32>,
    cls: u32,
    sep: u32,
    unk: u32,
}

impl WordPiece {
    /// Reads the vocabulary of a Hugging Face `tokenizer.json` whose model is WordPiece.
    pub fn from_tokenizer_json(text: &str) -> Result<Self, MeaningError> {
        let bad = |why: &str| MeaningError::Tokenizer(why.to_string());
        let json: serde_json::Value =
            serde_json::from_str(text).map_err(|e| MeaningError::Tokenizer(e.to_string()))?;
        let model = &json["model"];
        if model["type"] != "WordPiece" {
            return Err(bad("not a WordPiece tokenizer"));
        }
        if json["normalizer"]["lowercase"] != true {
            return Err(bad(
                "only lowercasing (uncased) BERT tokenizers are supported",
            ));
        }
        let entries = model["vocab"]
            .as_object()
            .ok_or_else(|| bad("no vocabulary"))?;
        if entries.len() > MAX_VOCAB {
            return Err(bad("vocabulary too large"));
        }
        let mut vocab = HashMap::with_capacity(entries.len());
        for (token, id) in entries {
            let id = id
                .as_u64()
                .and_then(|i| u32::try_from(i).ok())
                .ok_or_else(|| bad("a token id is not a number"))?;
            vocab.insert(token.clone(), id);
        }
        let id = |t: &str| {
            vocab
                .get(t)
                .copied()
                .ok_or_else(|| MeaningError::Tokenizer(format!("no {t} token")))
        };
        Ok(Self {
            cls: id("[CLS]")?,
            sep: id("[SEP]")?,
            unk: id("[UNK]")?,
            vocab,
        })
    }

    /// Token ids of one text, `[CLS]` first and `[SEP]` last, cut to [`MAX_TOKENS`].
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let mut ids = vec![self.cls];
        'words: for word in pre_tokenize(&normalize(text)) {
            for id in self.word_pieces(&word) {
                if ids.len() == MAX_TOKENS - 1 {
                    break 'words;
                }
                ids.push(id);
            }
        }
        ids.push(self.sep);
        ids
    }

    /// Greedy longest-match-first pieces of one word; `[UNK]` for the whole word when any
    /// part of it has no piece.
    fn word_pieces(&self, word: &str) -> Vec<u32> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() > MAX_WORD_CHARS {
            return vec![self.unk];
        }
        let mut pieces = Vec::new();
        let mut start = 0;
        while start < chars.len() {
            let mut end = chars.len();
            let mut found = None;
            while start < end {
                let mut piece: String = chars[start..end].iter().collect();
                if start > 0 {
                    piece.insert_str(0, "##");
                }
                if let Some(&id) = self.vocab.get(&piece) {
                    found = Some(id);
                    break;
                }
                end -= 1;
            }
            match found {
                Some(id) => pieces.push(id),
                None => return vec![self.unk],
            }
            start = end;
        }
        pieces
    }
}

/// BertNormalizer: control characters dropped, whitespace made a space, CJK ideographs
/// set apart, accents stripped (NFD without nonspacing marks) and lowercase.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\0' || c == '\u{fffd}' || is_control(c) {
            continue;
        }
        if is_whitespace(c) {
            out.push(' ');
        } else if is_cjk(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out.nfd()
        .filter(|c| c.general_category() != GeneralCategory::NonspacingMark)
        .flat_map(char::to_lowercase)
        .collect()
}

/// BertPreTokenizer: words split at whitespace, each punctuation character a word.
fn pre_tokenize(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_whitespace() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
        } else if is_punctuation(c) {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            words.push(c.to_string());
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn is_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r') || c.general_category() == GeneralCategory::SpaceSeparator
}

fn is_control(c: char) -> bool {
    if matches!(c, '\t' | '\n' | '\r') {
        return false;
    }
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::Surrogate
            | GeneralCategory::PrivateUse
            | GeneralCategory::Unassigned
    )
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || c.general_category_group() == GeneralCategoryGroup::Punctuation
}

fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> WordPiece {
        let vocab = [
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "cafe", "un", "##aff", "##able", ",", "!", "北",
        ];
        let json = serde_json::json!({
            "normalizer": {"lowercase": true},
            "model": {"type": "WordPiece", "vocab": vocab.iter().enumerate()
                .map(|(i, t)| (t.to_string(), serde_json::json!(i))).collect::<serde_json::Map<_, _>>()}
        });
        WordPiece::from_tokenizer_json(&json.to_string()).expect("vocab")
    }

    #[test]
    fn splits_into_longest_pieces_and_unknown_words() {
        let t = tiny();
        // [CLS] un ##aff ##able , cafe ! [UNK] 北 [SEP]
        assert_eq!(
            t.encode("Unaffable, CAFÉ! xyz北"),
            [2, 5, 6, 7, 8, 4, 9, 1, 10, 3]
        );
        assert_eq!(t.encode(""), [2, 3]);
    }

    #[test]
    fn long_texts_are_cut_to_the_model_limit() {
        let t = tiny();
        let ids = t.encode(&"cafe ".repeat(500));
        assert_eq!(ids.len(), MAX_TOKENS);
        assert_eq!(ids.last(), Some(&3));
    }
}
