//! Store tests against real SQLite files in temporary directories.

use chrono::{TimeZone, Utc};
use panelist_core::*;
use panelist_store::{Store, StoreError, SCHEMA_VERSION};

fn at(min: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 10, min, 0)
        .single()
        .expect("date")
}

fn interview() -> Interview {
    Interview {
        id: InterviewId::new(),
        spec: InterviewSpec {
            job_role: "Data Scientist".into(),
            job_description: "Build models".into(),
            difficulty: Difficulty::Hard,
            focus_areas: vec!["machine-learning".into()],
            time_limit_minutes: 10,
            avatar: "ada".into(),
            num_questions: 2,
            max_follow_ups_per_preset: 1,
            language: Default::default(),
        },
        questions: vec![
            Question {
                text: "What is overfitting?".into(),
                tags: vec!["ml".into()],
                key_points: vec![KeyPoint {
                    label: "noise".into(),
                    terms: vec!["noise".into()],
                }],
                follow_ups: vec!["Example?".into()],
                source: Some("ml-easy-01".into()),
            },
            Question {
                text: "Explain cross-validation.".into(),
                tags: vec![],
                key_points: vec![],
                follow_ups: vec![],
                source: None,
            },
        ],
        status: InterviewStatus::Draft,
        revision: 0,
        kiosk_code: None,
        created_at: at(0),
        updated_at: at(0),
    }
}

fn session_for(store: &mut Store, published: &InterviewRevision) -> Session {
    try_session(store, published).expect("session")
}

fn try_session(store: &mut Store, published: &InterviewRevision) -> Result<Session, StoreError> {
    let candidate = Candidate {
        id: CandidateId::new(),
        name: "José Müller".into(),
        email: "jose@example.com".into(),
        phone: None,
        resume_file: None,
        resume_text: Some("Rust at Acme".into()),
        created_at: at(1),
    };
    store.insert_candidate(&candidate).expect("candidate");
    let session = Session {
        id: SessionId::new(),
        interview_id: published.interview_id,
        revision: published.revision,
        candidate_id: candidate.id,
        status: SessionStatus::Pending,
        started_at: None,
        ended_at: None,
        current_question: None,
        end_reason: None,
        created_at: at(1),
    };
    let consent = ConsentRecord {
        id: ConsentId::new(),
        candidate_id: candidate.id,
        session_id: session.id,
        notice_version: "2026-01".into(),
        granted_at: at(1),
    };
    store.insert_session(&session, &consent)?;
    Ok(session)
}

fn response(session: SessionId, number: u32) -> Response {
    Response {
        id: ResponseId::new(),
        session_id: session,
        question: AskedQuestion {
            number,
            question_type: if number == 2 {
                QuestionType::FollowUp
            } else {
                QuestionType::Preset
            },
            preset_index: Some(0),
            text: format!("Question {number}"),
            allotted_seconds: 60,
        },
        transcript: format!("Answer {number}"),
        audio_path: Some(format!("audio/{number}.wav")),
        answer_started_at: at(2),
        answered_at: at(3),
        answer_seconds: 42.5,
        timed_out: false,
    }
}

#[test]
fn migrations_run_on_an_empty_file_and_reopening_is_idempotent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("panelist.sqlite3");
    {
        let store = Store::open(&path).expect("open");
        assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
        assert_eq!(store.integrity_check().expect("check"), "ok");
    }
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
}

#[test]
fn a_newer_schema_is_refused_not_damaged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db");
    drop(Store::open(&path).expect("open"));
    rusqlite::Connection::open(&path)
        .expect("open raw")
        .pragma_update(None, "user_version", 99)
        .expect("set version");
    match Store::open(&path) {
        Err(StoreError::TooNew { found: 99, .. }) => {}
        other => panic!("expected TooNew, got {:?}", other.err()),
    }
}

