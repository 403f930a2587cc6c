//! The development data (human-graded short answers, `../shared/data`, kept outside the
//! repository), read the same way by the brain's and the meaning model's tests (the
//! meaning crate includes this file with `#[path]`). Every crate lives at
//! `crates/NAME`, so the path below holds for both.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

/// A human-graded answer.
pub struct Row {
    pub question: String,
    pub reference: String,
    pub answer: String,
    pub grade: f64,
}

pub fn data_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/short-answer-grading-dev.csv")
}

/// The fields of one CSV record starting at `chars`, quotes and doubled quotes handled.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

pub fn rows() -> Option<Vec<Row>> {
    let text = std::fs::read_to_string(data_path()).ok()?;
    let mut records = parse_csv(&text).into_iter();
    let header = records.next()?;
    let col = |name: &str| header.iter().position(|h| h == name);
    let (q, r, a, g) = (
        col("question")?,
        col("desired_answer")?,
        col("student_answer")?,
        col("score_avg")?,
    );
    Some(
        records
            .filter(|rec| rec.len() == header.len())
            .map(|rec| Row {
                question: rec[q].clone(),
                reference: rec[r].clone(),
                answer: rec[a].clone(),
                grade: rec[g].parse().unwrap_or(0.0),
            })
            .collect(),
    )
}

/// (question, reference) → the answers both graders gave full marks.
pub type FullCredit = BTreeMap<(String, String), Vec<String>>;

/// The full-credit answers of each question, `None` without the data.
pub fn full_credit() -> Option<FullCredit> {
    Some(full_credit_of(&rows()?))
}

pub fn full_credit_of(rows: &[Row]) -> FullCredit {
    let mut by = FullCredit::new();
    for r in rows.iter().filter(|r| r.grade >= 5.0) {
        by.entry((r.question.clone(), r.reference.clone()))
            .or_default()
            .push(r.answer.clone());
    }
    by
}

/// A fixed permutation (a linear congruential generator), so the tests are repeatable.
pub fn shuffled(words: &[String], seed: u64) -> Vec<String> {
    let mut out = words.to_vec();
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    for i in (1..out.len()).rev() {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let j = ((state >> 33) % (i as u64 + 1)) as usize;
        out.swap(i, j);
    }
    out
}

/// The words of a text, lower case, without punctuation.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Five fixed shuffles of a text's words: a bag of the reference's words that games a
/// keyword counter.
pub fn shuffled_words(text: &str) -> Vec<String> {
    let w = words(text);
    (1..=5).map(|seed| shuffled(&w, seed).join(" ")).collect()
}
