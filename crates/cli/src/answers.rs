//! Where a headless interview's answers come from: a script file, a folder of recorded
//! answers (transcribed with whisper), or the terminal.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use panelist_transcribe::{prompt, transcribe_answer, Transcriber};

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

/// The `.wav` files of a folder, in name order.
pub fn list_wavs(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the answers folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("wav")))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("the answers folder {} has no .wav files", dir.display());
    }
    Ok(files)
}

/// One answer as given.
pub struct Answer {
    pub text: String,
    /// The recording, for answers given as audio.
    pub audio: Option<PathBuf>,
    /// How long the candidate spoke, when known.
    pub seconds: Option<f64>,
}

pub enum Source {
    Script(std::vec::IntoIter<String>),
    Audio {
        files: std::vec::IntoIter<PathBuf>,
        transcriber: Box<dyn Transcriber + Send>,
    },
    Terminal,
}

impl Source {
    /// Tells the transcriber the interview's language (recorded answers only); an
    /// English-only model and another language is an error before any answer is read.
    pub fn set_language(&mut self, language: panelist_core::Language) -> anyhow::Result<()> {
        if let Source::Audio { transcriber, .. } = self {
            transcriber
                .set_language(language.code())
                .with_context(|| format!("the interview is in {}", language.name()))?;
        }
        Ok(())
    }

    /// The next answer to `question`; `None` when the terminal closed (the candidate
    /// walked away). A script or folder that runs out answers nothing: silence.
    pub fn next_answer(
        &mut self,
        question: &str,
        vocabulary: &[String],
    ) -> anyhow::Result<Option<Answer>> {
        let silent = || Answer {
            text: String::new(),
            audio: None,
            seconds: None,
        };
        match self {
            Source::Script(it) => Ok(Some(it.next().map_or_else(silent, |text| Answer {
                text,
                audio: None,
                seconds: None,
            }))),
            Source::Audio { files, transcriber } => {
                let Some(path) = files.next() else {
                    return Ok(Some(silent()));
                };
                let audio = crate::voice::load_answer_audio(&path)?;
                let seconds = audio.len() as f64 / panelist_transcribe::SAMPLE_RATE as f64;
                let text = if panelist_audio::is_silent(&audio) {
                    String::new()
                } else {
                    let p = prompt::for_question(question, vocabulary);
                    transcribe_answer(transcriber.as_mut(), &audio, &p)
                        .with_context(|| format!("cannot transcribe {}", path.display()))?
                        .text
                };
                Ok(Some(Answer {
                    text,
                    audio: Some(path),
                    seconds: Some(seconds),
                }))
            }
            Source::Terminal => {
                let mut line = String::new();
                let n = std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .context("cannot read the answer")?;
                Ok((n > 0).then(|| Answer {
                    text: line.trim().to_string(),
                    audio: None,
                    seconds: None,
                }))
            }
        }
    }
}