#[test]
fn interviews_round_trip_and_revisions_are_frozen() {
    let mut store = Store::open_in_memory().expect("store");
    let mut iv = interview();
    store.insert_interview(&iv).expect("insert");
    assert_eq!(store.get_interview(iv.id).expect("get"), iv);

    let rev1 = store
        .publish_interview(iv.id, "ABC123", at(5))
        .expect("publish");
    assert_eq!(rev1.revision, 1);
    assert_eq!(
        store.interview_by_code("abc123").expect("code"),
        Some(iv.id)
    );

    // Editing the draft after publishing does not change revision 1.
    iv.questions[0].text = "Changed?".into();
    iv.updated_at = at(6);
    store.update_interview(&iv).expect("update");
    assert_eq!(
        store.get_revision(iv.id, 1).expect("rev").questions[0].text,
        "What is overfitting?"
    );
    let rev2 = store
        .publish_interview(iv.id, "IGNORED", at(7))
        .expect("publish again");
    assert_eq!(
        (rev2.revision, rev2.kiosk_code.as_str()),
        (2, "ABC123"),
        "the code is kept"
    );
    assert_eq!(
        store.get_revision(iv.id, 2).expect("rev").questions[0].text,
        "Changed?"
    );
    assert_eq!(store.list_interviews().expect("list").len(), 1);
}

