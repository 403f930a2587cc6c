//! `panelist score`: batch scoring, JSON lines in and out.

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::{bail, Context};
use panelist_brain::meaning::Meaning;
use panelist_brain::scoring::{score_against_reference_with, score_answer_with};
use panelist_core::report::AnswerQuality;
use panelist_core::KeyPoint;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(untagged)]
enum KeyPointInput {
    Label(String),
    Full(KeyPoint),
}

#[derive(Deserialize)]
struct Item {
    id: serde_json::Value,
    #[serde(default)]
    question: String,
    reference_answer: Option<String>,
    key_points: Option<Vec<KeyPointInput>>,
    answer: String,
}

/// Scores every line; with the meaning model when one is found (each line's output
/// names what scored it: `scored_by`).
pub fn run(input: &Path, data_dir: Option<&Path>) -> anyhow::Result<()> {
    let model = panelist_meaning::shared(data_dir);
    let meaning = model.as_deref().map(|m| Meaning::new(m));
    let scored_by = match &model {
        Some(_) => format!("words + meaning {}", panelist_meaning::MODEL_NAME),
        None => "words only (no meaning model)".to_string(),
    };
    let file =
        std::fs::File::open(input).with_context(|| format!("cannot open {}", input.display()))?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line =
            line.with_context(|| format!("{} line {}: not UTF-8 text", input.display(), n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let item: Item = serde_json::from_str(&line)
            .with_context(|| format!("{} line {}", input.display(), n + 1))?;
        let result = match (&item.reference_answer, &item.key_points) {
            (Some(reference), _) => {
                let s = score_against_reference_with(
                    &item.question,
                    reference,
                    &item.answer,
                    meaning.as_ref(),
                );
                let empty = s.score == 0 && s.recall == 0.0;
                json!({"id": item.id, "score": s.score, "scored_by": scored_by,
                       "answer_quality": AnswerQuality::from_score(s.score, empty),
                       "similarity": s.similarity.map(|v| (v * 1000.0).round() / 1000.0),
                       "matched": s.matched, "missed": s.missed,
                       "contributions": s.contributions.iter()
                           .map(|c| json!({"name": c.name, "points": (c.points * 10.0).round() / 10.0}))
                           .collect::<Vec<_>>()})
            }
            (None, Some(points)) => {
                let points: Vec<KeyPoint> = points
                    .iter()
                    .map(|p| match p {
                        KeyPointInput::Label(l) => KeyPoint {
                            label: l.clone(),
                            terms: vec![l.clone()],
                        },
                        KeyPointInput::Full(k) => k.clone(),
                    })
                    .collect();
                let s =
                    score_answer_with(&item.question, &item.answer, &points, 0.0, meaning.as_ref());
                json!({"id": item.id, "score": s.score, "scored_by": scored_by,
                       "answer_quality": s.quality,
                       "matched": s.matched.iter().map(|(l, _)| l).collect::<Vec<_>>(),
                       "missed": s.missed, "evidence": s.evidence,
                       "contributions": s.contributions.iter()
                           .map(|c| json!({"name": c.name, "points": (c.points * 10.0).round() / 10.0}))
                           .collect::<Vec<_>>()})
            }
            (None, None) => bail!(
                "{} line {}: give `reference_answer` or `key_points`",
                input.display(),
                n + 1
            ),
        };
        writeln!(out, "{result}")?;
    }
    out.flush()?;
    Ok(())
}
