//! Integration tests of the LLM brains: whole interviews through the service layer with
//! a real SQLite file, against a local OpenAI-compatible server with real providers'
//! quirks; prompt injection; secrets; configuration; prompt snapshots.

#![allow(clippy::unwrap_used)]

mod config;
mod deadline;
mod fake;
mod injection;
mod interviews;
mod secrets;
mod snapshots;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use panelist_brain::OfflineBrain;
use panelist_core::{Brain, Difficulty, InterviewSpec, ManualClock, QuestionType, Report};
use panelist_llm::{ChainBrain, JsonMode, LlmConfig, ProviderConfig};
use panelist_resume::Extractor;
use panelist_service::{Actor, CandidateInput, NewInterview, Panelist};

pub fn provider(name: &str, base_url: &str) -> ProviderConfig {
    let mut p = ProviderConfig::new(name, base_url, "fake-model");
    p.timeout = Duration::from_secs(5);
    p.json_mode = JsonMode::Schema;
    p
}

/// A chain over the given providers with short deadlines, so tests of hangs are quick.
pub fn chain(providers: Vec<ProviderConfig>, turn_ms: u64) -> ChainBrain {
    let config = LlmConfig {
        chain: providers,
        turn_deadline: Duration::from_millis(turn_ms),
        evaluation_deadline: Duration::from_millis(turn_ms * 2),
        generation_deadline: Duration::from_millis(turn_ms * 2),
    };
    ChainBrain::new(&config, OfflineBrain::embedded().unwrap()).unwrap()
}

pub fn spec() -> InterviewSpec {
    InterviewSpec {
        job_role: "Backend Engineer".into(),
        job_description: "Python services, testing and databases.".into(),
        difficulty: Difficulty::Medium,
        focus_areas: vec!["Python".into()],
        time_limit_minutes: 20,
        avatar: "ada".into(),
        num_questions: 3,
        max_follow_ups_per_preset: 1,
        language: Default::default(),
    }
}

/// Honest answers of a reasonable candidate.
pub const HONEST: [&str; 3] = [
    "I write small functions and test them with pytest, using fixtures for the database \
     and mocks for external services, and I run the tests in CI on every commit.",
    "For performance I profile first with cProfile, find the hot loop, then use a \
     dictionary lookup instead of a list scan, which took one endpoint from 800 to 40 ms.",
    "Generators yield values lazily, so a pipeline over a large file keeps memory flat; \
     I used one to stream a ten gigabyte log through a parser.",
];

pub struct Outcome {
    pub report: Report,
    /// Which brain produced each recorded decision.
    pub decision_brains: Vec<String>,
    /// (type, preset index) of each question asked.
    pub asked: Vec<(QuestionType, Option<u32>)>,
    pub corrected: usize,
    pub dir: tempfile::TempDir,
}

fn extractor() -> Extractor {
    Extractor {
        program: "false".into(),
        args: vec![],
        timeout: Duration::from_secs(1),
    }
}

/// Runs a whole interview: answers are used in order (follow-ups included), then
/// silence; the interview's questions come from the offline bank so that runs with
/// different brains ask the same presets.
pub fn run_interview(brain: Box<dyn Brain>, answers: &[&str], resume: Option<&str>) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).single().unwrap(),
    ));
    let interview = {
        let mut setup = Panelist::open_with(
            dir.path(),
            extractor(),
            Box::new(OfflineBrain::embedded().unwrap()),
            clock.clone(),
        )
        .unwrap();
        let interview = setup
            .create_interview(NewInterview { spec: spec() }, &Actor::Cli)
            .unwrap();
        setup.publish_interview(interview.id, &Actor::Cli).unwrap();
        interview
    };
    let mut app = Panelist::open_with(dir.path(), extractor(), brain, clock.clone()).unwrap();
    let resume_path = resume.map(|text| {
        let path = dir.path().join("cv.txt");
        std::fs::write(&path, text).unwrap();
        path
    });
    let reg = app
        .register(
            &interview.id.to_string(),
            CandidateInput {
                name: "Kim Lee".into(),
                email: "kim@example.com".into(),
                phone: None,
                resume: resume_path,
            },
            true,
        )
        .unwrap();
    assert!(reg.resume_warning.is_none(), "{:?}", reg.resume_warning);
    let mut run = app.run(reg.session.id).unwrap();
    let mut asked = Vec::new();
    let mut script = answers.iter();
    while let Some(q) = run.next_question(&mut app).unwrap() {
        asked.push((q.question_type, q.preset_index));
        clock.advance(chrono::Duration::seconds(5));
        run.speech_finished(&app).unwrap();
        let answer = script.next().copied().unwrap_or("");
        // A scripted candidate speaks at 150 words a minute.
        let seconds = (answer.split_whitespace().count() as i64 * 60 / 150).max(3);
        clock.advance(chrono::Duration::seconds(seconds));
        run.submit(&mut app, answer, None).unwrap();
        assert!(asked.len() < 20, "the interview must end");
    }
    let report = run.finish(&mut app).unwrap();
    let decisions = panelist_store::Store::open(&dir.path().join(panelist_service::DATABASE_FILE))
        .unwrap()
        .decisions(reg.session.id)
        .unwrap();
    let corrected = decisions.iter().filter(|d| d.was_corrected()).count();
    drop(app);
    let decision_brains = decision_brains(&dir.path().join(panelist_service::DATABASE_FILE));
    Outcome {
        report,
        decision_brains,
        asked,
        corrected,
        dir,
    }
}

fn decision_brains(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT brain FROM decisions ORDER BY at, id")
        .unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
}
