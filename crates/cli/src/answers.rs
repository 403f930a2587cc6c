//! Where a headless interview's answers come from: a script file or the terminal.

use std::io::BufRead;
use std::path::Path;

use anyhow::{bail, Context};

/// Answers read from a file: one per line, or a JSON array of strings.
pub fn load_script(path: &Path) -> anyhow::Result<Vec<String>> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the answers file {}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "the answers file {} is not valid UTF-8 text",
            path.display()
        )
    })?;
    let answers: Vec<String> = if text.trim_start().starts_with('[') {
        serde_json::from_str::<Vec<String>>(&text).with_context(|| {
            format!(
                "the answers file {} is not a JSON array of strings",
                path.display()
            )
        })?
    } else {
        text.lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    if answers.iter().all(|a| a.trim().is_empty()) {
        bail!("the answers file {} has no answers", path.display());
    }
    Ok(answers)
}

pub enum Source {
    Script(std::vec::IntoIter<String>),
    Terminal,
}

impl Source {
    /// The next answer; `None` when the terminal closed (the candidate walked away).
    pub fn next_answer(&mut self) -> anyhow::Result<Option<String>> {
        match self {
            // A script that runs out answers nothing further: the candidate stays silent.
            Source::Script(it) => Ok(Some(it.next().unwrap_or_default())),
            Source::Terminal => {
                let mut line = String::new();
                let n = std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .context("cannot read the answer")?;
                Ok((n > 0).then(|| line.trim().to_string()))
            }
        }
    }
}
