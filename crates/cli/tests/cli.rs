//! End-to-end tests of the `panelist` binary on fresh data directories: no network, no
//! window, real SQLite files, real child processes.

mod util;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde_json::Value;
use util::*;

#[test]
fn a_whole_interview_runs_end_to_end_and_reports_in_the_design_shape() {
    let env = Env::new();
    let id = env.published_interview(
        "Data Scientist",
        "Python, pandas and scikit-learn models",
        "hard",
        "ML,Python",
        10,
        3,
    );
    let resume = env.write("cv.txt", RESUME.as_bytes());
    let answers = env.write("weak.txt", WEAK_ANSWERS.as_bytes());
    let out = env.ok(&[
        "interview",
        "run",
        &id,
        "--name",
        "John Doe",
        "--email",
        "john@example.com",
        "--phone",
        "+1234567890",
        "--resume",
        resume.to_str().unwrap_or_default(),
        "--answers",
        answers.to_str().unwrap_or_default(),
    ]);
    assert!(out.contains("Q1 [preset]"), "{out}");
    let session = out.lines().last().unwrap_or_default().trim().to_string();

    let report: Value =
        serde_json::from_str(&env.ok(&["report", "show", &session, "--json"])).expect("json");
    assert_eq!(report["session_id"], session.as_str());
    assert_eq!(report["interview"]["job_role"], "Data Scientist");
    assert_eq!(report["interview"]["difficulty"], "hard");
    assert_eq!(
        report["interview"]["focus_areas"],
        serde_json::json!(["ML", "Python"])
    );
    assert_eq!(report["candidate"]["name"], "John Doe");
    assert_eq!(report["candidate"]["email"], "john@example.com");
    assert_eq!(report["candidate"]["phone"], "+1234567890");
    for key in ["communication", "technical", "problem_solving", "overall"] {
        let v = report["scores"][key].as_u64().unwrap_or(999);
        assert!(v <= 100, "{key} = {v}");
    }
    let labels: Vec<&str> = report["responses"]
        .as_array()
        .expect("responses")
        .iter()
        .map(|r| r["display_label"].as_str().unwrap_or_default())
        .collect();
    for want in ["Q1", "Q1 Follow-up 1", "Q2", "Q3", "Resume Q"] {
        assert!(labels.contains(&want), "{want} missing from {labels:?}");
    }
    for r in report["responses"].as_array().expect("responses") {
        for key in [
            "question_type",
            "question_text",
            "candidate_answer",
            "key_points",
            "answer_quality",
            "improvement",
            "score",
            "evidence",
        ] {
            assert!(!r[key].is_null(), "response lacks {key}: {r}");
        }
        assert!(!r["evidence"].as_array().expect("evidence").is_empty());
    }
    let rec = report["overall_assessment"]["recommendation"]
        .as_str()
        .unwrap_or_default();
    assert!(
        [
            "Strongly Recommend",
            "Recommend",
            "Consider",
            "Not Recommend"
        ]
        .contains(&rec),
        "{rec}"
    );
    // With the meaning model where one is found, by words alone otherwise; either way
    // the report says which.
    let by = report["generated_by"]["brain"].as_str().unwrap_or_default();
    assert!(
        by == "offline-rules v2 + meaning all-MiniLM-L6-v2"
            || by == "offline-rules v2 (words only: no meaning model)",
        "{by}"
    );
    assert!(report["generated_by"]["at"].is_string());

    // The exported file is the same report.
    let file = env.dir.path().join("out/report.json");
    std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
    env.ok(&[
        "report",
        "export",
        &session,
        "--format",
        "json",
        "--out",
        file.to_str().unwrap_or_default(),
    ]);
    let mut exported: Value =
        serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("json");
    // The export is the report plus its human review, null while it is a draft.
    let review = exported
        .as_object_mut()
        .and_then(|o| o.remove("review"))
        .expect("an exported report says whether it was reviewed");
    assert!(review.is_null(), "{review}");
    assert_eq!(exported, report);

    // The session is completed, and the audit log saw every step.
    let store = env.store();
    let sid = session.parse().expect("id");
    assert_eq!(
        store.get_session(sid).expect("session").status.as_str(),
        "completed"
    );
    let events = store.audit_log().expect("audit");
    // An interview run from the shell is the CLI's in the audit log, not the kiosk's.
    for e in events.iter().filter(|e| e.action.starts_with("session.")) {
        assert_eq!(e.actor, "cli", "{} by {}", e.action, e.actor);
    }
    let actions: Vec<String> = events.into_iter().map(|e| e.action).collect();
    for want in [
        "interview.create",
        "interview.publish",
        "session.register",
        "session.start",
        "session.complete",
        "report.export",
    ] {
        assert!(
            actions.iter().any(|a| a == want),
            "{want} not in {actions:?}"
        );
    }
    assert!(store.consent_for(sid).is_ok(), "consent is recorded");
}

