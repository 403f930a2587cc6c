//! The kiosk and the server end to end, as an operator and a kiosk use them: the real
//! `panelist` binary (server and kiosk commands), a real PostgreSQL, real SQLite files.
#![allow(clippy::unwrap_used)]

mod sync_support;
mod util;

use serde_json::{json, Value};
use sync_support::ServerProc;
use util::*;

#[test]
fn a_kiosk_enrolls_pulls_runs_an_interview_pushes_and_the_report_is_read_through_the_api() {
    let mut server = ServerProc::start();
    let admin = server.admin_token();

    // A recruiter-side interview, authored and published on the server.
    let (status, interview) = server.call(
        "POST",
        "/api/interviews",
        Some(&admin),
        Some(
            json!({"job_role": "Data Scientist", "job_description": "Python and ML models",
            "difficulty": "medium", "focus_areas": ["ML", "Python"], "time_limit": 10,
            "num_questions": 2}),
        ),
    );
    assert_eq!(status, 200, "{interview}");
    let id = interview["id"].as_str().unwrap().to_string();
    let (status, revision) = server.call(
        "POST",
        &format!("/api/interviews/{id}/publish"),
        Some(&admin),
        None,
    );
    assert_eq!(status, 200, "{revision}");
    let kiosk_code = revision["kiosk_code"].as_str().unwrap().to_string();
    let (_, listed) = server.call("GET", "/api/interviews", Some(&admin), None);
    assert_eq!(listed[0]["status"], "published");

    // The kiosk: not enrolled yet, then enrolled with a one-time code.
    let kiosk = Env::new();
    let (code, _, err) = kiosk.run(&["sync"]);
    assert_eq!(code, 1);
    assert!(err.contains("not enrolled"), "{err}");
    let enrollment = server.enrollment_code();
    kiosk.ok(&[
        "enroll",
        "--server",
        &server.url(),
        "--code",
        &enrollment,
        "--name",
        "lobby",
    ]);
    let (code, _, err) =
        Env::new().run(&["enroll", "--server", &server.url(), "--code", &enrollment]);
    assert_eq!(code, 1, "a used code enrolls nobody else");
    assert!(err.contains("used, expired or revoked"), "{err}");

    let out = kiosk.ok(&["sync"]);
    assert!(out.contains("pulled 1 revision(s)"), "{out}");

    // The pulled interview runs on the kiosk by its kiosk code.
    let answers = kiosk.write("answers.txt", WEAK_ANSWERS.as_bytes());
    let out = kiosk.ok(&[
        "interview",
        "run",
        &kiosk_code,
        "--name",
        "John Doe",
        "--email",
        "john@example.com",
        "--answers",
        answers.to_str().unwrap(),
    ]);
    let session = out.lines().last().unwrap().trim().to_string();
    let local: Value =
        serde_json::from_str(&kiosk.ok(&["report", "show", &session, "--json"])).unwrap();

    let out = kiosk.ok(&["sync", "--json"]);
    let pushed: Value = serde_json::from_str(&out).unwrap();
    assert!(pushed["pushed"].as_u64().unwrap() >= 5, "{out}");
    assert_eq!(pushed["pending"], 0);
    let out = kiosk.ok(&["sync"]);
    assert!(out.contains("pushed 0 change(s)"), "nothing twice: {out}");

    // HR reads the report through the original system's endpoint.
    let (status, report) = server.call(
        "GET",
        &format!("/api/reports/session/{session}"),
        Some(&admin),
        None,
    );
    assert_eq!(status, 200, "{report}");
    assert_eq!(report, local, "the server's report is the kiosk's report");
    let (_, sessions) = server.call("GET", "/api/sessions", Some(&admin), None);
    assert_eq!(sessions[0]["status"], "completed");
    assert_eq!(sessions[0]["has_report"], true);
    let local_answers = kiosk
        .store()
        .responses(session.parse().unwrap())
        .unwrap()
        .len() as i64;
    assert_eq!(sessions[0]["responses"], local_answers);

    // Archived on the server, archived on the kiosk after the next sync.
    let (status, _) = server.call(
        "POST",
        &format!("/api/interviews/{id}/archive"),
        Some(&admin),
        None,
    );
    assert_eq!(status, 200);
    let out = kiosk.ok(&["sync"]);
    assert!(out.contains("1 archived"), "{out}");

    // Offline: the kiosk keeps working, sync fails clearly and loses nothing.
    let id2 = kiosk.published_interview("Analyst", "SQL and reports", "easy", "SQL", 5, 1);
    server.kill();
    let (code, _, err) = kiosk.run(&[
        "sync",
        "--attempts",
        "2",
        "--backoff-secs",
        "0.05",
        "--timeout-secs",
        "2",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("unreachable")
            && err.contains("1 change(s) wait")
            && err.contains("nothing lost"),
        "{err}"
    );
    server.spawn();
    let out = kiosk.ok(&["sync"]);
    assert!(out.contains("pushed 1 change(s)"), "{out}");
    // The kiosk-authored revision reached the server and its feed.
    let (_, listed) = server.call("GET", "/api/interviews", Some(&admin), None);
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == id2.as_str() && i["status"] == "published"),
        "{listed}"
    );
}

#[test]
fn the_server_refuses_to_start_without_a_strong_secret() {
    let kiosk = Env::new();
    let run = |secret: Option<&str>| {
        let mut command = std::process::Command::new(BIN);
        command.args([
            "server",
            "run",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
        ]);
        command.env_remove("SECRET_KEY");
        if let Some(secret) = secret {
            command.env("SECRET_KEY", secret);
        }
        let out = command.current_dir(kiosk.dir.path()).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(None);
    assert_eq!(code, Some(1));
    assert!(err.contains("SECRET_KEY is not set"), "{err}");
    let (code, err) = run(Some("short-key"));
    assert_eq!(code, Some(1));
    assert!(err.contains("too weak"), "{err}");
}
