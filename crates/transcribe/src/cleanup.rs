//! Repairs for whisper's known failure: on short audio decoded without timestamps, it
//! sometimes runs on and repeats what it just said ("…unseen data. I used
//! cross-validation … unseen data."). People do not repeat five words or more back to back,
//! so a run of words immediately followed by the same run is collapsed to one.
//!
//! Its cousin crosses passes: the text so far goes in as the prompt, and on a short stretch
//! of little speech (a tail after the last sentence, lobby babble) whisper sometimes
//! answers with the prompt's last sentence again ("…behind the feature flag. I only leave
//! it like small change in every day that I'm the feature flag."). A new pass that opens
//! with six or more words the answer already ends with is such an echo, and that part is
//! dropped. Only the candidate's own earlier text counts: restating the question is
//! something candidates really do.

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

/// Shortest run shared with the text so far that is treated as an echo of the prompt.
const MIN_ECHO_WORDS: usize = 6;

/// How far into a new pass an echo may start (whisper sometimes varies the first words).
const ECHO_START_WORDS: usize = 3;

/// How much of the text so far an echo is looked for in (the prompt's most recent part).
const ECHO_HISTORY_WORDS: usize = 80;

/// Drops the opening of `new` while it repeats a run of `MIN_ECHO_WORDS` or more words
/// from the end of `history` (see the module notes). Returns what is left of `new`.
pub fn drop_echo(history: &str, new: &str) -> String {
    let history: Vec<String> = history.split_whitespace().map(key).collect();
    let history = &history[history.len().saturating_sub(ECHO_HISTORY_WORDS)..];
    let mut words: Vec<&str> = new.split_whitespace().collect();
    loop {
        let keys: Vec<String> = words.iter().map(|w| key(w)).collect();
        let mut cut = None;
        'start: for start in 0..=ECHO_START_WORDS.min(keys.len()) {
            for h in 0..history.len() {
                let run = keys[start..]
                    .iter()
                    .zip(&history[h..])
                    .take_while(|(a, b)| a == b && !a.is_empty())
                    .count();
                if run >= MIN_ECHO_WORDS {
                    cut = Some(start + run);
                    break 'start;
                }
            }
        }
        match cut {
            Some(end) => {
                words.drain(..end);
            }
            None => return words.join(" "),
        }
    }
}

/// Adds one pass's text to the passes so far, without its echo of them; empty text adds
/// nothing.
pub fn append_pass(texts: &mut Vec<String>, text: &str) {
    let text = drop_echo(&texts.join(" "), text);
    if !text.is_empty() {
        texts.push(text);
    }
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
    fn a_pass_that_echoes_the_answer_so_far_loses_the_echo() {
        // Seen over lobby babble: the tail's pass repeated the sentence before it.
        let history = "We keep the schema in migrations. I will leave it like small change \
                       in every day that I'm the feature flag.";
        assert_eq!(
            drop_echo(
                history,
                "I only leave it like small change in every day that I'm the feature flag. \
                 This is the first flag."
            ),
            "This is the first flag."
        );
        // All echo: nothing is left.
        assert_eq!(
            drop_echo(
                history,
                "small change in every day that I'm the feature flag."
            ),
            ""
        );
    }

    #[test]
    fn new_speech_and_short_repeats_are_kept() {
        let history = "I would measure the latency before every change.";
        // Five shared words are a candidate's own repetition, not an echo.
        let new = "I would measure the latency after it as well.";
        assert_eq!(drop_echo(history, new), new);
        // A shared run deep inside the new pass is speech, not an echo.
        let new =
            "Then we looked again and saw that I would measure the latency before every change.";
        assert_eq!(drop_echo(history, new), new);
        assert_eq!(
            drop_echo("", "anything at all here"),
            "anything at all here"
        );
        assert_eq!(drop_echo(history, ""), "");
    }

    #[test]
    fn ordinary_speech_is_left_alone() {
        let text = "We tested it, we tested it again, and it worked very very well.";
        assert_eq!(collapse_repetition(text), text);
        assert_eq!(collapse_repetition(""), "");
    }
}
