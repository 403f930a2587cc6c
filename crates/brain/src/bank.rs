//! The question bank: human-editable TOML files in `assets/question-bank/`, one per
//! focus area. The files are compiled into the binary so a kiosk needs nothing else;
//! `Bank::from_dir` loads an edited copy instead.

use std::collections::BTreeSet;
use std::path::Path;

use panelist_core::{Difficulty, KeyPoint, Language, Question};
use serde::Deserialize;

use crate::{probe, text};

const EMBEDDED: &[(&str, &str)] = &[
    (
        "behavioural",
        include_str!("../../../assets/question-bank/behavioural.toml"),
    ),
    (
        "computer-vision",
        include_str!("../../../assets/question-bank/computer-vision.toml"),
    ),
    (
        "data-engineering",
        include_str!("../../../assets/question-bank/data-engineering.toml"),
    ),
    (
        "devops-cloud",
        include_str!("../../../assets/question-bank/devops-cloud.toml"),
    ),
    ("go", include_str!("../../../assets/question-bank/go.toml")),
    (
        "java",
        include_str!("../../../assets/question-bank/java.toml"),
    ),
    (
        "javascript-typescript",
        include_str!("../../../assets/question-bank/javascript-typescript.toml"),
    ),
    (
        "machine-learning",
        include_str!("../../../assets/question-bank/machine-learning.toml"),
    ),
    (
        "people-leadership",
        include_str!("../../../assets/question-bank/people-leadership.toml"),
    ),
    (
        "python",
        include_str!("../../../assets/question-bank/python.toml"),
    ),
    (
        "rust",
        include_str!("../../../assets/question-bank/rust.toml"),
    ),
    (
        "security",
        include_str!("../../../assets/question-bank/security.toml"),
    ),
    (
        "situational",
        include_str!("../../../assets/question-bank/situational.toml"),
    ),
    (
        "sql-databases",
        include_str!("../../../assets/question-bank/sql-databases.toml"),
    ),
    (
        "system-design",
        include_str!("../../../assets/question-bank/system-design.toml"),
    ),
    (
        "testing-qa",
        include_str!("../../../assets/question-bank/testing-qa.toml"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum BankError {
    #[error("question bank file {file}: {detail}")]
    Parse { file: String, detail: String },
    #[error("cannot read the question bank at {path}: {detail}")]
    Io { path: String, detail: String },
    #[error("the question bank is empty")]
    Empty,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Area {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The language of the file's questions (`language = "de"`); English when absent.
    #[serde(default)]
    pub language: Language,
}

#[derive(Clone, Debug, Deserialize)]
struct FileDef {
    area: Area,
    #[serde(default)]
    question: Vec<QuestionDef>,
}

#[derive(Clone, Debug, Deserialize)]
struct QuestionDef {
    id: String,
    difficulty: Difficulty,
    text: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    follow_ups: Vec<String>,
    #[serde(default)]
    key_points: Vec<KeyPointDef>,
}

/// A key point as the bank writes it: the core's key point and its probe.
#[derive(Clone, Debug, Deserialize)]
struct KeyPointDef {
    label: String,
    #[serde(default)]
    terms: Vec<String>,
    /// The follow-up asked when an answer misses the point (see `probe`).
    probe: Option<String>,
}

/// A bank question with where it belongs.
#[derive(Clone, Debug)]
pub struct BankQuestion {
    pub id: String,
    pub area: String,
    pub difficulty: Difficulty,
    pub question: Question,
    /// Unique content stems of the text, tags and key-point terms, for relevance.
    pub stems: Vec<String>,
    /// The probe of each key point, in the order of `question.key_points`.
    pub probes: Vec<Option<String>>,
}

#[derive(Clone, Debug)]
pub struct Bank {
    pub areas: Vec<Area>,
    pub questions: Vec<BankQuestion>,
}

impl Bank {
    /// The part of the bank written in `language` (empty when it has none).
    pub fn in_language(&self, language: Language) -> Bank {
        let areas: Vec<Area> = self
            .areas
            .iter()
            .filter(|a| a.language == language)
            .cloned()
            .collect();
        let questions = self
            .questions
            .iter()
            .filter(|q| areas.iter().any(|a| a.id == q.area))
            .cloned()
            .collect();
        Bank { areas, questions }
    }

    /// The bank compiled into this build.
    pub fn embedded() -> Result<Self, BankError> {
        Self::from_sources(
            EMBEDDED
                .iter()
                .map(|(name, text)| (format!("{name}.toml"), text.to_string())),
        )
    }

    /// Every `*.toml` file of a directory.
    pub fn from_dir(dir: &Path) -> Result<Self, BankError> {
        let io = |e: std::io::Error| BankError::Io {
            path: dir.display().to_string(),
            detail: e.to_string(),
        };
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        let mut sources = Vec::new();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(io)?;
            sources.push((path.display().to_string(), text));
        }
        Self::from_sources(sources)
    }

    fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, BankError> {
        let mut areas = Vec::new();
        let mut questions = Vec::new();
        for (file, text) in sources {
            let def: FileDef = toml::from_str(&text).map_err(|e| BankError::Parse {
                file: file.clone(),
                detail: e.to_string(),
            })?;
            for q in def.question {
                let probes: Vec<Option<String>> =
                    q.key_points.iter().map(|k| k.probe.clone()).collect();
                let key_points: Vec<KeyPoint> = q
                    .key_points
                    .into_iter()
                    .map(|k| KeyPoint {
                        label: k.label,
                        terms: k.terms,
                    })
                    .collect();
                let mut words = vec![q.text.clone()];
                words.extend(q.tags.iter().cloned());
                for kp in &key_points {
                    words.push(kp.label.clone());
                    words.extend(kp.terms.iter().cloned());
                }
                let stems = text::unique(words.iter().flat_map(|w| text::content_stems(w)));
                questions.push(BankQuestion {
                    id: q.id.clone(),
                    area: def.area.id.clone(),
                    difficulty: q.difficulty,
                    question: Question {
                        text: q.text,
                        tags: q.tags,
                        key_points,
                        follow_ups: q.follow_ups,
                        source: Some(q.id),
                    },
                    stems,
                    probes,
                });
            }
            areas.push(def.area);
        }
        if questions.is_empty() {
            return Err(BankError::Empty);
        }
        Ok(Self { areas, questions })
    }

    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    /// The bank question a question came from, by its bank id (`source`), when its text
    /// is still the bank's (a recruiter may have edited it since).
    pub fn question_of(&self, question: &Question) -> Option<&BankQuestion> {
        let id = question.source.as_deref()?;
        self.questions
            .iter()
            .find(|q| q.id == id && q.question.text == question.text)
    }

    /// Areas whose questions are about the candidate's own experience.
    pub fn is_personal_area(area: &str) -> bool {
        matches!(area, "behavioural" | "people-leadership" | "situational")
    }

    /// The follow-up that probes `kp` of `question` without naming its terms: the
    /// bank's probe when the question and the key point are the bank's, otherwise one
    /// written from templates ([`probe::suggest`]). Never one that gives away a key
    /// point of the question.
    pub fn probe_for(&self, question: &Question, kp: &KeyPoint) -> String {
        let from_bank = self.question_of(question).and_then(|b| {
            let i = b.question.key_points.iter().position(|k| k == kp)?;
            b.probes.get(i).cloned().flatten()
        });
        if let Some(p) = from_bank.filter(|p| probe::leaks_any(p, &question.key_points).is_none()) {
            return p;
        }
        let personal = self
            .question_of(question)
            .map(|b| Self::is_personal_area(&b.area))
            .unwrap_or_else(|| probe::is_personal(question));
        probe::suggest(question, kp, personal)
    }

    /// Problems a bank editor should fix: duplicates, missing key points, gaps.
    pub fn lint(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        let mut texts = BTreeSet::new();
        for q in &self.questions {
            if !ids.insert(q.id.clone()) {
                problems.push(format!("{}: duplicate id", q.id));
            }
            if !texts.insert(q.question.text.to_lowercase()) {
                problems.push(format!("{}: duplicate question text", q.id));
            }
            let n = q.question.key_points.len();
            if !(3..=6).contains(&n) {
                problems.push(format!("{}: {n} key points (need 3-6)", q.id));
            }
            for (kp, probe) in q.question.key_points.iter().zip(&q.probes) {
                match probe {
                    None => {
                        problems.push(format!("{}: key point `{}` has no probe", q.id, kp.label))
                    }
                    Some(p) => {
                        // A probe names no term of any key point of its question: a probe
                        // for one missed point must not give away another either.
                        if let Some((other, term)) = probe::leaks_any(p, &q.question.key_points) {
                            problems.push(format!(
                                "{}: the probe of `{}` gives away `{}` (says `{term}`)",
                                q.id, kp.label, other.label
                            ));
                        }
                    }
                }
                for term in &kp.terms {
                    // A term that cannot match even itself would never credit anyone.
                    if !text::Analyzed::new(term).has_phrase(term) {
                        problems.push(format!("{}: term `{term}` can never match", q.id));
                    }
                }
                if !(2..=7).contains(&kp.terms.len()) {
                    problems.push(format!(
                        "{}: key point `{}` has {} terms (need 2-7)",
                        q.id,
                        kp.label,
                        kp.terms.len()
                    ));
                }
            }
            let f = q.question.follow_ups.len();
            if !(1..=2).contains(&f) {
                problems.push(format!("{}: {f} follow-ups (need 1-2)", q.id));
            }
        }
        for area in &self.areas {
            for d in Difficulty::ALL {
                if !self
                    .questions
                    .iter()
                    .any(|q| q.area == area.id && q.difficulty == *d)
                {
                    problems.push(format!("area {}: no {d} question", area.id));
                }
            }
        }
        problems
    }
}
