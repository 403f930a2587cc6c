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
    let (id, kiosk_code) = server.publish(
        &admin,
        json!({"job_role": "Data Scientist", "job_description": "Python and ML models",
            "difficulty": "medium", "focus_areas": ["ML", "Python"], "time_limit": 10,
            "num_questions": 2}),
    );
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
    let session = kiosk.run_interview(&kiosk_code, "John Doe", "john@example.com", &answers);
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

/// A minimal valid WAV (16 kHz mono, 16-bit) with a tone whose pitch tells files apart.
fn wav(pitch: f32, path: &std::path::Path) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..8_000 {
        let t = i as f32 / 16_000.0;
        w.write_sample(((t * pitch * std::f32::consts::TAU).sin() * 8_000.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
    std::fs::read(path).unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn answer_audio_is_uploaded_once_only_when_the_setting_is_on() {
    let server = ServerProc::start();
    let admin = server.admin_token();
    let kiosk = Env::new();
    server.enroll(&kiosk, None, None);
    let id = kiosk.published_interview("Engineer", "Python services", "easy", "Python", 5, 1);
    let answers = kiosk.write(
        "a.txt",
        b"I built Python services with tests.\nThey ran well.\n",
    );
    let session: panelist_core::SessionId = kiosk
        .run_interview(&id, "Audio Person", "audio@example.com", &answers)
        .parse()
        .unwrap();
    // Give every answer a recording, as the kiosk's microphone would.
    let responses = kiosk.store().responses(session).unwrap();
    let raw = rusqlite::Connection::open(kiosk.dir.path().join("panelist.sqlite3")).unwrap();
    let mut files = Vec::new();
    for (i, r) in responses.iter().enumerate() {
        let path = kiosk.dir.path().join(format!("answer-{i}.wav"));
        let bytes = wav(300.0 + 100.0 * i as f32, &path);
        raw.execute(
            "UPDATE responses SET audio_path = ?2 WHERE id = ?1",
            rusqlite::params![r.id.to_string(), path.display().to_string()],
        )
        .unwrap();
        files.push((r.id.to_string(), bytes));
    }
    let count = |server: &ServerProc| -> i64 {
        server.query::<(i64,)>("SELECT count(*) FROM response_audio")[0].0
    };

    // Off (the default): results are pushed, recordings stay on the kiosk.
    let report: Value = serde_json::from_str(&kiosk.ok(&["sync", "--json"])).unwrap();
    assert_eq!(report["audio_uploaded"], 0, "{report}");
    assert_eq!(count(&server), 0);

    // On: each recording once, byte for byte.
    kiosk
        .store()
        .set_setting(panelist_sync::UPLOAD_AUDIO_SETTING, Some("true"))
        .unwrap();
    let report: Value = serde_json::from_str(&kiosk.ok(&["sync", "--json"])).unwrap();
    assert_eq!(report["audio_uploaded"], files.len() as u64, "{report}");
    assert_eq!(count(&server), files.len() as i64);
    let report: Value = serde_json::from_str(&kiosk.ok(&["sync", "--json"])).unwrap();
    assert_eq!(report["audio_uploaded"], 0, "nothing twice: {report}");
    let http = reqwest::blocking::Client::new();
    let (first_id, first_bytes) = &files[0];
    let got = http
        .get(format!("{}/api/responses/{first_id}/audio", server.url()))
        .bearer_auth(&admin)
        .send()
        .unwrap();
    assert_eq!(got.status().as_u16(), 200);
    assert_eq!(got.bytes().unwrap().as_ref(), first_bytes.as_slice());

    // The server's rules: other bytes for a stored recording, a damaged body, an unknown
    // response and a missing token are refused.
    let token = kiosk.store().sync_setting("device_token").unwrap().unwrap();
    let put = |id: &str, body: Vec<u8>, sha: &str, token: Option<&str>| -> u16 {
        let mut r = http
            .put(format!("{}/api/sync/audio/{id}", server.url()))
            .header("x-content-sha256", sha)
            .body(body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().unwrap().status().as_u16()
    };
    let other = wav(900.0, &kiosk.dir.path().join("other.wav"));
    assert_eq!(
        put(first_id, other.clone(), &sha256(&other), Some(&token)),
        422
    );
    assert_eq!(
        put(
            first_id,
            first_bytes.clone(),
            &sha256(first_bytes),
            Some(&token)
        ),
        200,
        "the same bytes again are acknowledged"
    );
    assert_eq!(
        put(first_id, other.clone(), &sha256(first_bytes), Some(&token)),
        400
    );
    assert_eq!(
        put(&uuid_like(), other.clone(), &sha256(&other), Some(&token)),
        404
    );
    assert_eq!(put(first_id, other.clone(), &sha256(&other), None), 401);
    assert_eq!(count(&server), files.len() as i64);
}

fn uuid_like() -> String {
    "01900000-0000-7000-8000-00000000abcd".to_string()
}

#[test]
fn a_review_and_an_erasure_on_the_kiosk_reach_the_server() {
    let server = ServerProc::start();
    let admin_token = server.admin_token();
    let kiosk = Env::new();
    server.enroll(&kiosk, None, None);
    staff_accounts(&kiosk);
    let id = kiosk.published_interview("Engineer", "Python services", "easy", "Python", 5, 1);
    let answers = kiosk.write(
        "a.txt",
        b"I built Python services with tests.\nThey ran well.\n",
    );
    let run = |name: &str, email: &str| kiosk.run_interview(&id, name, email, &answers);
    let erased = run("Wilhelmina Forgetme", "wil@example.org");
    let kept = run("Konrad Keeper", "konrad@example.org");
    // Recordings for the erased candidate's answers, uploaded with the setting on.
    let raw = rusqlite::Connection::open(kiosk.dir.path().join("panelist.sqlite3")).unwrap();
    for (i, r) in kiosk
        .store()
        .responses(erased.parse().unwrap())
        .unwrap()
        .iter()
        .enumerate()
    {
        let path = kiosk.dir.path().join(format!("w-{i}.wav"));
        wav(440.0, &path);
        raw.execute(
            "UPDATE responses SET audio_path = ?2 WHERE id = ?1",
            rusqlite::params![r.id.to_string(), path.display().to_string()],
        )
        .unwrap();
    }
    kiosk
        .store()
        .set_setting(panelist_sync::UPLOAD_AUDIO_SETTING, Some("true"))
        .unwrap();
    kiosk.ok(&["sync"]);

    // HR signs a report off on the kiosk; the server's session list shows the review.
    kiosk.ok(&[
        "report",
        "review",
        &kept,
        "--by",
        "hugo@example.com",
        "--note",
        "Checked",
    ]);
    kiosk.ok(&["sync"]);
    let (_, sessions) = server.call("GET", "/api/sessions", Some(&admin_token), None);
    let row = |sessions: &Value, id: &str| -> Option<Value> {
        sessions
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .cloned()
    };
    let kept_row = row(&sessions, &kept).expect("kept session on the server");
    assert_eq!(
        kept_row["review"]["reviewed_by"], "hugo@example.com",
        "{kept_row}"
    );
    assert_eq!(kept_row["review"]["note"], "Checked");
    assert!(row(&sessions, &erased).unwrap()["review"].is_null());
    let audio = |server: &ServerProc| -> i64 {
        server.query::<(i64,)>("SELECT count(*) FROM response_audio")[0].0
    };
    assert!(audio(&server) > 0);

    // The candidate is erased on the kiosk; after the next sync the server has nothing
    // of them either: session, answers, recordings, report.
    let list: Value = serde_json::from_str(&kiosk.ok(&["candidate", "list", "--json"])).unwrap();
    let candidate = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Wilhelmina Forgetme")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    kiosk.ok(&["candidate", "erase", &candidate]);
    let out = kiosk.ok(&["sync", "--json"]);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["pending"], 0, "{out}");
    let (_, sessions) = server.call("GET", "/api/sessions", Some(&admin_token), None);
    assert!(row(&sessions, &erased).is_none(), "{sessions}");
    assert!(row(&sessions, &kept).is_some());
    let named = server
        .query::<(i64,)>("SELECT count(*) FROM sessions WHERE candidate::text LIKE '%Wilhelmina%'")
        [0]
    .0;
    assert_eq!(named, 0);
    let left = server.query::<(i64,)>(&format!(
        "SELECT (SELECT count(*) FROM responses WHERE session_id = '{erased}') + \
         (SELECT count(*) FROM reports WHERE session_id = '{erased}')"
    ))[0]
        .0;
    assert_eq!(left, 0);
    assert_eq!(
        audio(&server),
        0,
        "their recordings are gone from the server"
    );
    let (status, _) = server.call(
        "GET",
        &format!("/api/reports/session/{erased}"),
        Some(&admin_token),
        None,
    );
    assert_eq!(status, 404);
}

/// Kiosk codes are unique on the server: when a kiosk publishes an interview whose code
/// another interview there already has, the server gives it a new one and the kiosk
/// adopts it (the interview and its revision answer to the new code, not the old one).
#[test]
fn a_kiosk_code_taken_on_the_server_is_replaced_and_the_kiosk_adopts_the_new_one() {
    let server = ServerProc::start();
    let admin = server.admin_token();
    let enroll = |kiosk: &Env, name: &str| server.enroll(kiosk, None, Some(name));
    let a = Env::new();
    enroll(&a, "lobby-a");
    let id_a = a.published_interview("Engineer", "Python services", "easy", "Python", 5, 1);
    a.ok(&["sync"]);
    let taken = a
        .store()
        .get_interview(id_a.parse().unwrap())
        .unwrap()
        .kiosk_code
        .unwrap();

    // Kiosk B publishes an interview that happens to draw the same code (forced here:
    // the interview, its revision and the queued change all carry it, as if drawn).
    let b = Env::new();
    enroll(&b, "lobby-b");
    let id_b = b.published_interview("Analyst", "SQL and reports", "easy", "SQL", 5, 1);
    {
        let db = rusqlite::Connection::open(b.dir.path().join("panelist.sqlite3")).unwrap();
        db.execute(
            "UPDATE interviews SET kiosk_code = ?2 WHERE id = ?1",
            rusqlite::params![id_b, taken],
        )
        .unwrap();
        db.execute(
            "UPDATE interview_revisions SET kiosk_code = ?2, \
             snapshot = json_set(snapshot, '$.kiosk_code', ?2) WHERE interview_id = ?1",
            rusqlite::params![id_b, taken],
        )
        .unwrap();
        let queued = db
            .execute(
                "UPDATE outbox SET body = json_set(body, '$.kiosk_code', ?2) \
                 WHERE kind = 'revision' AND subject = ?1",
                rusqlite::params![id_b, taken],
            )
            .unwrap();
        assert_eq!(queued, 1);
    }
    let out = b.ok(&["sync"]);
    assert!(out.contains("pushed 1 change(s)"), "{out}");

    // The server kept A's code for A and gave B's interview another one…
    let (_, listed) = server.call("GET", "/api/interviews", Some(&admin), None);
    let code_of = |id: &str| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .and_then(|i| i["kiosk_code"].as_str())
            .map(str::to_string)
            .unwrap_or_else(|| panic!("{id} not listed: {listed}"))
    };
    assert_eq!(code_of(&id_a), taken);
    let assigned = code_of(&id_b);
    assert_ne!(assigned, taken);
    // …which kiosk B now uses: its interview and revision answer to it.
    let store = b.store();
    let local = store.get_interview(id_b.parse().unwrap()).unwrap();
    assert_eq!(local.kiosk_code.as_deref(), Some(assigned.as_str()));
    assert_eq!(
        store
            .get_revision(id_b.parse().unwrap(), 1)
            .unwrap()
            .kiosk_code,
        assigned
    );
    assert_eq!(
        store.interview_by_code(&assigned).unwrap(),
        Some(id_b.parse().unwrap())
    );
    // B pulled A's interview first: the taken code now finds A's interview on B too.
    assert_eq!(
        store.interview_by_code(&taken).unwrap(),
        Some(id_a.parse().unwrap())
    );
    // A second sync has nothing to push and keeps the adopted code.
    let out = b.ok(&["sync"]);
    assert!(!out.contains("pushed 1 change(s)"), "{out}");
}

/// Enrolling over plain http to another machine is refused before anything is sent
/// (the code and later the device token would cross the network in clear text);
/// `--insecure-http` allows it for a lab, with a loud warning.
#[test]
fn enrolling_over_plain_http_to_another_machine_is_refused() {
    let kiosk = Env::new();
    let (code, _, err) = kiosk.run(&[
        "enroll",
        "--server",
        "http://example.com",
        "--code",
        "ABCD-EFGH-JKMN",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("refusing plain http") && err.contains("https://"),
        "{err}"
    );
    // A lab: allowed and warned about. Nothing answers at this documentation address
    // (TEST-NET-1), so enrollment then fails on the network, after the warning.
    let (code, _, err) = kiosk.run(&[
        "enroll",
        "--server",
        "http://192.0.2.1:9",
        "--code",
        "ABCD-EFGH-JKMN",
        "--insecure-http",
        "--attempts",
        "1",
        "--timeout-secs",
        "0.5",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("WARNING: --insecure-http"), "{err}");
    assert!(!err.contains("refusing plain http"), "{err}");
    assert!(
        kiosk.store().sync_setting("server").unwrap().is_none(),
        "nothing is stored when enrollment fails"
    );
}

/// One poisoned item never stops sync. Pulled: a revision the server holds from before
/// the interview rules (a 0-minute limit) that the kiosk's CHECK refuses is set aside and
/// the cursor moves on to the next one. Pushed: a change the server refuses (the kiosk
/// republished an interview it did not create: 403) is set aside with its reason while
/// the other changes go through, and the next sync does not send it again.
#[test]
fn a_poisoned_item_is_set_aside_and_the_rest_syncs() {
    let server = ServerProc::start();
    let admin = server.admin_token();
    let publish_on_server = |role: &str| -> String {
        let spec = json!({"job_role": role, "difficulty": "easy", "time_limit": 10,
            "num_questions": 1});
        server.publish(&admin, spec).0
    };
    let hr_interview = publish_on_server("Data Scientist");
    let kiosk = Env::new();
    server.enroll(&kiosk, None, None);
    let out = kiosk.ok(&["sync"]);
    assert!(out.contains("pulled 1 revision(s)"), "{out}");

    // A legacy revision on the server, then a good one after it in the feed.
    let legacy = uuid::Uuid::now_v7();
    let spec = json!({"job_role": "Legacy", "job_description": "", "difficulty": "easy",
        "focus_areas": [], "time_limit_minutes": 0, "avatar": "ada", "num_questions": 1,
        "max_follow_ups_per_preset": 1});
    let questions = json!([{"text": "Why?"}]);
    let snapshot = json!({"interview_id": legacy, "revision": 1, "spec": spec,
        "questions": questions, "kiosk_code": "ZZZZZZ", "published_at": "2026-03-01T10:00:00Z"});
    let _: Vec<(i32,)> = server.query(&format!(
        "INSERT INTO interviews (id, spec, questions, status, revision, kiosk_code, created_by) \
         VALUES ('{legacy}', '{spec}', '{questions}', 'published', 1, 'ZZZZZZ', 'legacy') RETURNING 1"
    ));
    let _: Vec<(i32,)> = server.query(&format!(
        "INSERT INTO interview_revisions (interview_id, revision, snapshot, published_at) \
         VALUES ('{legacy}', 1, '{snapshot}', now()) RETURNING 1"
    ));
    let _: Vec<(i64,)> = server.query(&format!(
        "INSERT INTO revision_feed (interview_id, event, revision) \
         VALUES ('{legacy}', 'published', 1) RETURNING id"
    ));
    let after_legacy = publish_on_server("Analyst");

    // The kiosk republishes the server's interview (refused there) and publishes its own.
    kiosk.ok(&["interview", "publish", &hr_interview]);
    let own = kiosk.published_interview("Engineer", "Python services", "easy", "Python", 5, 1);

    let out = kiosk.ok(&["sync"]);
    assert!(out.contains("pulled 1 revision(s)"), "{out}");
    assert!(out.contains("pushed 1 change(s)"), "{out}");
    assert!(out.contains("set aside 2 item(s)"), "{out}");
    let store = kiosk.store();
    assert!(store.get_interview(after_legacy.parse().unwrap()).is_ok());
    assert!(store
        .get_interview(legacy.to_string().parse().unwrap())
        .is_err());
    let (_, listed) = server.call("GET", "/api/interviews", Some(&admin), None);
    let revision_of = |id: &str| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .map(|i| i["revision"].clone())
    };
    assert_eq!(revision_of(&own), Some(json!(1)), "{listed}");
    assert_eq!(revision_of(&hr_interview), Some(json!(1)), "{listed}");

    let status = kiosk.ok(&["sync", "--status"]);
    assert!(status.contains("2 item(s) set aside"), "{status}");
    assert!(
        status.contains("push revision") && status.contains("403 forbidden"),
        "{status}"
    );
    assert!(
        status.contains("pull revision") && status.contains("CHECK constraint"),
        "{status}"
    );
    assert!(status.contains("0 change(s) waiting"), "{status}");

    // The next sync sends nothing: the refused change is not resent blindly.
    let (mutations_before,) = server.query::<(i64,)>("SELECT count(*) FROM mutations")[0];
    let out = kiosk.ok(&["sync"]);
    assert!(out.contains("pushed 0 change(s)"), "{out}");
    assert!(!out.contains("set aside"), "{out}");
    let (mutations_after,) = server.query::<(i64,)>("SELECT count(*) FROM mutations")[0];
    assert_eq!(mutations_before, mutations_after);
}
