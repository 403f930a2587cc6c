//! Service tests: a real SQLite file, a manual clock, and brains that misbehave.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use panelist_brain::OfflineBrain;
use panelist_core::brain_api::{
    Brain, BrainError, DecisionContext, Evaluation, EvaluationContext, Proposal, QuestionRequest,
};
use panelist_core::engine::Action;
use panelist_core::{Difficulty, InterviewSpec, ManualClock, Question, QuestionType};
use panelist_resume::Extractor;
use panelist_service::{Actor, CandidateInput, NewInterview, Panelist};
use panelist_store::Store;

/// A second connection to an app's database, for what a test inspects there (the service
/// itself offers no way past it).
fn db(app: &Panelist) -> Store {
    Store::open(&app.data_dir().join(panelist_service::DATABASE_FILE)).expect("open the database")
}

/// A brain that proposes nonsense: a preset that does not exist, endless follow-ups,
/// a résumé question with no résumé, and absurd times. Scoring is delegated.
struct UnrulyBrain {
    offline: OfflineBrain,
}

impl Brain for UnrulyBrain {
    fn name(&self) -> String {
        "unruly".into()
    }
    fn generate_questions(&self, r: &QuestionRequest) -> Result<Vec<Question>, BrainError> {
        self.offline.generate_questions(r)
    }
    fn decide(&self, ctx: &DecisionContext) -> Result<Proposal, BrainError> {
        Ok(match ctx.history.len() % 3 {
            0 => Proposal::Preset {
                next_index: 99,
                suggested_time_seconds: 100_000,
            },
            1 => Proposal::FollowUp {
                question_text: "And again?".into(),
                suggested_time_seconds: 1,
            },
            _ => Proposal::Resume {
                question_text: "Tell me about your CV".into(),
                suggested_time_seconds: 60,
            },
        })
    }
    fn evaluate(&self, ctx: &EvaluationContext) -> Result<Evaluation, BrainError> {
        self.offline.evaluate(ctx)
    }
}

fn spec(minutes: u32, questions: u32) -> InterviewSpec {
    InterviewSpec {
        job_role: "Engineer".into(),
        job_description: "Python services".into(),
        difficulty: Difficulty::Medium,
        focus_areas: vec!["Python".into()],
        time_limit_minutes: minutes,
        avatar: "ada".into(),
        num_questions: questions,
        max_follow_ups_per_preset: 1,
        language: Default::default(),
    }
}

fn extractor() -> Extractor {
    Extractor {
        program: "false".into(),
        args: vec![],
        timeout: std::time::Duration::from_secs(1),
    }
}

fn candidate() -> CandidateInput {
    CandidateInput {
        name: "Kim".into(),
        email: "kim@example.com".into(),
        ..Default::default()
    }
}

#[test]
fn every_proposal_is_validated_and_corrections_are_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0)
            .single()
            .expect("date"),
    ));
    let brain = UnrulyBrain {
        offline: OfflineBrain::embedded().expect("bank"),
    };
    let mut app =
        Panelist::open_with(dir.path(), extractor(), Box::new(brain), clock.clone()).expect("open");
    let interview = app
        .create_interview(NewInterview { spec: spec(30, 3) }, &Actor::Cli)
        .expect("create");
    app.publish_interview(interview.id, &Actor::Cli)
        .expect("publish");
    let reg = app
        .register(&interview.id.to_string(), candidate(), true)
        .expect("register");

    let mut run = app.run(reg.session.id).expect("run");
    let mut kinds = Vec::new();
    while let Some(q) = run.next_question(&mut app).expect("next") {
        assert!((20..=300).contains(&q.allotted_seconds), "{q:?}");
        kinds.push((q.question_type, q.preset_index));
        clock.advance(Duration::seconds(5));
        run.speech_finished(&app).expect("speech");
        clock.advance(Duration::seconds(30));
        run.submit(&mut app, "An answer about Python generators.", None)
            .expect("submit");
    }
    run.finish(&mut app).expect("report");
    // Each preset once, one follow-up each at most, no résumé question without a résumé.
    assert_eq!(
        kinds,
        [
            (QuestionType::Preset, Some(0)),
            (QuestionType::FollowUp, Some(0)),
            (QuestionType::Preset, Some(1)),
            (QuestionType::Preset, Some(2)),
            (QuestionType::FollowUp, Some(2)),
        ]
    );
    let decisions = db(&app).decisions(reg.session.id).expect("decisions");
    assert!(decisions.iter().filter(|d| d.was_corrected()).count() >= 4);
    assert!(decisions[0]
        .corrections
        .iter()
        .any(|c| c.contains("preset 99 does not exist")));
    assert!(decisions[0]
        .corrections
        .iter()
        .any(|c| c.contains("capped")));
    assert!(matches!(
        decisions.last().map(|d| &d.action),
        Some(Action::Complete { .. })
    ));
    let audit = db(&app).audit_log().expect("audit");
    assert!(audit.iter().any(|e| e.action == "engine.correct"));
}

