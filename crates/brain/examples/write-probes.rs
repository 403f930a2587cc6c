//! Writes a probe for every key point of the question bank that has none, from the
//! templates of `panelist_brain::probe::suggest`, into the bank's TOML files (after the
//! key point's `terms` line). Probes already there are kept, so hand edits survive.
//!
//!     cargo run -p panelist-brain --example write-probes [-- assets/question-bank]
//!
//! Then `cargo test -p panelist-brain --test bank` lints the result.

use std::path::PathBuf;

use panelist_brain::Bank;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("assets/question-bank"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut written = 0;
    for path in files {
        // Load this file alone, so question ids map to this file's key points.
        let tmp = tempdir_with(&path)?;
        let bank = Bank::from_dir(tmp.path())?;
        let text = std::fs::read_to_string(&path)?;
        let mut out = Vec::new();
        let mut question: Option<&panelist_brain::bank::BankQuestion> = None;
        let mut point = 0usize;
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            out.push(line.to_string());
            let t = line.trim();
            if let Some(id) = t.strip_prefix("id = \"").and_then(|r| r.strip_suffix('"')) {
                question = bank.questions.iter().find(|q| q.id == id);
                point = 0;
            }
            if t.starts_with("terms = [") {
                let Some(q) = question else { continue };
                let has_probe = lines[i + 1..]
                    .iter()
                    .map(|l| l.trim())
                    .take_while(|l| !l.starts_with('['))
                    .any(|l| l.starts_with("probe ="));
                if !has_probe {
                    let kp = &q.question.key_points[point];
                    let probe = bank.probe_for(&q.question, kp);
                    let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
                    out.push(format!("{indent}probe = {}", toml_string(&probe)));
                    written += 1;
                }
                point += 1;
            }
        }
        let mut new = out.join("\n");
        if text.ends_with('\n') {
            new.push('\n');
        }
        if new != text {
            std::fs::write(&path, new)?;
        }
    }
    println!("wrote {written} probe(s)");
    Ok(())
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn tempdir_with(path: &std::path::Path) -> Result<tempfile::TempDir, std::io::Error> {
    let dir = tempfile::tempdir()?;
    let name = path.file_name().unwrap_or_default();
    std::fs::copy(path, dir.path().join(name))?;
    Ok(dir)
}
