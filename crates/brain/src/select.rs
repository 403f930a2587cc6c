//! Choosing preset questions for an interview: focus areas, difficulty, and relevance to
//! the job description.

use std::collections::BTreeMap;

use panelist_core::brain_api::QuestionRequest;
use panelist_core::{Difficulty, Question};

use crate::bank::{Area, Bank, BankQuestion};
use crate::relevance::{job_query, Index};
use crate::skills::{self, SkillMention};
use crate::templates;

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

/// Areas a job description talks about, most mentioned first: the areas of the skills it
/// names (required skills count double) and the areas whose names or aliases it uses.
pub fn infer_areas(bank: &Bank, description: &str, skills: &[SkillMention]) -> Vec<String> {
    let words = words_of(description);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for a in &bank.areas {
        let n = a.aliases.iter().filter(|al| mentions(&words, al)).count()
            + usize::from(mentions(&words, &a.name));
        if n > 0 {
            *counts.entry(a.id.clone()).or_default() += n;
        }
    }
    for m in skills {
        if let Some(area) = m.skill.area.as_ref().filter(|a| bank.area(a).is_some()) {
            *counts.entry(area.clone()).or_default() += m.count * if m.required { 2 } else { 1 };
        }
    }
    let mut ranked: Vec<(usize, String)> = counts.into_iter().map(|(id, n)| (n, id)).collect();
    ranked.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    ranked.into_iter().map(|(_, id)| id).collect()
}

fn difficulty_fit(want: Difficulty, have: Difficulty) -> f64 {
    match (want as i32 - have as i32).abs() {
        0 => 3.0,
        1 => 1.0,
        _ => 0.0,
    }
}

/// At most this many technical areas are inferred when the recruiter names none.
const INFERRED_AREAS: usize = 3;

/// The areas an interview draws from: the recruiter's, or those the job talks about
/// (plus a behavioural question for interviews of five or more), or a general default.
pub fn choose_areas(
    bank: &Bank,
    request: &QuestionRequest,
    skills: &[SkillMention],
) -> Vec<String> {
    let areas = resolve_focus_areas(bank, &request.focus_areas);
    if !areas.is_empty() {
        return areas;
    }
    let mut areas = infer_areas(
        bank,
        &format!("{} {}", request.job_role, request.job_description),
        skills,
    );
    areas.truncate(INFERRED_AREAS);
    if areas.is_empty() {
        areas = vec!["behavioural".to_string(), "system-design".to_string()];
    } else if request.count >= 5 && !areas.iter().any(|a| a == "behavioural") {
        areas.push("behavioural".to_string());
    }
    areas.retain(|a| bank.area(a).is_some());
    areas
}

/// Required skills that no bank question asks about, most important first.
pub fn uncovered_skills<'a>(bank: &Bank, skills: &'a [SkillMention]) -> Vec<&'a SkillMention> {
    skills
        .iter()
        .filter(|m| m.required)
        .filter(|m| {
            !bank.questions.iter().any(|q| {
                let mut all = format!("{} {}", q.question.text, q.question.tags.join(" "));
                for kp in &q.question.key_points {
                    all.push(' ');
                    all.push_str(&kp.terms.join(" "));
                }
                skills::text_mentions(&all, &m.skill)
            })
        })
        .collect()
}

/// Picks `count` questions: round-robin over the areas, within each area the best fit of
/// difficulty and BM25 relevance to the job first; then up to a quarter of the slots (at
/// least one) go to template questions about required skills the bank does not cover.
pub fn choose(bank: &Bank, request: &QuestionRequest) -> Vec<Question> {
    let job_text = format!("{}\n{}", request.job_role, request.job_description);
    let skills = skills::extract(&job_text);
    let areas = choose_areas(bank, request, &skills);
    let index = Index::new(bank);
    let rel = index.scores(&job_query(
        &request.job_role,
        &request.job_description,
        &skills,
    ));
    // Relevance is scaled so the most relevant question gains at most 3 points: as much as
    // an exact difficulty match, so a highly relevant question one level off can win.
    let max_rel = rel.values().copied().fold(0.0, f64::max);
    let scaled = |id: &str| {
        if max_rel > 0.0 {
            3.0 * rel.get(id).copied().unwrap_or(0.0) / max_rel
        } else {
            0.0
        }
    };
    let mut per_area: Vec<Vec<&BankQuestion>> = areas
        .iter()
        .map(|area| {
            let mut qs: Vec<&BankQuestion> =
                bank.questions.iter().filter(|q| &q.area == area).collect();
            qs.sort_by(|a, b| {
                let sa = difficulty_fit(request.difficulty, a.difficulty) + scaled(&a.id);
                let sb = difficulty_fit(request.difficulty, b.difficulty) + scaled(&b.id);
                sb.total_cmp(&sa).then(a.id.cmp(&b.id))
            });
            qs
        })
        .collect();
    let want = request.count as usize;
    let templates: Vec<Question> = uncovered_skills(bank, &skills)
        .into_iter()
        .take(if want >= 2 { (want / 4).max(1) } else { 0 })
        .map(|m| templates::question_for(&m.skill, request.difficulty))
        .collect();
    let from_bank = want - templates.len();
    let mut chosen = Vec::new();
    while chosen.len() < from_bank && per_area.iter().any(|qs| !qs.is_empty()) {
        for qs in per_area.iter_mut() {
            if chosen.len() < from_bank && !qs.is_empty() {
                chosen.push(qs.remove(0).question.clone());
            }
        }
    }
    chosen.extend(templates);
    chosen
}