#[test]
fn the_interview_ends_when_answering_time_is_used_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0)
            .single()
            .expect("date"),
    ));
    let brain = OfflineBrain::embedded().expect("bank");
    let mut app =
        Panelist::open_with(dir.path(), extractor(), Box::new(brain), clock.clone()).expect("open");
    let interview = app
        .create_interview(NewInterview { spec: spec(2, 10) }, &Actor::Cli)
        .expect("create");
    app.publish_interview(interview.id, &Actor::Cli)
        .expect("publish");
    let reg = app
        .register(&interview.id.to_string(), candidate(), true)
        .expect("register");
    let mut run = app.run(reg.session.id).expect("run");
    let mut asked = 0;
    while let Some(q) = run.next_question(&mut app).expect("next") {
        asked += 1;
        // The avatar talks for a long time: it must not eat the candidate's time.
        clock.advance(Duration::seconds(120));
        run.speech_finished(&app).expect("speech");
        // The candidate overruns every answer.
        clock.advance(Duration::seconds(i64::from(q.allotted_seconds) + 30));
        assert!(run.answering_seconds(&app) >= f64::from(q.allotted_seconds));
        let r = run
            .submit(&mut app, "Generators yield values lazily.", None)
            .expect("submit");
        assert!(r.timed_out);
        assert_eq!(r.answer_seconds, f64::from(q.allotted_seconds));
    }
    let total: f64 = run.responses().iter().map(|r| r.answer_seconds).sum();
    assert!(
        total <= 120.0,
        "answering time {total} exceeds the 2 minute limit"
    );
    assert!(asked < 10, "time ran out before all ten presets");
    let report = run.finish(&mut app).expect("report");
    assert_eq!(
        app.session(reg.session.id)
            .expect("session")
            .end_reason
            .as_deref(),
        Some("time_up")
    );
    assert!(report
        .overall_assessment
        .areas_for_improvement
        .iter()
        .any(|a| a.contains("ran out of time")));
}

#[test]
fn an_answer_over_the_limit_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = Panelist::open(dir.path(), extractor()).expect("open");
    let interview = app
        .create_interview(NewInterview { spec: spec(10, 2) }, &Actor::Cli)
        .expect("create");
    app.publish_interview(interview.id, &Actor::Cli)
        .expect("publish");
    let reg = app
        .register(&interview.id.to_string(), candidate(), true)
        .expect("register");
    let mut run = app.run(reg.session.id).expect("run");
    run.next_question(&mut app)
        .expect("next")
        .expect("a question");
    run.speech_finished(&app).expect("speech");
    // A 3 MB paste into the typed answer.
    let paste = "word ".repeat(600_000);
    let err = run
        .submit(&mut app, &paste, None)
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("too long") && err.contains("20000"),
        "a clear message: {err}"
    );
    assert!(run.responses().is_empty(), "nothing was committed");
    // The same answer, shortened, goes through: the question was still open.
    let limit = panelist_core::MAX_ANSWER_CHARS;
    let r = run.submit(&mut app, &paste[..limit], None).expect("submit");
    assert_eq!(
        r.transcript.chars().count(),
        limit - 1,
        "trimmed of its last space"
    );
    assert_eq!(run.responses().len(), 1);
}

#[test]
fn no_consent_no_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = Panelist::open(dir.path(), extractor()).expect("open");
    let interview = app
        .create_interview(NewInterview { spec: spec(5, 2) }, &Actor::Cli)
        .expect("create");
    app.publish_interview(interview.id, &Actor::Cli)
        .expect("publish");
    let err = app
        .register(&interview.id.to_string(), candidate(), false)
        .expect_err("refused");
    assert!(err.to_string().contains("consent"), "{err}");
    assert!(app.sessions(None).expect("sessions").is_empty());
}

/// Runs one whole interview for `name` at the clock's time and returns its session.
fn interview_once(
    app: &mut Panelist,
    clock: &ManualClock,
    interview: &str,
    name: &str,
) -> panelist_core::SessionId {
    let input = CandidateInput {
        name: name.into(),
        email: "c@example.com".into(),
        ..Default::default()
    };
    let reg = app.register(interview, input, true).expect("register");
    let mut run = app.run(reg.session.id).expect("run");
    while run.next_question(app).expect("next").is_some() {
        run.speech_finished(app).expect("speech");
        clock.advance(Duration::seconds(40));
        run.submit(app, "I use generators and write tests with pytest.", None)
            .expect("submit");
    }
    run.finish(app).expect("report");
    reg.session.id
}