#[test]
fn a_strong_candidate_scores_clearly_above_a_weak_one() {
    let env = Env::new();
    let id = env.published_interview(
        "Backend Engineer",
        "Rust services on PostgreSQL",
        "medium",
        "Rust,SQL",
        15,
        3,
    );
    let interview: Value =
        serde_json::from_str(&env.ok(&["interview", "show", &id, "--json"])).expect("json");
    let strong: Vec<String> = interview["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(strong_answer)
        .collect();
    let strong_file = env.write(
        "strong.json",
        serde_json::to_string(&strong).expect("json").as_bytes(),
    );
    let weak_file = env.write("weak.txt", WEAK_ANSWERS.as_bytes());

    let overall = |file: &std::path::Path, name: &str| -> (u64, Value) {
        let out = env.ok(&[
            "interview",
            "run",
            &id,
            "--name",
            name,
            "--email",
            "c@example.com",
            "--answers",
            file.to_str().unwrap_or_default(),
        ]);
        let session = out.lines().last().unwrap_or_default().trim().to_string();
        let report: Value =
            serde_json::from_str(&env.ok(&["report", "show", &session, "--json"])).expect("json");
        (
            report["scores"]["overall"].as_u64().expect("overall"),
            report,
        )
    };
    let (strong_score, strong_report) = overall(&strong_file, "Strong");
    let (weak_score, _) = overall(&weak_file, "Weak");
    assert!(
        strong_score >= weak_score + 40,
        "strong {strong_score} vs weak {weak_score}: {strong_report:#}"
    );
    assert!(strong_score >= 60, "{strong_report:#}");
    eprintln!("overall: strong {strong_score}, weak {weak_score}");
    // A strong candidate covers the points, so needs no follow-ups.
    let labels: Vec<&str> = strong_report["responses"]
        .as_array()
        .expect("r")
        .iter()
        .map(|r| r["display_label"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(labels, ["Q1", "Q2", "Q3"]);
}

#[test]
fn a_killed_interview_keeps_every_acknowledged_answer_and_can_be_resumed_or_closed() {
    for finish in ["resume", "close"] {
        let env = Env::new();
        let id = env.published_interview("Engineer", "", "easy", "Python", 10, 3);
        let mut child = Command::new(BIN)
            .env("PANELIST_DATA_DIR", env.dir.path())
            .args([
                "interview",
                "run",
                &id,
                "--name",
                "Kim",
                "--email",
                "kim@example.com",
                "--interactive",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let mut stdin = child.stdin.take().expect("stdin");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut acknowledged = Vec::new();
        while acknowledged.len() < 3 {
            let line = lines.next().expect("a line").expect("utf-8");
            if line.starts_with('Q') {
                let answer = format!(
                    "answer number {} about python generators and decorators",
                    acknowledged.len() + 1
                );
                writeln!(stdin, "{answer}").expect("write");
                stdin.flush().expect("flush");
                acknowledged.push(answer);
            } else if line.starts_with("saved answer") {
                continue;
            }
        }
        // Wait for the third acknowledgement, then pull the plug.
        for line in lines.by_ref() {
            if line.expect("utf-8") == "saved answer 3" {
                break;
            }
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");

        let store = env.store();
        assert_eq!(store.integrity_check().expect("check"), "ok");
        let sessions = store.list_sessions(None).expect("sessions");
        assert_eq!(sessions.len(), 1);
        let session = &sessions[0];
        assert_eq!(session.status.as_str(), "in_progress");
        let saved: Vec<String> = store
            .responses(session.id)
            .expect("responses")
            .into_iter()
            .map(|r| r.transcript)
            .collect();
        assert_eq!(saved, acknowledged, "every acknowledged answer survives");
        drop(store);

        let sid = session.id.to_string();
        if finish == "resume" {
            let answers = env.write("rest.txt", WEAK_ANSWERS.as_bytes());
            let out = env.ok(&[
                "session",
                "resume",
                &sid,
                "--answers",
                answers.to_str().unwrap_or_default(),
            ]);
            assert!(
                out.contains("Q4 ["),
                "numbering continues after the crash: {out}"
            );
            let report: Value =
                serde_json::from_str(&env.ok(&["report", "show", &sid, "--json"])).expect("json");
            let answers: Vec<&str> = report["responses"]
                .as_array()
                .expect("r")
                .iter()
                .map(|r| r["candidate_answer"].as_str().unwrap_or_default())
                .collect();
            assert_eq!(
                &answers[..3],
                acknowledged
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice()
            );
        } else {
            env.ok(&["session", "close", &sid]);
            let store = env.store();
            let s = store.get_session(session.id).expect("session");
            assert_eq!(s.status.as_str(), "abandoned");
            assert_eq!(store.responses(session.id).expect("responses").len(), 3);
            let (code, _, err) = env.run(&[
                "session",
                "resume",
                &sid,
                "--answers",
                env.write("x.txt", b"x").to_str().unwrap_or_default(),
            ]);
            assert_eq!(code, 1, "{err}");
        }
    }
}

#[test]
fn bad_resume_files_get_one_clear_line_each() {
    let env = Env::new();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "corrupt.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage\n%%EOF".to_vec(),
            "the PDF could not be read",
        ),
        (
            "photo.pdf",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec(),
            "not a PDF or plain text file (it looks like a PNG image)",
        ),
        (
            "big.txt",
            vec![b'a'; 11 * 1024 * 1024],
            "the limit is 10 MB",
        ),
        (
            "locked.pdf",
            b"%PDF-1.6\ntrailer << /Root 1 0 R /Encrypt 5 0 R >>\n%%EOF".to_vec(),
            "password-protected",
        ),
        (
            "latin1.txt",
            b"Jos\xe9 M\xfcller, Rust developer".to_vec(),
            "not valid UTF-8",
        ),
        ("empty.pdf", Vec::new(), "empty"),
    ];
    for (name, bytes, expected) in cases {
        let path = env.write(name, &bytes);
        let (code, out, err) = env.run(&["resume", path.to_str().unwrap_or_default()]);
        assert_eq!(code, 1, "{name}: {out}{err}");
        assert_eq!(err.lines().count(), 1, "{name}: one line, got {err:?}");
        assert!(err.contains(expected), "{name}: {err}");
    }
}

#[test]
fn a_valid_pdf_resume_is_read_in_a_child_process_and_asked_about() {
    let env = Env::new();
    let pdf = env.write(
        "cv.pdf",
        &minimal_pdf("Senior Engineer at Acme Robotics. Kubernetes and PostgreSQL."),
    );
    let text = env.ok(&["resume", pdf.to_str().unwrap_or_default()]);
    assert!(text.contains("Acme Robotics"), "{text}");

    let id = env.published_interview("Engineer", "", "easy", "Python", 10, 2);
    let answers = env.write("a.txt", WEAK_ANSWERS.as_bytes());
    let out = env.ok(&[
        "interview",
        "run",
        &id,
        "--name",
        "Ann",
        "--email",
        "ann@example.com",
        "--resume",
        pdf.to_str().unwrap_or_default(),
        "--answers",
        answers.to_str().unwrap_or_default(),
    ]);
    assert!(out.contains("[resume]"), "{out}");
    assert_eq!(
        out.matches("[resume]").count(),
        1,
        "the résumé question is asked once"
    );
}

#[test]
fn a_broken_resume_never_blocks_the_interview() {
    let env = Env::new();
    let id = env.published_interview("Engineer", "", "easy", "Python", 10, 2);
    let bad = env.write("cv.pdf", b"\xFF\xD8\xFF\xE0 JPEG pretending");
    let answers = env.write("a.txt", WEAK_ANSWERS.as_bytes());
    let (code, out, err) = env.run(&[
        "interview",
        "run",
        &id,
        "--name",
        "Bo",
        "--email",
        "bo@example.com",
        "--resume",
        bad.to_str().unwrap_or_default(),
        "--answers",
        answers.to_str().unwrap_or_default(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: résumé not used") && err.contains("JPEG"),
        "{err}"
    );
    assert!(!out.contains("[resume]"));
    assert!(
        !env.dir.path().join("resumes").exists(),
        "nothing kept from a refused file"
    );
}

#[test]
fn bad_input_is_refused_with_one_line_and_nothing_half_written() {
    let env = Env::new();
    let id = env.published_interview("Engineer", "", "easy", "Python", 10, 2);
    let run = |answers: &std::path::Path| {
        env.run(&[
            "interview",
            "run",
            &id,
            "--name",
            "Al",
            "--email",
            "al@example.com",
            "--answers",
            answers.to_str().unwrap_or_default(),
        ])
    };
    for (name, bytes, expected) in [
        ("empty.txt", b"".to_vec(), "has no answers"),
        ("blank.txt", b"\n  \n\n".to_vec(), "has no answers"),
        ("bad.txt", b"caf\xe9\n".to_vec(), "not valid UTF-8"),
        ("bad.json", b"[1, 2".to_vec(), "not a JSON array of strings"),
    ] {
        let (code, _, err) = run(&env.write(name, &bytes));
        assert_eq!(code, 1, "{name}");
        assert_eq!(err.lines().count(), 1, "{name}: {err:?}");
        assert!(err.contains(expected), "{name}: {err}");
    }
    assert!(
        env.store()
            .list_sessions(None)
            .expect("sessions")
            .is_empty(),
        "no session was started"
    );

    let unknown = "01a2f0e0-0000-7000-8000-000000000000";
    for args in [
        vec!["interview", "show", unknown],
        vec!["report", "show", unknown],
        vec!["session", "close", unknown],
        vec![
            "interview",
            "run",
            "NOSUCH",
            "--name",
            "A",
            "--email",
            "a@b.co",
            "--answers",
            "x",
        ],
    ] {
        let (code, _, err) = env.run(&args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err:?}");
        assert!(err.starts_with("error: "), "{err}");
    }
    let (code, _, err) = env.run(&[
        "interview",
        "run",
        "NOSUCH",
        "--name",
        "A",
        "--email",
        "a@b.co",
        "--answers",
        env.write("ok.txt", b"hi").to_str().unwrap_or_default(),
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no interview with id or kiosk code `NOSUCH`"),
        "{err}"
    );

    // Usage errors exit 2.
    let (code, _, _) = env.run(&["interview", "create"]);
    assert_eq!(code, 2);
    let (code, _, _) = env.run(&["interview", "show", "not-a-uuid"]);
    assert_eq!(code, 2);
    let (code, _, err) = env.run(&[
        "interview",
        "run",
        &id,
        "--name",
        "A",
        "--email",
        "not-an-email",
        "--answers",
        env.write("ok2.txt", b"hi").to_str().unwrap_or_default(),
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("email: please enter an email address"),
        "{err}"
    );
}

#[test]
fn a_draft_cannot_be_run_and_the_kiosk_code_finds_the_published_revision() {
    let env = Env::new();
    let id = env
        .ok(&[
            "interview",
            "create",
            "--role",
            "Analyst",
            "--focus",
            "SQL",
            "--questions",
            "2",
        ])
        .trim()
        .to_string();
    let answers = env.write("a.txt", b"one\ntwo\n");
    let (code, _, err) = env.run(&[
        "interview",
        "run",
        &id,
        "--name",
        "A",
        "--email",
        "a@b.co",
        "--answers",
        answers.to_str().unwrap_or_default(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("publish it"), "{err}");
    let published: Value =
        serde_json::from_str(&env.ok(&["interview", "publish", &id, "--json"])).expect("json");
    let code = published["kiosk_code"]
        .as_str()
        .expect("code")
        .to_lowercase();
    let out = env.ok(&[
        "interview",
        "run",
        &code,
        "--name",
        "A",
        "--email",
        "a@b.co",
        "--answers",
        answers.to_str().unwrap_or_default(),
    ]);
    assert!(out.contains("Q1 [preset]"));
    env.ok(&["interview", "archive", &id]);
    let list: Value =
        serde_json::from_str(&env.ok(&["interview", "list", "--json"])).expect("json");
    assert_eq!(list[0]["status"], "archived");
}

#[test]
fn batch_scoring_reads_json_lines_and_explains_each_score() {
    let env = Env::new();
    let input = env.write(
        "items.jsonl",
        br#"{"id": "a", "question": "What does a compiler do?", "reference_answer": "It translates source code into machine code.", "answer": "It translates the source code into machine code before running."}
{"id": "b", "question": "What does a compiler do?", "reference_answer": "It translates source code into machine code.", "answer": "I don't know."}
{"id": 3, "question": "Explain overfitting.", "key_points": ["noise", {"label": "validation gap", "terms": ["validation", "unseen data"]}], "answer": "It fits noise and fails on unseen data."}
"#,
    );
    let out = env.ok(&["score", "--input", input.to_str().unwrap_or_default()]);
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(rows.len(), 3);
    assert!(rows[0]["score"].as_u64() > rows[1]["score"].as_u64());
    assert_eq!(rows[1]["score"], 0);
    assert_eq!(rows[1]["answer_quality"], "No answer");
    assert!(rows[0]["matched"]
        .as_array()
        .expect("matched")
        .iter()
        .any(|m| m == "translates"));
    assert_eq!(rows[2]["id"], 3);
    assert_eq!(
        rows[2]["matched"],
        serde_json::json!(["noise", "validation gap"])
    );

    let bad = env.write("bad.jsonl", b"{\"id\": 1, \"answer\": \"x\"}\n");
    let (code, _, err) = env.run(&["score", "--input", bad.to_str().unwrap_or_default()]);
    assert_eq!(code, 1);
    assert!(err.contains("line 1"), "{err}");
}

#[test]
fn reports_export_as_pdf_csv_json_one_by_one_or_in_bulk_and_never_overwrite() {
    let env = Env::new();
    let id = env.published_interview("Engineer", "Python services", "easy", "Python", 10, 2);
    let answers = env.write("a.txt", b"I write tests with pytest.\nI profile first.\n");
    let mut sessions = Vec::new();
    for name in ["José Müller", "李雷"] {
        let out = env.ok(&[
            "interview",
            "run",
            &id,
            "--name",
            name,
            "--email",
            "c@example.com",
            "--answers",
            answers.to_str().unwrap_or_default(),
        ]);
        sessions.push(out.lines().last().unwrap_or_default().trim().to_string());
    }
    let path = |name: &str| env.dir.path().join(name);
    let pdf = path("one.pdf");
    let pdf_arg = pdf.to_str().unwrap_or_default();
    let single = [
        "report",
        "export",
        &sessions[0],
        "--format",
        "pdf",
        "--paper",
        "letter",
        "--out",
        pdf_arg,
    ];
    env.ok(&single);
    let text = Command::new("pdftotext")
        .args([pdf_arg, "-"])
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(String::from_utf8_lossy(&text.stdout).contains("José Müller"));

    // The same export again is refused in one line and the file is untouched.
    let before = std::fs::read(&pdf).expect("pdf");
    let (code, _, err) = env.run(&single);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(&pdf).expect("pdf"), before);
    let mut forced = single.to_vec();
    forced.push("--force");
    env.ok(&forced);

    // Bulk: every report of the interview as one CSV in a folder.
    let dir = path("csv");
    env.ok(&[
        "report",
        "export",
        "--interview",
        &id,
        "--format",
        "csv",
        "--bom",
        "--out",
        dir.to_str().unwrap_or_default(),
    ]);
    let csv = std::fs::read_to_string(dir.join("reports.csv")).expect("csv");
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.contains("José Müller") && csv.contains("李雷"));

    // Bulk by date into a zip of PDFs.
    let zip = path("reports.zip");
    let today = chrono::Utc::now().date_naive().to_string();
    let out = env.ok(&[
        "report",
        "export",
        "--from",
        "2000-01-01",
        "--to",
        &today,
        "--format",
        "pdf",
        "--zip",
        "--out",
        zip.to_str().unwrap_or_default(),
    ]);
    assert!(out.contains("wrote 2 report(s)"), "{out}");
    let bytes = std::fs::read(&zip).expect("zip");
    assert!(bytes.starts_with(b"PK"));

    // A bulk export needs a selection; an empty one is an error, not an empty folder.
    let (code, _, _) = env.run(&["report", "export", "--out", "x"]);
    assert_eq!(code, 2);
    let empty = path("empty");
    let (code, _, err) = env.run(&[
        "report",
        "export",
        "--from",
        "2000-01-01",
        "--to",
        "2000-01-02",
        "--out",
        empty.to_str().unwrap_or_default(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no reports to export"), "{err}");
    assert!(!empty.exists());
}

#[test]
fn the_data_folder_and_every_file_written_are_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .env("PANELIST_DATA_DIR", &data)
            .env("PANELIST_WHISPER_MODEL", model_path())
            .args(args)
            .output()
            .expect("run panelist");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let id = run(&[
        "interview",
        "create",
        "--role",
        "Engineer",
        "--description",
        "Python services",
        "--difficulty",
        "easy",
        "--focus",
        "Python",
        "--minutes",
        "10",
        "--questions",
        "2",
    ]);
    run(&["interview", "publish", &id]);
    let answers = tmp.path().join("answers.txt");
    std::fs::write(&answers, "I write tests with pytest.\nI profile first.\n").expect("write");
    let out = run(&[
        "interview",
        "run",
        &id,
        "--name",
        "Ana Lima",
        "--email",
        "ana@example.com",
        "--answers",
        answers.to_str().unwrap_or_default(),
    ]);
    let session = out.lines().last().unwrap_or_default().trim().to_string();
    let export = tmp.path().join("report.json");
    run(&[
        "report",
        "export",
        &session,
        "--format",
        "json",
        "--out",
        export.to_str().unwrap_or_default(),
    ]);
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0)
    };
    assert_eq!(mode(&data), 0o700, "the data folder");
    let mut files = 0;
    for entry in walk(&data) {
        let m = mode(&entry);
        if entry.is_dir() {
            assert_eq!(m, 0o700, "{}", entry.display());
        } else {
            assert_eq!(m, 0o600, "{}", entry.display());
            files += 1;
        }
    }
    assert!(files >= 1, "the database at least");
    assert_eq!(mode(&data.join("panelist.sqlite3")), 0o600);
    assert_eq!(mode(&export), 0o600, "an exported report");
}

/// Every path under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.extend(walk(&path));
        }
        all.push(path);
    }
    all
}
