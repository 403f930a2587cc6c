//! Choosing preset questions for an interview: focus areas, difficulty, and relevance to
//! the job description.

use std::collections::BTreeMap;

use panelist_core::brain_api::QuestionRequest;
use panelist_core::{Difficulty, Question};

use crate::bank::{Area, Bank, BankQuestion};
use crate::text;

/// Whether `alias` occurs in `text` as whole words (so "ml" does not match "html").
pub fn mentions(text_words: &[String], alias: &str) -> bool {
    let alias_words: Vec<String> = alias
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    !alias_words.is_empty()
        && text_words
            .windows(alias_words.len())
            .any(|w| w == alias_words.as_slice())
}

fn words_of(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn area_matches(area: &Area, words: &[String]) -> bool {
    mentions(words, &area.id.replace('-', " "))
        || mentions(words, &area.name)
        || area.aliases.iter().any(|a| mentions(words, a))
}

/// Maps free-text focus areas ("ML", "Python") to bank areas, in the order given.
pub fn resolve_focus_areas(bank: &Bank, focus: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in focus {
        let words = words_of(f);
        if let Some(area) = bank.areas.iter().find(|a| area_matches(a, &words)) {
            if !out.contains(&area.id) {
                out.push(area.id.clone());
            }
        }
    }
    out
}

/// Areas a job description talks about, most mentioned first.
pub fn infer_areas(bank: &Bank, description: &str) -> Vec<String> {
    let words = words_of(description);
    let mut counts: Vec<(usize, String)> = bank
        .areas
        .iter()
        .map(|a| {
            let n = a.aliases.iter().filter(|al| mentions(&words, al)).count()
                + usize::from(mentions(&words, &a.name));
            (n, a.id.clone())
        })
        .filter(|(n, _)| *n > 0)
        .collect();
    counts.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    counts.into_iter().map(|(_, id)| id).collect()
}

fn difficulty_fit(want: Difficulty, have: Difficulty) -> f64 {
    match (want as i32 - have as i32).abs() {
        0 => 3.0,
        1 => 1.0,
        _ => 0.0,
    }
}

/// Relevance of each question to the job text: a BM25-like sum over shared stems, with
/// each stem's weight from how rare it is in the bank.
fn relevance(bank: &Bank, job_text: &str) -> BTreeMap<String, f64> {
    let job_stems = text::unique(text::content_stems(job_text));
    let n = bank.questions.len() as f64;
    let mut df: BTreeMap<&str, f64> = BTreeMap::new();
    for q in &bank.questions {
        for s in &q.stems {
            *df.entry(s.as_str()).or_default() += 1.0;
        }
    }
    bank.questions
        .iter()
        .map(|q| {
            let score: f64 = job_stems
                .iter()
                .filter(|s| q.stems.contains(s))
                .map(|s| {
                    let d = df.get(s.as_str()).copied().unwrap_or(0.0);
                    ((n - d + 0.5) / (d + 0.5) + 1.0).ln()
                })
                .sum();
            (q.id.clone(), score)
        })
        .collect()
}

/// Picks `count` questions: round-robin over the areas, best first within each area.
pub fn choose(bank: &Bank, request: &QuestionRequest) -> Vec<Question> {
    let mut areas = resolve_focus_areas(bank, &request.focus_areas);
    if areas.is_empty() {
        areas = infer_areas(
            bank,
            &format!("{} {}", request.job_role, request.job_description),
        );
    }
    if areas.is_empty() {
        areas = vec!["behavioural".to_string(), "system-design".to_string()];
        areas.retain(|a| bank.area(a).is_some());
    }
    let rel = relevance(
        bank,
        &format!("{} {}", request.job_role, request.job_description),
    );
    let mut per_area: Vec<Vec<&BankQuestion>> = areas
        .iter()
        .map(|area| {
            let mut qs: Vec<&BankQuestion> =
                bank.questions.iter().filter(|q| &q.area == area).collect();
            qs.sort_by(|a, b| {
                let sa =
                    difficulty_fit(request.difficulty, a.difficulty) + rel[&a.id].min(6.0) * 0.5;
                let sb =
                    difficulty_fit(request.difficulty, b.difficulty) + rel[&b.id].min(6.0) * 0.5;
                sb.total_cmp(&sa).then(a.id.cmp(&b.id))
            });
            qs
        })
        .collect();
    let mut chosen = Vec::new();
    let want = request.count as usize;
    while chosen.len() < want && per_area.iter().any(|qs| !qs.is_empty()) {
        for qs in per_area.iter_mut() {
            if chosen.len() < want && !qs.is_empty() {
                chosen.push(qs.remove(0).question.clone());
            }
        }
    }
    chosen
}