#[test]
fn reports_are_selected_by_interview_or_date_and_exported_without_overwriting() {
    use panelist_service::ReportSelection;
    use panelist_service::{Destination, ExportError, ExportFormat, ExportOptions, ServiceError};

    let dir = tempfile::tempdir().expect("tempdir");
    let day = |d: u32| {
        Utc.with_ymd_and_hms(2026, 5, d, 9, 0, 0)
            .single()
            .expect("date")
    };
    let clock = Arc::new(ManualClock::new(day(1)));
    let brain = OfflineBrain::embedded().expect("bank");
    let mut app =
        Panelist::open_with(dir.path(), extractor(), Box::new(brain), clock.clone()).expect("open");
    let mut published = Vec::new();
    for _ in 0..2 {
        let i = app
            .create_interview(NewInterview { spec: spec(10, 2) }, &Actor::Cli)
            .expect("create");
        app.publish_interview(i.id, &Actor::Cli).expect("publish");
        published.push(i.id);
    }
    let (a, b) = (published[0].to_string(), published[1].to_string());
    let first = interview_once(&mut app, &clock, &a, "José Müller");
    clock.advance(day(3) - panelist_core::Clock::now(&*clock));
    let second = interview_once(&mut app, &clock, &a, "李雷");
    let other = interview_once(&mut app, &clock, &b, "Zoë Ångström");
    // Registered but never interviewed: no report, so never exported.
    app.register(&a, candidate(), true).expect("register");

    let by_interview = app
        .export_items(&ReportSelection::Interview(published[0]))
        .expect("select");
    let sessions: Vec<_> = by_interview.iter().map(|i| i.report.session_id).collect();
    assert_eq!(
        sessions,
        [first, second],
        "oldest first, unfinished left out"
    );
    assert_eq!(by_interview[0].facts.interview_id, published[0]);
    assert_eq!(by_interview[0].facts.started_at, Some(day(1)));
    assert!(by_interview[0].facts.ended_at.is_some());
    assert_eq!(by_interview[0].facts.reviewed_by, None);

    let may3 = day(3).date_naive();
    let by_date = app
        .export_items(&ReportSelection::Dates {
            from: may3,
            to: may3,
        })
        .expect("select");
    let mut sessions: Vec<_> = by_date.iter().map(|i| i.report.session_id).collect();
    sessions.sort();
    let mut want = vec![second, other];
    want.sort();
    assert_eq!(sessions, want);
    assert!(matches!(
        app.export_items(&ReportSelection::Dates {
            from: may3,
            to: day(1).date_naive()
        }),
        Err(ServiceError::Invalid(_))
    ));

    let out = dir.path().join("export");
    let options = ExportOptions::new(ExportFormat::Pdf);
    let selection = ReportSelection::Interview(published[0]);
    let summary = app
        .export_reports(
            &selection,
            &options,
            &Destination::Dir(out.clone()),
            &Actor::Cli,
        )
        .expect("export");
    assert_eq!(summary.reports, 2);
    assert_eq!(std::fs::read_dir(&out).expect("dir").count(), 2);
    // Each file is recorded for the one session it holds: erasing the first candidate
    // removes their file and leaves the other's.
    let file_of = |session: panelist_core::SessionId| {
        summary
            .written
            .iter()
            .find(|w| w.sessions == [session])
            .map(|w| w.path.clone())
            .expect("a file of its own")
    };
    let (first_file, second_file) = (file_of(first), file_of(second));
    let first_candidate = app.session(first).expect("session").candidate_id;
    app.erase_candidate(first_candidate, &Actor::Cli)
        .expect("erase");
    assert!(
        !first_file.exists(),
        "the erased candidate's report file is gone"
    );
    assert!(
        second_file.exists(),
        "the other candidate's report file is kept"
    );
    assert!(matches!(
        app.export_reports(
            &selection,
            &options,
            &Destination::Dir(out.clone()),
            &Actor::Cli
        ),
        Err(ServiceError::Export(ExportError::Exists(_)))
    ));
    let nothing = ReportSelection::Dates {
        from: day(20).date_naive(),
        to: day(21).date_naive(),
    };
    let empty = app.export_reports(&nothing, &options, &Destination::Dir(out), &Actor::Cli);
    assert!(empty.expect_err("nothing to export").is_not_found());
    let audited = db(&app)
        .audit_log()
        .expect("audit")
        .into_iter()
        .filter(|e| e.action == "report.export_bulk")
        .count();
    assert_eq!(audited, 1, "only the export that wrote files is audited");
}
