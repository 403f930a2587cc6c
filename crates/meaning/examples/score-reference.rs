//! `panelist score` for reference answers only, without building the CLI, with the
//! features behind each score, for calibrating: JSON lines `{"id", "question",
//! "reference_answer", "answer"}` in, `{"id", "score", "contributions", …}` out. With the
//! meaning model (found as the CLI finds it; `PANELIST_MEANING_MODEL=off` scores by words
//! alone) each line also has the answer's cosines with the reference and the question,
//! and the reference's with the question.
//!
//!     cargo build --workspace --example score-reference
//!     python3 scripts/calibrate-scoring.py --panelist target/debug/examples/score-reference

use std::io::{BufRead, Write};

use panelist_brain::meaning::Meaning;
use panelist_brain::scoring::score_against_reference_with;
use serde_json::{json, Value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Accepts `score --input PATH` like the CLI.
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .iter()
        .position(|a| a == "--input")
        .and_then(|i| args.get(i + 1))
        .ok_or("usage: score-reference score --input FILE")?;
    let model = panelist_meaning::shared(None);
    let meaning = model.as_deref().map(|m| Meaning::new(m));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in std::io::BufReader::new(std::fs::File::open(path)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let item: Value = serde_json::from_str(&line)?;
        let text = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or_default();
        let (question, reference, answer) =
            (text("question"), text("reference_answer"), text("answer"));
        let s = score_against_reference_with(question, reference, answer, meaning.as_ref());
        let parts: Vec<Value> = s
            .contributions
            .iter()
            .map(|c| json!({"name": c.name, "points": (c.points * 10.0).round() / 10.0}))
            .collect();
        let w = &s.word_order;
        let mut row = json!({"id": item["id"], "score": s.score, "contributions": parts,
            "recall": s.recall, "precision": s.precision, "length": s.length,
            "order": w.order(), "context": w.context(), "factor": w.factor(),
            "stuffing": w.stuffing(), "reshuffled": s.reshuffled});
        if let Some(m) = &meaning {
            row["meaning"] = json!({
                "reference": m.similarity(answer, reference),
                "question": m.similarity(answer, question),
                "reference_question": m.similarity(reference, question),
            });
        }
        writeln!(out, "{row}")?;
    }
    out.flush()?;
    Ok(())
}
