//! Reading a model's reply: find the JSON (bare, in a markdown fence, or with prose
//! around it), check it against the answer's schema, and turn it into core types.
//! Anything that does not fit is an error, and the chain moves on to its next link.

use panelist_core::brain_api::Proposal;
use panelist_core::report::{AnswerQuality, Recommendation};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    #[error("no JSON object in the reply")]
    NoJson,
    #[error("the JSON does not match the schema: {0}")]
    Schema(String),
}

/// The JSON objects in a reply, most likely first: the whole reply, fenced blocks, then
/// every balanced top-level `{…}` in reading order.
pub fn json_candidates(reply: &str) -> Vec<Value> {
    let mut found = Vec::new();
    let trimmed = reply.trim();
    if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(trimmed) {
        return vec![v];
    }
    // Markdown fences: ```json … ``` or ``` … ```.
    let mut rest = trimmed;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        let body_start = after.find('\n').map_or(0, |n| n + 1);
        let Some(end) = after[body_start..].find("```") else {
            break;
        };
        let body = &after[body_start..body_start + end];
        if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(body.trim()) {
            found.push(v);
        }
        rest = &after[body_start + end + 3..];
    }
    for object in balanced_objects(trimmed) {
        if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(object) {
            if !found.contains(&v) {
                found.push(v);
            }
        }
    }
    found
}

/// Every top-level balanced `{…}` span, skipping braces inside JSON strings.
fn balanced_objects(text: &str) -> Vec<&str> {
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' if depth > 0 => in_string = true,
            '{' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    spans.push(&text[start..=i]);
                }
            }
            _ => {}
        }
    }
    spans
}

/// The first candidate that `convert` accepts; otherwise the first candidate's error.
pub fn first_valid<T>(
    reply: &str,
    convert: impl Fn(&Value) -> Result<T, ParseError>,
) -> Result<T, ParseError> {
    let mut first_error = None;
    for candidate in json_candidates(reply) {
        match convert(&candidate) {
            Ok(v) => return Ok(v),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or(ParseError::NoJson))
}

fn schema(message: impl Into<String>) -> ParseError {
    ParseError::Schema(message.into())
}

/// An integer field. Models sometimes quote numbers (`"2"`) or write `2.0`; those are
/// read as the number they clearly mean; anything else is a schema error.
pub fn integer(value: &Value, field: &str) -> Result<i64, ParseError> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
            .ok_or_else(|| schema(format!("{field} is not an integer"))),
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .map_err(|_| schema(format!("{field} is not an integer: {s:?}"))),
        _ => Err(schema(format!("{field} is not an integer"))),
    }
}

fn field<'a>(object: &'a Value, name: &str) -> Result<&'a Value, ParseError> {
    object
        .get(name)
        .filter(|v| !v.is_null())
        .ok_or_else(|| schema(format!("{name} is missing")))
}

pub fn string(object: &Value, name: &str) -> Result<String, ParseError> {
    field(object, name)?
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| schema(format!("{name} is not a string")))
}

/// A list of short strings, cleaned and bounded; a missing list is empty.
pub fn string_list(
    object: &Value,
    name: &str,
    max_items: usize,
) -> Result<Vec<String>, ParseError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .take(max_items)
            .map(|v| {
                v.as_str()
                    .map(|s| clean_text(s, 300))
                    .ok_or_else(|| schema(format!("{name} holds a non-string")))
            })
            .filter(|r| r.as_ref().map_or(true, |s| !s.is_empty()))
            .collect(),
        Some(_) => Err(schema(format!("{name} is not a list"))),
    }
}

/// Model-written text for a report: control characters removed, whitespace collapsed,
/// length bounded.
pub fn clean_text(text: &str, max_chars: usize) -> String {
    let collapsed = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    collapsed.chars().take(max_chars).collect()
}

/// A decision object → a proposal. The preset index is only checked to be a
/// non-negative integer: whether it exists and was not asked is the engine's call.
pub fn decision(value: &Value) -> Result<Proposal, ParseError> {
    let action = string(value, "action")?;
    let time = || -> Result<u32, ParseError> {
        let t = integer(
            field(value, "suggested_time_seconds")?,
            "suggested_time_seconds",
        )?;
        u32::try_from(t.max(0)).map_err(|_| schema("suggested_time_seconds is out of range"))
    };
    let text = || -> Result<String, ParseError> {
        let t = clean_text(&string(value, "question_text")?, 600);
        if t.is_empty() {
            Err(schema("question_text is empty"))
        } else {
            Ok(t)
        }
    };
    match action
        .trim()
        .to_ascii_lowercase()
        .replace('-', "_")
        .as_str()
    {
        "preset" => {
            let index = integer(field(value, "next_index")?, "next_index")?;
            Ok(Proposal::Preset {
                next_index: u32::try_from(index)
                    .map_err(|_| schema(format!("next_index {index} is negative or too large")))?,
                suggested_time_seconds: time()?,
            })
        }
        "follow_up" | "followup" => Ok(Proposal::FollowUp {
            question_text: text()?,
            suggested_time_seconds: time()?,
        }),
        "resume" => Ok(Proposal::Resume {
            question_text: text()?,
            suggested_time_seconds: time()?,
        }),
        "complete" => Ok(Proposal::Complete),
        other => Err(schema(format!("unknown action {other:?}"))),
    }
}