#[test]
fn unknown_ids_are_not_found() {
    let store = Store::open_in_memory().expect("store");
    assert!(matches!(
        store.get_interview(InterviewId::new()),
        Err(StoreError::NotFound {
            kind: "interview",
            ..
        })
    ));
    assert!(matches!(
        store.get_report(SessionId::new()),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn answers_are_committed_in_order_and_a_duplicate_number_is_refused() {
    let mut store = Store::open_in_memory().expect("store");
    let iv = interview();
    store.insert_interview(&iv).expect("insert");
    let rev = store
        .publish_interview(iv.id, "CODE01", at(5))
        .expect("publish");
    let session = session_for(&mut store, &rev);
    assert_eq!(
        store
            .consent_for(session.id)
            .expect("consent")
            .notice_version,
        "2026-01"
    );
    store.start_session(session.id, at(2)).expect("start");
    let asked = response(session.id, 1).question;
    store
        .set_current_question(session.id, Some(&asked))
        .expect("current");
    assert_eq!(
        store.get_session(session.id).expect("get").current_question,
        Some(asked)
    );

    let r1 = response(session.id, 1);
    let r2 = response(session.id, 2);
    store.commit_response(&r1).expect("r1");
    store.commit_response(&r2).expect("r2");
    assert!(store.commit_response(&response(session.id, 2)).is_err());
    assert_eq!(
        store.responses(session.id).expect("responses"),
        vec![r1, r2]
    );
    let s = store.get_session(session.id).expect("get");
    assert_eq!(s.status, SessionStatus::InProgress);
    assert_eq!(
        s.current_question, None,
        "committing clears the current question"
    );
}

#[test]
fn a_session_needs_a_published_revision() {
    let mut store = Store::open_in_memory().expect("store");
    let iv = interview();
    store.insert_interview(&iv).expect("insert");
    let fake = InterviewRevision {
        interview_id: iv.id,
        revision: 1,
        spec: iv.spec.clone(),
        questions: vec![],
        kiosk_code: "X".into(),
        published_at: at(0),
    };
    assert!(
        matches!(try_session(&mut store, &fake), Err(StoreError::Sqlite(_))),
        "foreign keys must refuse an unpublished revision"
    );
}

#[test]
fn audit_events_are_appended_in_order() {
    let mut store = Store::open_in_memory().expect("store");
    for action in ["interview.create", "interview.publish"] {
        store
            .append_audit(&AuditEvent {
                id: AuditId::new(),
                at: at(1),
                actor: "cli".into(),
                action: action.into(),
                subject: "x".into(),
                detail: serde_json::json!({"k": 1}),
            })
            .expect("audit");
    }
    let log = store.audit_log().expect("log");
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["interview.create", "interview.publish"]
    );
}

#[test]
fn users_are_found_by_email_case_insensitively() {
    let mut store = Store::open_in_memory().expect("store");
    let user = User {
        id: UserId::new(),
        email: "Admin@Example.com".into(),
        password_hash: "$argon2id$v=19$...".into(),
        full_name: "Ada".into(),
        role: Role::Admin,
        created_at: at(0),
    };
    store.insert_user(&user).expect("insert");
    assert_eq!(
        store.user_by_email("admin@example.com").expect("find"),
        Some(user)
    );
    assert_eq!(
        store.user_by_email("nobody@example.com").expect("find"),
        None
    );
}

#[test]
fn changes_are_queued_in_the_outbox_in_order_and_a_refused_change_queues_nothing() {
    let mut store = Store::open_in_memory().expect("store");
    let iv = interview();
    store.insert_interview(&iv).expect("insert");
    let rev = store
        .publish_interview(iv.id, "CODE01", at(5))
        .expect("publish");
    let session = session_for(&mut store, &rev);
    store.start_session(session.id, at(2)).expect("start");
    store
        .commit_response(&response(session.id, 1))
        .expect("answer");
    let before = store.outbox_counts().expect("counts");
    assert!(store.commit_response(&response(session.id, 1)).is_err());
    assert_eq!(
        store.outbox_counts().expect("counts"),
        before,
        "a rolled-back answer leaves no outbox row"
    );
    store
        .end_session(session.id, SessionStatus::Abandoned, "closed", at(9))
        .expect("end");

    let items = store.pending_outbox(100).expect("pending");
    let kinds: Vec<&str> = items.iter().map(|i| i.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "revision",
            "session",
            "session_update",
            "response",
            "session_update"
        ]
    );
    assert!(items.windows(2).all(|w| w[0].seq < w[1].seq));
    let created: serde_json::Value = serde_json::from_str(&items[1].body).expect("json");
    assert_eq!(created["candidate"]["name"], "José Müller");
    assert_eq!(created["consent"]["notice_version"], "2026-01");
    let ended: Session = serde_json::from_str(&items[4].body).expect("session json");
    assert_eq!(ended.status, SessionStatus::Abandoned);

    store
        .mark_pushed(&[items[0].mutation_id, items[1].mutation_id], at(10))
        .expect("mark");
    let left = store.pending_outbox(100).expect("pending");
    assert_eq!(left.len(), 3);
    assert_eq!(left[0].mutation_id, items[2].mutation_id);
    assert_eq!(
        store.outbox_counts().expect("counts"),
        panelist_store::OutboxCounts {
            pending: 3,
            pushed: 2,
            set_aside: 0
        }
    );
}

#[test]
fn a_pulled_revision_is_imported_once_and_not_queued_back() {
    let mut source = Store::open_in_memory().expect("source");
    let iv = interview();
    source.insert_interview(&iv).expect("insert");
    let rev = source
        .publish_interview(iv.id, "PULL01", at(5))
        .expect("publish");

    let mut kiosk = Store::open_in_memory().expect("kiosk");
    assert!(kiosk.import_revision(&rev).expect("import"));
    assert!(!kiosk.import_revision(&rev).expect("again"));
    assert_eq!(kiosk.outbox_counts().expect("counts").pending, 0);
    assert_eq!(kiosk.get_revision(iv.id, 1).expect("revision"), rev);
    assert_eq!(
        kiosk.interview_by_code("pull01").expect("code"),
        Some(iv.id)
    );
    let local = kiosk.get_interview(iv.id).expect("interview");
    assert_eq!(local.status, InterviewStatus::Published);
    assert_eq!(local.questions, rev.questions);
    // A session can run against the pulled revision.
    session_for(&mut kiosk, &rev);
}

#[test]
fn sync_settings_are_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db");
    {
        let mut store = Store::open(&path).expect("open");
        assert_eq!(store.sync_setting("server").expect("get"), None);
        store.set_sync_setting("server", "http://a").expect("set");
        store.set_sync_setting("server", "http://b").expect("set");
    }
    let store = Store::open(&path).expect("reopen");
    assert_eq!(
        store.sync_setting("server").expect("get").as_deref(),
        Some("http://b")
    );
}

#[test]
fn a_schema_1_file_gains_the_outbox_and_keeps_its_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db");
    let id = {
        let mut store = Store::open(&path).expect("open");
        let iv = interview();
        store.insert_interview(&iv).expect("insert");
        iv.id
    };
    // Turn the file back into what schema 1 wrote.
    {
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.execute_batch(
            "DROP TABLE audio_uploads; DROP TABLE audit_log; DROP TABLE score_adjustments; DROP TABLE exports; \
             DROP TABLE login_failures; DROP TABLE settings; \
             ALTER TABLE reports DROP COLUMN review_note; \
             CREATE TABLE audit_events (id TEXT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, \
                 action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL); \
             DROP TABLE outbox; DROP TABLE sync_settings; DROP TABLE pull_set_aside; \
             ALTER TABLE interviews DROP COLUMN language; \
             PRAGMA user_version = 1;",
        )
        .expect("downgrade");
    }
    let mut store = Store::open(&path).expect("migrate");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    assert_eq!(store.get_interview(id).expect("kept").id, id);
    store
        .publish_interview(id, "MIGR01", at(5))
        .expect("publish");
    assert_eq!(store.outbox_counts().expect("counts").pending, 1);
}

