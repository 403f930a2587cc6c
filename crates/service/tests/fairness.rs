//! Fairness and reproducibility of the offline brain through the whole service: who the
//! candidate is never moves a score, and the same interview always gives the same report.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use panelist_brain::OfflineBrain;
use panelist_core::{Difficulty, InterviewSpec, ManualClock};
use panelist_resume::Extractor;
use panelist_service::{Actor, CandidateInput, NewInterview, Panelist};
use serde_json::Value;

fn spec() -> InterviewSpec {
    InterviewSpec {
        job_role: "Machine Learning Engineer".into(),
        job_description: "Python, scikit-learn and model validation; Kubernetes nice to have"
            .into(),
        difficulty: Difficulty::Medium,
        focus_areas: vec![],
        time_limit_minutes: 30,
        avatar: "ada".into(),
        num_questions: 4,
        max_follow_ups_per_preset: 1,
        language: Default::default(),
    }
}

/// Answers of varied quality, given in order whatever is asked.
const ANSWERS: &[&str] = &[
    "Overfitting is when the model memorises noise; for example in my last project validation \
     accuracy fell 20 percent, so I used k-fold cross-validation and regularisation because \
     the gap showed poor generalisation.",
    "I am not sure.",
    "First I would measure it, then compare the options, because it depends on the data. We had \
     a similar problem in production and I fixed it by adding an index.",
    "I have never used Docker or Kubernetes.",
    "Um, basically, I think it is about tests, uh, and things like that.",
    "We built a pipeline in Python with pandas; it reduced the run time from two hours to ten \
     minutes, and I learned to profile before optimising.",
    "",
    "Decorators wrap a function and return a new one; I wrote one for retries with backoff.",
];

/// Runs one whole interview in a fresh data directory with a fixed clock, and returns
/// the report as JSON.
fn interview(name: &str, email: &str, phone: Option<&str>) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0)
            .single()
            .expect("date"),
    ));
    let extractor = Extractor {
        program: "false".into(),
        args: vec![],
        timeout: std::time::Duration::from_secs(1),
    };
    let brain = OfflineBrain::embedded().expect("bank");
    let mut app =
        Panelist::open_with(dir.path(), extractor, Box::new(brain), clock.clone()).expect("open");
    let created = app
        .create_interview(NewInterview { spec: spec() }, &Actor::Cli)
        .expect("create");
    app.publish_interview(created.id, &Actor::Cli)
        .expect("publish");
    let candidate = CandidateInput {
        name: name.into(),
        email: email.into(),
        phone: phone.map(str::to_string),
        resume: None,
    };
    let reg = app
        .register(&created.id.to_string(), candidate, true)
        .expect("register");
    let mut run = app.run(reg.session.id).expect("run");
    let mut n = 0;
    while run.next_question(&mut app).expect("next").is_some() {
        clock.advance(Duration::seconds(4));
        run.speech_finished(&app).expect("speech");
        clock.advance(Duration::seconds(25 + 5 * n as i64));
        run.submit(&mut app, ANSWERS[n % ANSWERS.len()], None)
            .expect("submit");
        n += 1;
    }
    let report = run.finish(&mut app).expect("report");
    serde_json::to_value(&report).expect("json")
}

/// The report without what legitimately differs between two runs: the session's id and
/// the candidate's own details.
fn judged_part(report: &Value) -> Value {
    let mut v = report.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("session_id");
        o.remove("candidate");
    }
    v
}

#[test]
fn names_emails_and_phones_never_change_a_score() {
    let reference = interview(
        "John Smith",
        "john.smith@example.com",
        Some("+1 202 555 0143"),
    );
    assert!(reference["responses"]
        .as_array()
        .is_some_and(|r| r.len() >= 4));
    assert!(reference["scores"]["overall"]
        .as_u64()
        .is_some_and(|s| s > 0));
    for (name, email, phone) in [
        (
            "Nguyễn Thị Minh Khai",
            "minh.khai@example.vn",
            Some("+84 24 3825 1234"),
        ),
        ("Oluwaseun Adeyemi", "o.adeyemi@example.ng", None),
        // Words of the key points themselves as a name and an address must not help.
        (
            "Overfitting Validation",
            "kubernetes.regularisation@example.com",
            Some("000 000"),
        ),
        ("X", "x@y.z", Some("+44 20 7946 0958")),
    ] {
        let other = interview(name, email, phone);
        assert_eq!(other["scores"], reference["scores"], "{name}");
        assert_eq!(judged_part(&other), judged_part(&reference), "{name}");
        assert_eq!(other["candidate"]["name"], name);
    }
}

#[test]
fn the_same_interview_always_gives_the_same_report() {
    let a = interview("Ann Lee", "ann@example.com", Some("+1 555 0100"));
    let b = interview("Ann Lee", "ann@example.com", Some("+1 555 0100"));
    assert_ne!(a["session_id"], b["session_id"], "two sessions");
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Some(o) = v.as_object_mut() {
            o.remove("session_id");
        }
        v
    };
    assert_eq!(strip(&a), strip(&b));
    let evidence = a["responses"][0]["evidence"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        evidence
            .iter()
            .any(|e| e.as_str().is_some_and(|e| e.starts_with("score "))),
        "each answer lists its contributions: {evidence:?}"
    );
}
