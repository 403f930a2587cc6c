//! Word error rate, for tests and benchmarks: (substitutions + deletions + insertions) /
//! reference words, after normalising case, punctuation and small numbers.

const ONES: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: &[&str] = &[
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Spells out 0–9999 ("95" → "ninety five").
fn spell(n: u32) -> Vec<String> {
    let mut out = Vec::new();
    let (thousands, rest) = (n / 1000, n % 1000);
    if thousands > 0 {
        out.extend(spell(thousands));
        out.push("thousand".into());
    }
    let (hundreds, rest) = (rest / 100, rest % 100);
    if hundreds > 0 {
        out.push(ONES[hundreds as usize].into());
        out.push("hundred".into());
    }
    if rest >= 20 {
        out.push(TENS[(rest / 10) as usize].into());
        if rest % 10 > 0 {
            out.push(ONES[(rest % 10) as usize].into());
        }
    } else if rest > 0 || out.is_empty() {
        out.push(ONES[rest as usize].into());
    }
    out
}

/// The ordinal of a spelled-out number's last word ("five" → "fifth").
fn ordinal(word: &str) -> String {
    match word {
        "one" => "first".into(),
        "two" => "second".into(),
        "three" => "third".into(),
        "five" => "fifth".into(),
        "eight" => "eighth".into(),
        "nine" => "ninth".into(),
        "twelve" => "twelfth".into(),
        w if w.ends_with('y') => format!("{}ieth", &w[..w.len() - 1]),
        w => format!("{w}th"),
    }
}

/// A token as words: numbers and ordinals spelled out ("95th" → "ninety fifth").
fn expand(token: &str) -> Vec<String> {
    let digits: String = token.chars().take_while(char::is_ascii_digit).collect();
    let suffix = &token[digits.len()..];
    match digits.parse::<u32>() {
        Ok(n) if n < 10_000 && suffix.is_empty() => spell(n),
        Ok(n) if n < 10_000 && ["st", "nd", "rd", "th"].contains(&suffix) => {
            let mut words = spell(n);
            if let Some(last) = words.pop() {
                words.push(ordinal(&last));
            }
            words
        }
        _ => vec![token.to_string()],
    }
}

/// Lower-case words without punctuation; hyphenated words split; numbers spelled out, so
/// "95th" and "ninety-fifth" are alike; "%" as "percent".
pub fn normalise(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace('%', " percent ")
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .flat_map(expand)
        .collect()
}

/// Edit distance between word sequences.
pub fn edit_distance(reference: &[String], hypothesis: &[String]) -> usize {
    let mut prev: Vec<usize> = (0..=hypothesis.len()).collect();
    for (i, r) in reference.iter().enumerate() {
        let mut row = vec![i + 1; hypothesis.len() + 1];
        for (j, h) in hypothesis.iter().enumerate() {
            let substitution = prev[j] + usize::from(r != h);
            row[j + 1] = substitution.min(prev[j + 1] + 1).min(row[j] + 1);
        }
        prev = row;
    }
    prev[hypothesis.len()]
}

/// Word error rate of `hypothesis` against `reference` (0.0 is perfect).
pub fn wer(reference: &str, hypothesis: &str) -> f64 {
    let r = normalise(reference);
    let h = normalise(hypothesis);
    if r.is_empty() {
        return if h.is_empty() { 0.0 } else { 1.0 };
    }
    edit_distance(&r, &h) as f64 / r.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wer_counts_edits_per_reference_word() {
        assert_eq!(wer("The cat sat.", "the cat sat"), 0.0);
        assert_eq!(wer("the cat sat", "the bat sat"), 1.0 / 3.0);
        assert_eq!(wer("the cat sat", "the cat"), 1.0 / 3.0);
        assert_eq!(wer("I waited 5 minutes", "I waited five minutes"), 0.0);
        assert_eq!(wer("cross-validation", "cross validation"), 0.0);
        assert_eq!(wer("", ""), 0.0);
        assert_eq!(
            wer("the ninety-fifth percentile", "the 95th percentile"),
            0.0
        );
        assert_eq!(wer("twenty three percent", "23%"), 0.0);
        assert_eq!(wer("the first and second", "the 1st and 2nd"), 0.0);
    }
}