#[test]
fn the_language_is_stored_and_a_schema_5_file_reads_as_english() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db");
    let (english, german) = {
        let mut store = Store::open(&path).expect("open");
        let english = interview();
        store.insert_interview(&english).expect("insert");
        store
            .publish_interview(english.id, "LANG01", at(1))
            .expect("publish");
        let mut german = interview();
        german.id = InterviewId::new();
        german.spec.language = Language::German;
        store.insert_interview(&german).expect("insert");
        assert_eq!(
            store.get_interview(german.id).expect("get").spec.language,
            Language::German
        );
        german.spec.language = Language::Spanish;
        store.update_interview(&german).expect("update");
        let rev = store
            .publish_interview(german.id, "LANG02", at(2))
            .expect("publish");
        assert_eq!(rev.spec.language, Language::Spanish);
        (english.id, german.id)
    };
    // Back to what schema 5 wrote: no language column, revision snapshots without it.
    {
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.execute_batch(
            "ALTER TABLE interviews DROP COLUMN language; \
             UPDATE interview_revisions SET snapshot = json_remove(snapshot, '$.spec.language'); \
             PRAGMA user_version = 5;",
        )
        .expect("downgrade");
        let raw: String = conn
            .query_row(
                "SELECT snapshot FROM interview_revisions WHERE interview_id = ?1",
                [german.to_string()],
                |r| r.get(0),
            )
            .expect("snapshot");
        assert!(!raw.contains("language"), "{raw}");
    }
    let store = Store::open(&path).expect("migrate");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    assert_eq!(
        store.get_interview(english).expect("get").spec.language,
        Language::English
    );
    assert_eq!(
        store.get_interview(german).expect("get").spec.language,
        Language::English,
        "a schema-5 row had no language: English"
    );
    assert_eq!(
        store.get_revision(german, 1).expect("rev").spec.language,
        Language::English
    );
    // The column refuses a language the code does not know.
    let conn = rusqlite::Connection::open(&path).expect("raw");
    assert!(conn
        .execute(
            "UPDATE interviews SET language = 'xx' WHERE id = ?1",
            [english.to_string()]
        )
        .is_err());
}

#[test]
fn a_pulled_revision_keeps_its_language_and_one_from_an_older_server_is_english() {
    let mut source = Store::open_in_memory().expect("source");
    let mut iv = interview();
    iv.spec.language = Language::French;
    source.insert_interview(&iv).expect("insert");
    let rev = source
        .publish_interview(iv.id, "LANG03", at(5))
        .expect("publish");
    // As the sync feed carries it: JSON, once with the field and once as an older
    // server (or kiosk) wrote it, without.
    let json = serde_json::to_value(&rev).expect("json");
    assert_eq!(json["spec"]["language"], "fr");
    let mut older = json.clone();
    older["spec"]
        .as_object_mut()
        .expect("spec")
        .remove("language");
    older["interview_id"] = serde_json::Value::String(InterviewId::new().to_string());
    older["kiosk_code"] = "LANG04".into();
    let older: InterviewRevision = serde_json::from_value(older).expect("older revision");
    let pulled: InterviewRevision = serde_json::from_value(json).expect("revision");

    let mut kiosk = Store::open_in_memory().expect("kiosk");
    assert!(kiosk.import_revision(&pulled).expect("import"));
    assert!(kiosk.import_revision(&older).expect("import"));
    assert_eq!(
        kiosk.get_interview(iv.id).expect("interview").spec.language,
        Language::French
    );
    assert_eq!(
        kiosk
            .get_revision(iv.id, 1)
            .expect("revision")
            .spec
            .language,
        Language::French
    );
    assert_eq!(
        kiosk
            .get_interview(older.interview_id)
            .expect("interview")
            .spec
            .language,
        Language::English
    );
}