/// A 0–100 score; anything outside is rejected, not clamped: a model that writes 150
/// has not understood the scale, and its other numbers are not to be trusted either.
pub fn score(value: &Value, name: &str) -> Result<u8, ParseError> {
    let n = integer(field(value, name)?, name)?;
    u8::try_from(n)
        .ok()
        .filter(|n| *n <= 100)
        .ok_or_else(|| schema(format!("{name} = {n} is outside 0–100")))
}

pub fn answer_quality(value: &Value) -> Result<AnswerQuality, ParseError> {
    let label = string(value, "answer_quality")?;
    match label.trim().to_ascii_lowercase().as_str() {
        "excellent" => Ok(AnswerQuality::Excellent),
        "good" => Ok(AnswerQuality::Good),
        "fair" => Ok(AnswerQuality::Fair),
        "poor" => Ok(AnswerQuality::Poor),
        "no answer" | "no_answer" | "none" => Ok(AnswerQuality::NoAnswer),
        _ => Err(schema(format!("unknown answer_quality {label:?}"))),
    }
}

pub fn recommendation(value: &Value) -> Result<Recommendation, ParseError> {
    let label = string(value, "recommendation")?;
    match label.trim().to_ascii_lowercase().as_str() {
        "strongly recommend" => Ok(Recommendation::StronglyRecommend),
        "recommend" => Ok(Recommendation::Recommend),
        "consider" => Ok(Recommendation::Consider),
        "not recommend" | "do not recommend" => Ok(Recommendation::NotRecommend),
        _ => Err(schema(format!("unknown recommendation {label:?}"))),
    }
}

/// Text reduced to lowercase words, for checking that a quote occurs in an answer.
pub fn normalise_words(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `quote` occurs in `transcript`, word for word (case and punctuation aside).
pub fn quote_occurs(quote: &str, transcript: &str) -> bool {
    let quote = normalise_words(quote);
    if quote.is_empty() {
        return false;
    }
    let haystack = format!(" {} ", normalise_words(transcript));
    haystack.contains(&format!(" {quote} "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_json_bare_fenced_and_in_prose() {
        let bare = r#"{"action":"complete"}"#;
        let fenced = "```json\n{\"action\": \"complete\"}\n```";
        let prose = "Sure! Here is my decision: {\"action\": \"complete\"} Hope it helps {.";
        for reply in [bare, fenced, prose] {
            assert_eq!(
                first_valid(reply, decision),
                Ok(Proposal::Complete),
                "{reply}"
            );
        }
        assert_eq!(
            first_valid("no json here", decision),
            Err(ParseError::NoJson)
        );
    }

    #[test]
    fn braces_inside_strings_do_not_confuse_the_scanner() {
        let reply = r#"Decision: {"action":"follow_up","question_text":"What does {x} mean?","suggested_time_seconds":60,"next_index":null}"#;
        assert_eq!(
            first_valid(reply, decision),
            Ok(Proposal::FollowUp {
                question_text: "What does {x} mean?".into(),
                suggested_time_seconds: 60
            })
        );
    }

    #[test]
    fn quoted_numbers_are_read_and_wrong_types_rejected() {
        let quoted =
            serde_json::json!({"action":"preset","next_index":"2","suggested_time_seconds":90.0});
        assert_eq!(
            decision(&quoted),
            Ok(Proposal::Preset {
                next_index: 2,
                suggested_time_seconds: 90
            })
        );
        let wrong = serde_json::json!({"action":"preset","next_index":{"i":1},"suggested_time_seconds":"soon"});
        assert!(matches!(decision(&wrong), Err(ParseError::Schema(_))));
        let negative =
            serde_json::json!({"action":"preset","next_index":-1,"suggested_time_seconds":60});
        assert!(decision(&negative).is_err());
    }

    #[test]
    fn scores_outside_the_scale_are_rejected() {
        let v = serde_json::json!({"score": 101, "low": -1, "ok": 100});
        assert!(score(&v, "score").is_err());
        assert!(score(&v, "low").is_err());
        assert_eq!(score(&v, "ok"), Ok(100));
    }

    #[test]
    fn quotes_must_occur_word_for_word() {
        let answer = "I used cross-validation, with five folds, to pick the model.";
        assert!(quote_occurs("cross validation with five folds", answer));
        assert!(!quote_occurs("with ten folds", answer));
        assert!(
            !quote_occurs("fold", answer),
            "part of a word is not a quote"
        );
        assert!(!quote_occurs("  ", answer));
    }
}
