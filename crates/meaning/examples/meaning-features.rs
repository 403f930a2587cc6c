//! Meaning features of reference-scoring rows, for calibrating how much the meaning
//! signal weighs: JSON lines `{"id", "question", "reference_answer", "answer"}` in (the
//! input of `panelist score`), `{"id", "reference", "question"}` cosines out.
//!
//!     cargo run --example meaning-features -- --input rows.jsonl > features.jsonl

use std::io::{BufRead, Write};

use panelist_brain::meaning::Meaning;
use panelist_meaning::MeaningModel;
use serde_json::{json, Value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .iter()
        .position(|a| a == "--input")
        .and_then(|i| args.get(i + 1))
        .ok_or("usage: meaning-features --input FILE")?;
    let model = MeaningModel::find_and_load(None).ok_or("no meaning model found")??;
    let meaning = Meaning::new(&model);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in std::io::BufReader::new(std::fs::File::open(path)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let item: Value = serde_json::from_str(&line)?;
        let text = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or_default();
        let r = meaning.similarity(text("answer"), text("reference_answer"));
        let q = meaning.similarity(text("answer"), text("question"));
        let rq = meaning.similarity(text("reference_answer"), text("question"));
        writeln!(
            out,
            "{}",
            json!({"id": item["id"], "reference": r, "question": q, "reference_question": rq})
        )?;
    }
    out.flush()?;
    Ok(())
}
