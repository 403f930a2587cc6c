//! Repairs for whisper's known failure: on short audio decoded without timestamps, it
//! sometimes runs on and repeats what it just said ("…unseen data. I used
//! cross-validation … unseen data."). People do not repeat five words or more back to back,
//! so a run of words immediately followed by the same run is collapsed to one.

/// Shortest repeated run that is treated as a decoding loop.
const MIN_REPEAT_WORDS: usize = 5;

fn key(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Collapses immediately repeated runs of `MIN_REPEAT_WORDS` or more words.
pub fn collapse_repetition(text: &str) -> String {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    let mut changed = true;
    while changed {
        changed = false;
        let keys: Vec<String> = words.iter().map(|w| key(w)).collect();
        'search: for len in (MIN_REPEAT_WORDS..=keys.len() / 2).rev() {
            for start in 0..=keys.len() - 2 * len {
                if keys[start..start + len] == keys[start + len..start + 2 * len] {
                    words.drain(start + len..start + 2 * len);
                    changed = true;
                    break 'search;
                }
            }
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_sentence_is_collapsed() {
        assert_eq!(
            collapse_repetition(
                "I used cross-validation to check it. I used cross-validation to check it."
            ),
            "I used cross-validation to check it."
        );
        assert_eq!(
            collapse_repetition(
                "one two three four five one two three four five one two three four five six"
            ),
            "one two three four five six"
        );
    }

    #[test]
    fn ordinary_speech_is_left_alone() {
        let text = "We tested it, we tested it again, and it worked very very well.";
        assert_eq!(collapse_repetition(text), text);
        assert_eq!(collapse_repetition(""), "");
    }
}
