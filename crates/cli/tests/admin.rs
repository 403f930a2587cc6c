//! HR's script commands on a real data directory: candidate list/erase, report review,
//! audit verify (exit 1 at the first broken entry), backup.

mod util;

use util::*;

fn interviewed(env: &Env, name: &str, email: &str) -> String {
    let id = env.published_interview("Engineer", "Python services", "medium", "Python", 10, 2);
    let answers = env.write(
        &format!("{email}.txt"),
        b"I built Python services with tests.\nI would profile it first.\nWe used queues.\n",
    );
    let out = env.ok(&[
        "interview",
        "run",
        &id,
        "--name",
        name,
        "--email",
        email,
        "--answers",
        answers.to_str().unwrap_or_default(),
    ]);
    out.lines().last().unwrap_or_default().trim().to_string()
}

#[test]
fn hr_scripts_review_erase_verify_and_back_up() {
    let env = Env::new();
    staff_accounts(&env);
    let session = interviewed(&env, "Quincy Erasable", "quincy@example.org");
    let _keep = interviewed(&env, "Petra Stays", "petra@example.org");

    // Review: only an hr or admin account may sign off, and it makes the report final.
    let (code, _, err) = env.run(&[
        "report",
        "review",
        &session,
        "--by",
        "rita@example.com",
        "--note",
        "ok",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("may not review"), "{err}");
    let (code, _, err) = env.run(&[
        "report",
        "review",
        &session,
        "--by",
        "nobody@example.com",
        "--note",
        "ok",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("no account"), "{err}");
    env.ok(&[
        "report",
        "adjust",
        &session,
        "--by",
        "hugo@example.com",
        "--score",
        "technical",
        "--value",
        "77",
        "--reason",
        "The transcript dropped a term",
    ]);
    let out = env.ok(&[
        "report",
        "review",
        &session,
        "--by",
        "hugo@example.com",
        "--note",
        "Checked",
    ]);
    assert!(out.contains("final"), "{out}");
    let shown = env.ok(&["report", "show", &session]);
    assert!(
        shown.contains("Final: signed off by hugo@example.com"),
        "{shown}"
    );
    assert!(
        shown.contains("Technical adjusted by hugo@example.com"),
        "{shown}"
    );
    let (code, _, err) = env.run(&[
        "report",
        "review",
        &session,
        "--by",
        "hugo@example.com",
        "--note",
        "again",
    ]);
    assert_eq!(code, 1, "a final report is signed off once");
    assert!(err.contains("final"), "{err}");

    // Candidate list and erasure.
    let list = env.ok(&["candidate", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&list).expect("json");
    let quincy = rows
        .as_array()
        .and_then(|r| r.iter().find(|c| c["name"] == "Quincy Erasable"))
        .and_then(|c| c["id"].as_str())
        .expect("quincy listed")
        .to_string();
    let out = env.ok(&["candidate", "erase", &quincy]);
    assert!(out.contains("1 session(s)"), "{out}");
    let list = env.ok(&["candidate", "list"]);
    assert!(
        !list.contains("Quincy") && list.contains("Petra Stays"),
        "{list}"
    );
    let db = std::fs::read(env.dir.path().join("panelist.sqlite3")).expect("db");
    assert!(
        !db.windows(b"Quincy Erasable".len())
            .any(|w| w == b"Quincy Erasable"),
        "the name is still in the database file"
    );
    let (code, _, err) = env.run(&["report", "show", &session]);
    assert_eq!(code, 1, "{err}");

    // Backup: a consistent copy that opens and holds the surviving candidate; an
    // existing file is not replaced.
    let backup = env.dir.path().join("backup.sqlite3");
    env.ok(&["backup", "--out", backup.to_str().unwrap_or_default()]);
    let copy = panelist_store::Store::open(&backup).expect("open backup");
    assert_eq!(copy.integrity_check().expect("check"), "ok");
    assert_eq!(copy.candidate_summaries().expect("list").len(), 1);
    let (code, _, err) = env.run(&["backup", "--out", backup.to_str().unwrap_or_default()]);
    assert_eq!(code, 1);
    assert!(err.contains("exists"), "{err}");

    // The audit chain verifies, and a tampered entry fails with exit 1 naming it.
    let out = env.ok(&["audit", "verify"]);
    assert!(out.contains("intact"), "{out}");
    let raw = rusqlite::Connection::open(env.dir.path().join("panelist.sqlite3")).expect("raw");
    raw.execute(
        "UPDATE audit_log SET actor = 'user:mallory@example.com' WHERE seq = 4",
        [],
    )
    .expect("tamper");
    let (code, _, err) = env.run(&["audit", "verify"]);
    assert_eq!(code, 1);
    assert!(err.contains("broken at entry #4"), "{err}");
}

#[test]
fn first_run_setup_from_the_shell_the_administrator_then_the_pin() {
    let env = Env::new();
    let (code, out, _) = env.run(&["--json", "kiosk", "status"]);
    assert_eq!(code, 1, "a new kiosk is not set up");
    assert!(out.contains(r#""administrator":false"#), "{out}");
    // Too short a password is refused, and nothing is created.
    let (code, _, err) = env.run_with_stdin(
        &[
            "kiosk",
            "first-admin",
            "--email",
            "root@example.com",
            "--name",
            "Root",
            "--password-stdin",
        ],
        "short\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains("12 characters"), "{err}");
    let (code, _, err) = env.run_with_stdin(
        &[
            "kiosk",
            "first-admin",
            "--email",
            "root@example.com",
            "--name",
            "Root",
            "--password-stdin",
        ],
        "a long staff password\n",
    );
    assert_eq!(code, 0, "{err}");
    // Only the first: a second "first administrator" is refused.
    let (code, _, err) = env.run_with_stdin(
        &[
            "kiosk",
            "first-admin",
            "--email",
            "mallory@example.com",
            "--name",
            "M",
            "--password-stdin",
        ],
        "another long password\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    // A PIN of four digits is refused; six are accepted; then the kiosk is set up.
    let (code, _, err) = env.run_with_stdin(&["kiosk", "set-pin", "--pin-stdin"], "2468\n");
    assert_eq!(code, 1);
    assert!(err.contains("6 to 12 digits"), "{err}");
    let (code, _, err) = env.run_with_stdin(&["kiosk", "set-pin", "--pin-stdin"], "246810\n");
    assert_eq!(code, 0, "{err}");
    let out = env.ok(&["--json", "kiosk", "status"]);
    assert!(
        out.contains(r#""administrator":true"#) && out.contains(r#""pin_set":true"#),
        "{out}"
    );
}
