//! `panelist score` for reference answers only, without building the CLI: JSON lines
//! `{"id", "question", "reference_answer", "answer"}` in, `{"id", "score", …}` out.
//! For `scripts/calibrate-scoring.py --panelist <this binary>` during development.
//!
//!     cargo build -p panelist-brain --example score-reference
//!     python3 scripts/calibrate-scoring.py --panelist target/debug/examples/score-reference

use std::io::{BufRead, Write};

use panelist_brain::scoring::score_against_reference;
use serde_json::{json, Value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Accepts `score --input PATH` like the CLI.
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .iter()
        .position(|a| a == "--input")
        .and_then(|i| args.get(i + 1))
        .ok_or("usage: score-reference score --input FILE")?;
    let file = std::fs::File::open(path)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let item: Value = serde_json::from_str(&line)?;
        let text = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or_default();
        let s = score_against_reference(text("question"), text("reference_answer"), text("answer"));
        let parts: Vec<Value> = s
            .contributions
            .iter()
            .map(|c| json!({"name": c.name, "points": (c.points * 10.0).round() / 10.0}))
            .collect();
        writeln!(
            out,
            "{}",
            json!({"id": item["id"], "score": s.score, "contributions": parts,
                   "recall": s.recall, "precision": s.precision, "length": s.length,
                   "order": s.word_order.order(), "context": s.word_order.context(),
                   "factor": s.word_order.factor(), "stuffing": s.word_order.stuffing()})
        )?;
    }
    out.flush()?;
    Ok(())
}
