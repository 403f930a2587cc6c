//! The initial prompt: context that steers whisper's vocabulary.
//!
//! Whisper conditions on the prompt as if it were earlier speech, so the question and the
//! words a good answer would use ("cross-validation", "percentile") make those words far
//! more likely to be spelled right. The prompt is bounded: whisper keeps only about 224
//! tokens of it, and the most recent text matters most.

/// Characters of prompt kept (roughly 200 tokens of English).
const MAX_PROMPT_CHARS: usize = 800;

/// A prompt from the question being answered and its key-point vocabulary.
pub fn for_question(question: &str, vocabulary: &[String]) -> String {
    let mut words: Vec<&str> = Vec::new();
    for v in vocabulary {
        let v = v.trim();
        if !v.is_empty() && !words.iter().any(|w| w.eq_ignore_ascii_case(v)) {
            words.push(v);
        }
    }
    let mut prompt = question.trim().to_string();
    if !words.is_empty() {
        prompt.push_str(" Key terms: ");
        prompt.push_str(&words.join(", "));
        prompt.push('.');
    }
    sanitise(&prompt)
}

/// The prompt for a later chunk: the question context, then the text so far.
pub fn with_history(prompt: &str, history: &str) -> String {
    if history.is_empty() {
        return sanitise(prompt);
    }
    sanitise(&format!("{prompt} {history}"))
}

/// Removes NUL bytes (whisper would refuse them) and keeps the last characters that fit.
pub fn sanitise(prompt: &str) -> String {
    let clean: String = prompt.chars().filter(|c| *c != '\0').collect();
    let n = clean.chars().count();
    if n <= MAX_PROMPT_CHARS {
        return clean;
    }
    clean.chars().skip(n - MAX_PROMPT_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_carry_the_question_and_unique_terms() {
        let p = for_question(
            "How do you validate a model?",
            &[
                "cross-validation".into(),
                "Cross-Validation".into(),
                "percentile".into(),
            ],
        );
        assert_eq!(
            p,
            "How do you validate a model? Key terms: cross-validation, percentile."
        );
    }

    #[test]
    fn prompts_are_bounded_and_free_of_nul() {
        let long = format!("a\0b{}", "x".repeat(5000));
        let p = sanitise(&long);
        assert_eq!(p.chars().count(), MAX_PROMPT_CHARS);
        assert!(!p.contains('\0'));
    }
}
