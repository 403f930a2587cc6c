//! Admin mode over a real SQLite file with a manual clock: the role matrix of every
//! operation, sign-in and its growing delay, review, erasure (byte search of the
//! database and the data dir), the retention purge and the audit chain.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use panelist_admin::dto::{InterviewSpecDto, SessionFilter, SettingsForm};
use panelist_admin::{allows, Admin, AdminError, Permission, SyncMonitor};
use panelist_brain::OfflineBrain;
use panelist_core::{Clock, Difficulty, ManualClock, Role, ScoreKey, SessionId};
use panelist_resume::Extractor;
use panelist_service::{Actor, CandidateInput, ExportFormat, NewInterview, Panelist};
use panelist_settings::AnswerEnd;

/// A second connection to admin mode's database, for what a test inspects there (the
/// service offers no way past it).
fn db(admin: &Admin) -> panelist_store::Store {
    panelist_store::Store::open(&panelist_admin::database_path(&admin.data_dir()))
        .expect("open the database")
}

const PASSWORD: &str = "a long enough passphrase";

struct Fixture {
    _dir: tempfile::TempDir,
    data: PathBuf,
    outside: PathBuf,
    clock: Arc<ManualClock>,
    admin: Admin,
    interview: String,
    session: SessionId,
    candidate: String,
}

fn extractor() -> Extractor {
    Extractor {
        program: "false".into(),
        args: vec![],
        timeout: std::time::Duration::from_secs(1),
    }
}

fn spec_dto() -> InterviewSpecDto {
    InterviewSpecDto {
        job_role: "Backend Engineer".into(),
        job_description: "Python services and SQL".into(),
        difficulty: Difficulty::Medium,
        focus_areas: vec!["Python".into(), "SQL".into()],
        time_limit_minutes: 20,
        avatar: "ada".into(),
        num_questions: 2,
        max_follow_ups_per_preset: 0,
        language: "en".into(),
    }
}

/// Runs a whole interview for a candidate and returns the session; each answer keeps a
/// recording in `data/audio`, and the candidate's résumé is a text file.
fn interview_candidate(
    app: &mut Panelist,
    clock: &ManualClock,
    interview: &str,
    name: &str,
    email: &str,
    scratch: &Path,
) -> SessionId {
    let resume = scratch.join(format!("{}.txt", email.replace('@', "_")));
    std::fs::write(
        &resume,
        format!("{name}\n{email}\nSenior engineer at Acme Widgets. Python, SQL, Kafka.\n"),
    )
    .expect("resume");
    let reg = app
        .register(
            interview,
            CandidateInput {
                name: name.into(),
                email: email.into(),
                phone: None,
                resume: Some(resume),
            },
            true,
        )
        .expect("register");
    let audio_dir = app.data_dir().join("audio");
    std::fs::create_dir_all(&audio_dir).expect("audio dir");
    let mut run = app.run(reg.session.id).expect("run");
    let mut n = 0;
    while run.next_question(app).expect("next").is_some() {
        n += 1;
        clock.advance(Duration::seconds(3));
        run.speech_finished(app).expect("speech");
        clock.advance(Duration::seconds(40));
        let wav = audio_dir.join(format!("{}-{n}.wav", reg.session.id));
        std::fs::write(&wav, b"RIFF....WAVEfmt fake audio for the test").expect("wav");
        run.submit(
            app,
            "I built Python services with SQL and Kafka, for example a billing pipeline that cut latency by 40 percent.",
            Some(wav.display().to_string()),
        )
        .expect("submit");
    }
    run.finish(app).expect("finish");
    reg.session.id
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).expect("outside");
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .expect("date"),
    ));
    let mut app = Panelist::open_with(
        &data,
        extractor(),
        Box::new(OfflineBrain::embedded().expect("brain")),
        clock.clone(),
    )
    .expect("open");
    let interview = app
        .create_interview(
            NewInterview {
                spec: panelist_admin::dto_spec(spec_dto()).expect("spec"),
            },
            &Actor::Cli,
        )
        .expect("create");
    app.publish_interview(interview.id, &Actor::Cli)
        .expect("publish");
    let session = interview_candidate(
        &mut app,
        &clock,
        &interview.id.to_string(),
        "Zebulon Quartermaine",
        "zebulon.q@example.org",
        &outside,
    );
    let candidate = app
        .session(session)
        .expect("session")
        .candidate_id
        .to_string();
    // The file key store only: a test never touches a developer's keychain.
    let secrets = panelist_llm::SecretStore::file_only(&data);
    let mut admin = Admin::with_secret_store(app, secrets);
    admin
        .create_first_admin("root@example.com", "Root Admin", PASSWORD)
        .expect("first admin");
    admin
        .create_user(
            "rita@example.com",
            "Rita Recruiter",
            Role::Recruiter,
            PASSWORD,
        )
        .expect("recruiter");
    admin
        .create_user("hugo@example.com", "Hugo HR", Role::Hr, PASSWORD)
        .expect("hr");
    admin.logout();
    Fixture {
        _dir: dir,
        data,
        outside,
        clock,
        admin,
        interview: interview.id.to_string(),
        session,
        candidate,
    }
}

fn email_of(role: Role) -> &'static str {
    match role {
        Role::Admin => "root@example.com",
        Role::Recruiter => "rita@example.com",
        Role::Hr => "hugo@example.com",
    }
}

type Op = fn(&mut Fixture) -> Result<(), AdminError>;

/// Every admin operation and the permission it needs.
fn operations() -> Vec<(&'static str, Permission, Op)> {
    vec![
        ("users", Permission::ManageUsers, |f| {
            f.admin.users().map(drop)
        }),
        ("create_user", Permission::ManageUsers, |f| {
            f.admin
                .create_user("new@example.com", "New Person", Role::Hr, PASSWORD)
                .map(drop)
        }),
        ("interviews", Permission::EditInterviews, |f| {
            f.admin.interviews().map(drop)
        }),
        ("interview", Permission::EditInterviews, |f| {
            let id = f.interview.clone();
            f.admin.interview(&id).map(drop)
        }),
        ("create_interview", Permission::EditInterviews, |f| {
            f.admin.create_interview(spec_dto(), None).map(drop)
        }),
        ("generate_questions", Permission::EditInterviews, |f| {
            f.admin.generate_questions(spec_dto()).map(drop)
        }),
        ("save_interview", Permission::EditInterviews, |f| {
            let id = f.interview.clone();
            let questions = f
                .admin
                .app()
                .interview(id.parse().expect("id"))
                .expect("get")
                .questions;
            let dtos = questions
                .iter()
                .map(|q| panelist_admin::dto::QuestionDto {
                    text: q.text.clone(),
                    key_points: vec![],
                    follow_ups: vec![],
                    tags: vec![],
                    source: None,
                })
                .collect();
            f.admin.save_interview(&id, spec_dto(), dtos).map(drop)
        }),
        ("publish_interview", Permission::EditInterviews, |f| {
            let id = f.interview.clone();
            f.admin.publish_interview(&id).map(drop)
        }),
        ("duplicate_interview", Permission::EditInterviews, |f| {
            let id = f.interview.clone();
            f.admin.duplicate_interview(&id).map(drop)
        }),
        ("archive_interview", Permission::EditInterviews, |f| {
            let id = f.admin.create_interview(spec_dto(), None);
            // A recruiter's own draft; other roles are refused before this matters.
            match id {
                Ok(d) => f.admin.archive_interview(&d.id).map(drop),
                Err(e) => Err(e),
            }
        }),
        ("speak", Permission::EditInterviews, |f| {
            f.admin.speak("Tell me about a hard bug.", None).map(drop)
        }),
        ("sessions", Permission::ReviewReports, |f| {
            f.admin.sessions(&SessionFilter::default()).map(drop)
        }),
        ("report", Permission::ReviewReports, |f| {
            let s = f.session.to_string();
            f.admin.report(&s).map(drop)
        }),
        ("close_session", Permission::ReviewReports, |f| {
            // A candidate who registered and walked away: a pending session.
            let interview = f.interview.clone();
            let reg = f
                .admin
                .app_mut()
                .register(
                    &interview,
                    CandidateInput {
                        name: "Walked Away".into(),
                        email: "away@example.com".into(),
                        ..Default::default()
                    },
                    true,
                )
                .expect("register");
            f.admin.close_session(&reg.session.id.to_string())
        }),
        ("answer_audio", Permission::ReviewReports, |f| {
            let s = f.session.to_string();
            f.admin.answer_audio(&s, 1).map(drop)
        }),
        ("adjust_score", Permission::ReviewReports, |f| {
            let s = f.session.to_string();
            f.admin
                .adjust_score(&s, ScoreKey::Technical, 70, "The transcript missed a term.")
                .map(drop)
        }),
        ("review", Permission::ReviewReports, |f| {
            let s = f.session.to_string();
            f.admin.review(&s, "Read every answer.").map(drop)
        }),
        ("export", Permission::ReviewReports, |f| {
            let s = f.session.to_string();
            let out = f.outside.join("matrix.json");
            f.admin.export(&[s], ExportFormat::Json, &out).map(drop)
        }),
        ("candidates", Permission::ErasePersonalData, |f| {
            f.admin.candidates().map(drop)
        }),
        ("purge_now", Permission::ErasePersonalData, |f| {
            f.admin.purge_now().map(drop)
        }),
        ("settings", Permission::ManageSettings, |f| {
            f.admin.settings().map(drop)
        }),
        ("save_settings", Permission::ManageSettings, |f| {
            f.admin
                .save_settings(SettingsForm {
                    voice: "en-gb".into(),
                    rate_wpm: 160,
                    idle_timeout_seconds: 90,
                    answer_end: AnswerEnd::AfterSilence,
                    end_silence_seconds: 4.0,
                    end_grace_seconds: 2.0,
                    ..settings_form()
                })
                .map(drop)
        }),
        ("set_pin", Permission::ManageSettings, |f| {
            f.admin.set_pin("246810")
        }),
        ("set_provider_key", Permission::ManageSettings, |f| {
            f.admin.set_provider_key("groq", "gsk_matrix_test_key")
        }),
        ("remove_provider_key", Permission::ManageSettings, |f| {
            f.admin.remove_provider_key("groq")
        }),
        ("mic_test", Permission::ManageSettings, |f| {
            f.admin.mic_test(Some("no-such-microphone")).map(drop)
        }),
        ("backup", Permission::ManageSettings, |f| {
            let out = f.outside.join(format!("backup-{}.sqlite", uuid_ish()));
            f.admin.backup(&out).map(drop)
        }),
        ("audit", Permission::ViewAudit, |f| {
            f.admin.audit(50).map(drop)
        }),
        ("verify_audit", Permission::ViewAudit, |f| {
            f.admin.verify_audit().map(drop)
        }),
        ("sync_status", Permission::ManageSync, |f| {
            f.admin.sync_status(&SyncMonitor::default()).map(drop)
        }),
        ("sync_now", Permission::ManageSync, |f| {
            f.admin.sync_now(&SyncMonitor::default()).map(drop)
        }),
        // Erasure last: it removes the fixture's candidate.
        ("erase_candidate", Permission::ErasePersonalData, |f| {
            let c = f.candidate.clone();
            f.admin.erase_candidate(&c).map(drop)
        }),
    ]
}

fn uuid_ish() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

#[test]
fn every_operation_is_allowed_or_denied_by_role_in_rust() {
    // Nobody signed in: every operation is refused.
    let mut f = fixture();
    for (name, _, op) in operations() {
        assert!(
            matches!(op(&mut f), Err(AdminError::Unauthenticated)),
            "{name} ran without a sign-in"
        );
    }
    let mut covered = std::collections::HashSet::new();
    for role in [Role::Admin, Role::Recruiter, Role::Hr] {
        let mut f = fixture();
        f.admin.login(email_of(role), PASSWORD).expect("login");
        for (name, permission, op) in operations() {
            covered.insert(permission);
            let result = op(&mut f);
            let denied = matches!(result, Err(AdminError::Denied { .. }));
            assert_eq!(
                denied,
                !allows(role, permission),
                "{role:?} × {name}: {result:?}"
            );
            if allows(role, permission) {
                // Allowed operations succeed, except the microphone test on a machine
                // without that device, which must fail for that reason only.
                match (name, &result) {
                    ("mic_test", Err(e @ AdminError::NoMicrophone(_))) => {
                        assert!(e.to_string().to_lowercase().contains("microphone"), "{e}")
                    }
                    ("speak", Err(e)) => panic!("speak failed: {e}"),
                    (_, r) => assert!(r.is_ok(), "{role:?} × {name}: {r:?}"),
                }
            }
        }
    }
    assert_eq!(
        covered.len(),
        Permission::ALL.len(),
        "every permission is exercised"
    );
    // The policy itself: admin all, recruiter interviews, hr reports and erasure.
    for p in Permission::ALL {
        assert!(allows(Role::Admin, p));
        assert_eq!(allows(Role::Recruiter, p), p == Permission::EditInterviews);
        assert_eq!(
            allows(Role::Hr, p),
            matches!(p, Permission::ReviewReports | Permission::ErasePersonalData)
        );
    }
}

#[test]
fn the_first_admin_is_created_once_and_signs_in() {
    let mut f = fixture();
    let status = f.admin.status().expect("status");
    assert!(!status.first_run);
    assert!(status.account.is_none());
    assert!(matches!(
        f.admin
            .create_first_admin("other@example.com", "Other", PASSWORD),
        Err(AdminError::Conflict(_))
    ));
    // Weak passwords and duplicate emails are refused with the field named.
    f.admin.login("root@example.com", PASSWORD).expect("login");
    match f.admin.create_user("x@example.com", "X", Role::Hr, "short") {
        Err(AdminError::Invalid { field, .. }) => assert_eq!(field.as_deref(), Some("password")),
        other => panic!("{other:?}"),
    }
    match f
        .admin
        .create_user("HUGO@example.com", "Dup", Role::Hr, PASSWORD)
    {
        Err(AdminError::Invalid { field, .. }) => assert_eq!(field.as_deref(), Some("email")),
        other => panic!("{other:?}"),
    }
    // The stored hash is argon2id with OWASP's parameters, never the password.
    let user = db(&f.admin)
        .user_by_email("hugo@example.com")
        .expect("query")
        .expect("user");
    assert!(user
        .password_hash
        .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert!(!user.password_hash.contains(PASSWORD));
}

#[test]
fn failed_sign_ins_meet_a_growing_delay() {
    let mut f = fixture();
    let wrong = |f: &mut Fixture| f.admin.login("hugo@example.com", "not the password");
    // Two free failures, then 1 s, 2 s, 4 s.
    assert!(matches!(wrong(&mut f), Err(AdminError::WrongCredentials)));
    assert!(matches!(wrong(&mut f), Err(AdminError::WrongCredentials)));
    assert!(matches!(wrong(&mut f), Err(AdminError::WrongCredentials)));
    for expected_wait in [1, 2, 4] {
        // Inside the delay even the right password is refused unchecked.
        match f.admin.login("hugo@example.com", PASSWORD) {
            Err(AdminError::Throttled { wait_seconds }) => assert_eq!(wait_seconds, expected_wait),
            other => panic!("expected a delay of {expected_wait} s: {other:?}"),
        }
        f.clock.advance(Duration::seconds(expected_wait));
        assert!(matches!(wrong(&mut f), Err(AdminError::WrongCredentials)));
    }
    // Another email is not slowed down by these failures.
    f.admin.login("rita@example.com", PASSWORD).expect("rita");
    f.admin.logout();
    f.clock.advance(Duration::seconds(8));
    f.admin
        .login("hugo@example.com", PASSWORD)
        .expect("after the delay");
    f.admin.logout();
    // Success cleared the counter: the next failure is free again.
    assert!(matches!(wrong(&mut f), Err(AdminError::WrongCredentials)));
    assert!(f.admin.login("hugo@example.com", PASSWORD).is_ok());
    let actions: Vec<String> = db(&f.admin)
        .audit_log()
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.iter().filter(|a| *a == "user.login_failed").count() >= 7);
}

#[test]
fn review_keeps_the_original_score_and_makes_the_report_final() {
    let mut f = fixture();
    f.admin.login("hugo@example.com", PASSWORD).expect("login");
    let s = f.session.to_string();
    let before = f.admin.report(&s).expect("report");
    assert!(!before.is_final);
    let brain_technical = before.scores[1].original;
    let target = if brain_technical > 50 { 20 } else { 90 };
    let adjusted = f
        .admin
        .adjust_score(&s, ScoreKey::Technical, target, "Missed by the transcript.")
        .expect("adjust");
    let technical = &adjusted.scores[1];
    assert_eq!(technical.original, brain_technical);
    assert_eq!(technical.value, target);
    assert_eq!(
        technical.adjustment.as_ref().map(|a| a.by.as_str()),
        Some("hugo@example.com")
    );
    assert!(matches!(
        f.admin.adjust_score(&s, ScoreKey::Overall, 50, "   "),
        Err(AdminError::Service(_))
    ));
    // Unreviewed reports are drafts in the list filter.
    let drafts = f
        .admin
        .sessions(&SessionFilter {
            reviewed: Some(false),
            ..Default::default()
        })
        .expect("sessions");
    assert_eq!(drafts.len(), 1);
    let signed = f
        .admin
        .review(&s, "Checked the answers against the audio.")
        .expect("review");
    // The sign-off is queued for the server with the adjustment, in the same transaction.
    let queued = db(&f.admin).pending_outbox(1000).expect("outbox");
    let review_item = queued
        .iter()
        .find(|i| i.kind == panelist_store::MutationKind::Review)
        .expect("a review item in the outbox");
    assert_eq!(review_item.subject, s);
    let body: serde_json::Value = serde_json::from_str(&review_item.body).expect("json");
    assert_eq!(body["reviewed_by"], "hugo@example.com");
    assert_eq!(body["score_adjustments"][0]["original"], brain_technical);
    assert!(signed.is_final);
    assert_eq!(
        signed.review.as_ref().map(|r| r.by.as_str()),
        Some("hugo@example.com")
    );
    // Final means locked.
    assert!(f
        .admin
        .adjust_score(&s, ScoreKey::Overall, 99, "Too late")
        .is_err());
    assert!(f.admin.review(&s, "again").is_err());
    // The export carries the review and the adjusted score, with the original.
    let out = f.outside.join("reviewed.json");
    f.admin
        .export(std::slice::from_ref(&s), ExportFormat::Json, &out)
        .expect("export");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
    assert_eq!(json["scores"]["technical"], target);
    assert_eq!(json["review"]["reviewed_by"], "hugo@example.com");
    assert_eq!(
        json["review"]["score_adjustments"][0]["original"],
        brain_technical
    );
    let reviewed = f
        .admin
        .sessions(&SessionFilter {
            reviewed: Some(true),
            ..Default::default()
        })
        .expect("sessions");
    assert_eq!(reviewed.len(), 1);
}

/// Every file under `dir` (recursively) whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return hits;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            hits.extend(files_containing(&path, needle));
        } else if let Ok(bytes) = std::fs::read(&path) {
            if bytes.windows(needle.len()).any(|w| w == needle) {
                hits.push(path);
            }
        }
    }
    hits
}

#[test]
fn erasure_leaves_no_byte_of_the_candidate_in_the_database_or_the_data_dir() {
    let mut f = fixture();
    // A second candidate who must survive.
    let other = {
        let app = f.admin.app_mut();
        let clock = f.clock.clone();
        interview_candidate(
            app,
            &clock,
            &f.interview,
            "Ottoline Survivor",
            "ottoline@example.org",
            &f.outside,
        )
    };
    f.admin.login("hugo@example.com", PASSWORD).expect("login");
    let s = f.session.to_string();
    // Exports made by the app: a PDF and a JSON outside the data dir, and a zip of both
    // candidates.
    let pdf = f.outside.join("zebulon.pdf");
    let json = f.outside.join("zebulon.json");
    let zip = f.outside.join("both.zip");
    f.admin
        .export(std::slice::from_ref(&s), ExportFormat::Pdf, &pdf)
        .expect("pdf");
    f.admin
        .export(std::slice::from_ref(&s), ExportFormat::Json, &json)
        .expect("json");
    f.admin
        .export(&[s.clone(), other.to_string()], ExportFormat::Csv, &zip)
        .expect("zip");
    f.admin
        .adjust_score(
            &s,
            ScoreKey::Overall,
            55,
            "Zebulon Quartermaine asked for a re-check",
        )
        .expect("adjust");
    f.admin
        .review(&s, "Reviewed Zebulon Quartermaine's answers")
        .expect("review");
    let name = b"Zebulon Quartermaine";
    let email = b"zebulon.q@example.org";
    assert!(
        !files_containing(&f.data, name).is_empty(),
        "the name is stored before erasure"
    );
    for p in [&pdf, &json, &zip] {
        assert!(p.exists());
    }
    let audio_before = std::fs::read_dir(f.data.join("audio"))
        .expect("audio")
        .count();

    let result = f
        .admin
        .erase_candidate(&f.candidate.clone())
        .expect("erase");
    // The server is told to forget them, by ids only; nothing queued names them.
    let queued = db(&f.admin).pending_outbox(1000).expect("outbox");
    let erasure = queued
        .iter()
        .find(|i| i.kind == panelist_store::MutationKind::Erasure)
        .expect("an erasure item in the outbox");
    assert_eq!(erasure.subject, f.candidate);
    assert!(erasure.body.contains(&s));
    assert!(
        queued.iter().all(|i| i.subject != s),
        "the erased session's items are gone"
    );
    assert!(queued.iter().all(|i| !i.body.contains("Zebulon")));
    assert_eq!(result.sessions, 1);
    assert!(result.files_removed >= 4, "{result:?}");

    for needle in [&name[..], &email[..], b"Quartermaine", b"zebulon"] {
        let hits = files_containing(&f.data, needle);
        assert!(
            hits.is_empty(),
            "{:?} still in {hits:?}",
            String::from_utf8_lossy(needle)
        );
    }
    for p in [&pdf, &json, &zip] {
        assert!(!p.exists(), "{} was not removed", p.display());
    }
    // Their recordings are gone, the other candidate's stay.
    let audio_after = std::fs::read_dir(f.data.join("audio"))
        .expect("audio")
        .count();
    assert!(audio_after < audio_before && audio_after > 0);
    // The other candidate and the chain are intact.
    let rows = f
        .admin
        .sessions(&SessionFilter::default())
        .expect("sessions");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].candidate_name, "Ottoline Survivor");
    assert!(f.admin.report(&s).is_err());
    assert!(!files_containing(&f.data, b"Ottoline Survivor").is_empty());
    f.admin.logout();
    f.admin.login("root@example.com", PASSWORD).expect("admin");
    assert!(f.admin.verify_audit().expect("verify").intact);
    assert_eq!(db(&f.admin).integrity_check().expect("integrity"), "ok");
}

#[test]
fn retention_purges_audio_then_whole_candidates_by_the_clock() {
    let mut f = fixture(); // Zebulon interviewed on day 0.
    let t0 = f.clock.now();
    f.clock.advance(Duration::days(380));
    let recent = {
        let clock = f.clock.clone();
        interview_candidate(
            f.admin.app_mut(),
            &clock,
            &f.interview,
            "Recent Person",
            "recent@example.org",
            &f.outside,
        )
    };
    f.clock.advance(Duration::days(19));
    let fresh = {
        let clock = f.clock.clone();
        interview_candidate(
            f.admin.app_mut(),
            &clock,
            &f.interview,
            "Fresh Person",
            "fresh@example.org",
            &f.outside,
        )
    };
    f.clock.advance(Duration::days(1)); // now = day 400
    assert_eq!((f.clock.now() - t0).num_days(), 400);
    f.admin.login("root@example.com", PASSWORD).expect("login");
    f.admin
        .save_settings(SettingsForm {
            retention: panelist_admin::dto::RetentionSettings {
                audio_days: Some(10),
                data_days: Some(365),
            },
            ..settings_form()
        })
        .expect("retention");
    let audio_of = |f: &Fixture, s: SessionId| -> usize {
        db(&f.admin)
            .responses(s)
            .expect("responses")
            .iter()
            .filter(|r| {
                r.audio_path
                    .as_deref()
                    .is_some_and(|p| Path::new(p).exists())
            })
            .count()
    };
    let recent_audio = audio_of(&f, recent);
    assert!(recent_audio > 0 && audio_of(&f, fresh) > 0);
    let purge = f.admin.purge_now().expect("purge");
    assert_eq!(purge.candidates_erased, 1, "{purge:?}");
    // Zebulon (400 days) is erased entirely; Recent (20 days) loses audio only; Fresh
    // (1 day) keeps everything.
    assert!(files_containing(&f.data, b"Zebulon Quartermaine").is_empty());
    assert_eq!(audio_of(&f, recent), 0);
    assert!(audio_of(&f, fresh) > 0);
    assert!(f.admin.report(&recent.to_string()).is_ok());
    assert_eq!(purge.audio_files_removed as usize, recent_audio);
    // A second run finds nothing more to do.
    let again = f.admin.purge_now().expect("purge again");
    assert_eq!((again.candidates_erased, again.audio_files_removed), (0, 0));
    assert!(f.admin.verify_audit().expect("verify").intact);
}

#[test]
fn editing_any_audit_row_breaks_verification_at_that_row() {
    let mut f = fixture();
    f.admin.login("root@example.com", PASSWORD).expect("login");
    let verification = f.admin.verify_audit().expect("verify");
    assert!(verification.intact);
    let entries = verification.entries as i64;
    assert!(entries >= 8, "the fixture writes a real log ({entries})");
    let db = panelist_admin::database_path(&f.data);
    for seq in 1..=entries {
        for (column, value) in [
            ("actor", "'user:mallory@example.com'"),
            ("detail", "'{}'"),
            ("at", "'2020-01-01T00:00:00.000000Z'"),
            ("action", "'nothing.happened'"),
        ] {
            let raw = rusqlite::Connection::open(&db).expect("raw");
            let original: String = raw
                .query_row(
                    &format!("SELECT {column} FROM audit_log WHERE seq = ?1"),
                    [seq],
                    |r| r.get(0),
                )
                .expect("read");
            raw.execute(
                &format!("UPDATE audit_log SET {column} = {value} WHERE seq = ?1"),
                [seq],
            )
            .expect("tamper");
            let v = f.admin.verify_audit().expect("verify");
            if original != value.trim_matches('\'') {
                assert!(!v.intact, "editing {column} of #{seq} went unnoticed");
                assert_eq!(v.broken_at, Some(seq), "{column} of #{seq}: {v:?}");
            }
            raw.execute(
                &format!("UPDATE audit_log SET {column} = ?2 WHERE seq = ?1"),
                rusqlite::params![seq, original],
            )
            .expect("restore");
            assert!(f.admin.verify_audit().expect("verify").intact);
        }
    }
    // Removing an entry in the middle is found at that place.
    let raw = rusqlite::Connection::open(&db).expect("raw");
    raw.execute("DELETE FROM audit_log WHERE seq = 3", [])
        .expect("delete");
    let v = f.admin.verify_audit().expect("verify");
    assert_eq!(v.broken_at, Some(3), "{v:?}");
}

#[test]
fn a_recruiter_edits_reorders_publishes_and_duplicates_an_interview() {
    let mut f = fixture();
    f.admin.login("rita@example.com", PASSWORD).expect("login");
    let own = |text: &str| panelist_admin::dto::QuestionDto {
        text: text.into(),
        key_points: vec![panelist_admin::dto::KeyPointDto {
            label: "a concrete example".into(),
            terms: vec!["example".into(), " ".into()],
        }],
        follow_ups: vec!["What did you learn?".into()],
        tags: vec![],
        source: None,
    };
    // Own questions are kept as written (trimmed), not replaced by the brain's.
    let d = f
        .admin
        .create_interview(spec_dto(), Some(vec![own("  First?  "), own("Second?")]))
        .expect("create");
    let texts: Vec<&str> = d.questions.iter().map(|q| q.text.as_str()).collect();
    assert_eq!(texts, ["First?", "Second?"]);
    assert_eq!(
        d.questions[0].key_points[0].terms,
        ["example"],
        "blank terms dropped"
    );
    assert_eq!(d.questions[0].source.as_deref(), Some("manual"));
    // Reorder, delete, add; an empty question is refused.
    let saved = f
        .admin
        .save_interview(&d.id, spec_dto(), vec![own("Second?"), own("Third?")])
        .expect("save");
    let texts: Vec<&str> = saved.questions.iter().map(|q| q.text.as_str()).collect();
    assert_eq!(texts, ["Second?", "Third?"]);
    assert!(f
        .admin
        .save_interview(&d.id, spec_dto(), vec![own("   ")])
        .is_err());
    // Publish: an immutable revision and a kiosk code; editing afterwards and publishing
    // again makes revision 2 while revision 1 stays as it was.
    let p1 = f.admin.publish_interview(&d.id).expect("publish");
    assert_eq!(p1.revision, 1);
    assert!(p1.kiosk_code.as_deref().is_some_and(|c| c.len() == 6));
    f.admin
        .save_interview(&d.id, spec_dto(), vec![own("Changed?")])
        .expect("edit");
    let p2 = f.admin.publish_interview(&d.id).expect("publish again");
    assert_eq!(p2.revision, 2);
    let r1 = db(&f.admin)
        .get_revision(d.id.parse().expect("id"), 1)
        .expect("revision 1");
    assert_eq!(r1.questions[0].text, "Second?");
    // Archived: read-only; a duplicate is a new draft with the same questions.
    f.admin.archive_interview(&d.id).expect("archive");
    assert!(f
        .admin
        .save_interview(&d.id, spec_dto(), vec![own("Late?")])
        .is_err());
    let copy = f.admin.duplicate_interview(&d.id).expect("duplicate");
    assert_eq!(copy.status, panelist_core::InterviewStatus::Draft);
    assert_eq!(copy.questions[0].text, "Changed?");
    assert_ne!(copy.id, d.id);
}

#[test]
fn provider_keys_are_stored_for_the_llm_brains_and_never_shown_or_logged() {
    let mut f = fixture();
    f.admin.login("root@example.com", PASSWORD).expect("login");
    let groq = |f: &Fixture| {
        f.admin
            .settings()
            .expect("settings")
            .brain
            .providers
            .into_iter()
            .find(|p| p.name == "groq")
            .expect("groq is offered")
    };
    assert!(!groq(&f).key_stored);
    let secret = "gsk_ThisIsNotARealKey123";
    f.admin.set_provider_key("groq", secret).expect("store");
    assert!(
        groq(&f).key_stored,
        "the LLM configuration now finds the key"
    );
    // Nowhere to read it back: not in the settings, not in the audit log or the database.
    let view = serde_json::to_string(&f.admin.settings().expect("settings")).expect("json");
    assert!(!view.contains(secret));
    let audit = serde_json::to_string(&f.admin.audit(100).expect("audit")).expect("json");
    assert!(audit.contains("settings.provider_key") && !audit.contains(secret));
    let db = std::fs::read(panelist_admin::database_path(&f.data)).expect("db");
    assert!(!db.windows(secret.len()).any(|w| w == secret.as_bytes()));
    // Bad input is refused with the field named.
    match f.admin.set_provider_key("groq", "has a space") {
        Err(AdminError::Invalid { field, .. }) => assert_eq!(field.as_deref(), Some("key")),
        other => panic!("{other:?}"),
    }
    assert!(f.admin.set_provider_key("no-such-provider", "k").is_err());
    f.admin.remove_provider_key("groq").expect("remove");
    assert!(!groq(&f).key_stored);
}

#[test]
fn end_of_turn_settings_are_checked_saved_and_reach_the_kiosk() {
    let mut f = fixture();
    f.admin.login("root@example.com", PASSWORD).expect("login");
    let form = |answer_end, silence: f64, grace: f64| SettingsForm {
        answer_end,
        end_silence_seconds: silence,
        end_grace_seconds: grace,
        ..settings_form()
    };
    for (silence, grace, field) in [
        (1.0, 3.0, "end_silence_seconds"),
        (10.5, 3.0, "end_silence_seconds"),
        (f64::NAN, 3.0, "end_silence_seconds"),
        (3.0, 0.5, "end_grace_seconds"),
        (3.0, 11.0, "end_grace_seconds"),
    ] {
        match f
            .admin
            .save_settings(form(AnswerEnd::AfterSilence, silence, grace))
        {
            Err(AdminError::Invalid { field: got, .. }) => assert_eq!(got.as_deref(), Some(field)),
            other => panic!("{silence}/{grace}: {other:?}"),
        }
    }
    let view = f
        .admin
        .save_settings(form(AnswerEnd::AfterSilence, 4.5, 2.0))
        .expect("save");
    assert_eq!(view.answer_end, AnswerEnd::AfterSilence);
    assert_eq!(
        (view.end_silence_seconds, view.end_grace_seconds),
        (4.5, 2.0)
    );
    // The kiosk reads the same file.
    let kiosk = panelist_settings::KioskSettings::load(&f.data).expect("kiosk.toml");
    let policy = kiosk.turn_policy();
    assert_eq!(policy.answer_end, AnswerEnd::AfterSilence);
    assert_eq!((policy.silence_seconds, policy.grace_seconds), (4.5, 2.0));
}

#[test]
fn admin_mode_signs_out_after_the_idle_time_and_activity_keeps_it_open() {
    let mut f = fixture();
    f.admin.login("root@example.com", PASSWORD).expect("login");
    // The default is five minutes; activity within it keeps the account signed in.
    f.clock.advance(Duration::seconds(4 * 60));
    f.admin.touch();
    f.clock.advance(Duration::seconds(4 * 60));
    assert!(
        !f.admin.expire_idle(),
        "eight minutes with activity at four"
    );
    f.admin.users().expect("still signed in");
    f.admin.touch();
    // Staff walk away: at five minutes every command is refused, even before the timer
    // has run, and the status shows nobody signed in.
    f.clock.advance(Duration::seconds(5 * 60));
    assert!(matches!(f.admin.users(), Err(AdminError::Unauthenticated)));
    assert!(f.admin.status().expect("status").account.is_none());
    // The shell's timer signs out, once, in the audit log.
    assert!(f.admin.expire_idle());
    assert!(!f.admin.expire_idle());
    assert!(f.admin.account().is_none());
    // Activity after the limit does not bring the account back.
    f.admin.touch();
    assert!(matches!(f.admin.users(), Err(AdminError::Unauthenticated)));
    let actions: Vec<String> = db(&f.admin)
        .audit_log()
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "user.idle_sign_out")
            .count(),
        1
    );
    // A shorter limit from kiosk.toml applies to the next sign-in.
    f.admin.set_idle_limit(60);
    f.admin
        .login("root@example.com", PASSWORD)
        .expect("login again");
    f.clock.advance(Duration::seconds(61));
    assert!(f.admin.expire_idle());
}

#[test]
fn the_admin_idle_time_comes_from_kiosk_toml_within_its_limits() {
    let f = fixture();
    let mut settings = panelist_settings::KioskSettings::load(&f.data).expect("settings");
    assert_eq!(
        settings.admin_idle_seconds(),
        panelist_admin::DEFAULT_ADMIN_IDLE_SECONDS
    );
    settings.admin_idle_seconds = 5;
    assert_eq!(settings.admin_idle_seconds(), 60, "held at the minimum");
    settings.admin_idle_seconds = 10 * 3600;
    assert_eq!(settings.admin_idle_seconds(), 3600, "held at the maximum");
    settings.admin_idle_seconds = 120;
    settings.save(&f.data).expect("save");
    // Admin mode opened on that folder signs out after two minutes.
    let app = Panelist::open_with(
        &f.data,
        extractor(),
        Box::new(OfflineBrain::embedded().expect("brain")),
        f.clock.clone(),
    )
    .expect("open");
    let mut admin = Admin::with_secret_store(app, panelist_llm::SecretStore::file_only(&f.data));
    admin.login("root@example.com", PASSWORD).expect("login");
    f.clock.advance(Duration::seconds(119));
    assert!(!admin.expire_idle());
    f.clock.advance(Duration::seconds(1));
    assert!(admin.expire_idle());
}

#[test]
fn the_whisper_model_is_a_setting_listing_what_the_kiosk_can_find() {
    let mut f = fixture();
    f.admin.login("root@example.com", PASSWORD).expect("login");
    // A model only this kiosk's data folder holds (the ggml magic is what makes it one).
    let models = f.data.join("models");
    std::fs::create_dir_all(&models).expect("models folder");
    std::fs::write(models.join("ggml-kiosk-only-q8_0.bin"), b"lmgg...").expect("model");
    let view = f.admin.settings().expect("settings");
    assert_eq!(view.whisper_model, "base-ct2");
    assert!(
        view.whisper_models.contains(&"kiosk-only-q8_0".to_string()),
        "{:?}",
        view.whisper_models
    );
    let form = |model: Option<&str>| SettingsForm {
        whisper_model: model.map(str::to_string),
        ..settings_form()
    };
    // Unknown and malformed names are refused, naming the models there, and change nothing.
    for bad in ["no-such-model", "../../etc/passwd"] {
        match f.admin.save_settings(form(Some(bad))) {
            Err(AdminError::Invalid { field, message }) => {
                assert_eq!(field.as_deref(), Some("whisper_model"), "{bad}");
                if bad == "no-such-model" {
                    assert!(message.contains("kiosk-only-q8_0"), "{message}");
                }
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    let kiosk = panelist_settings::KioskSettings::load(&f.data).expect("kiosk.toml");
    assert_eq!(kiosk.whisper_model, None);
    let view = f
        .admin
        .save_settings(form(Some("kiosk-only-q8_0")))
        .expect("save");
    assert_eq!(view.whisper_model, "kiosk-only-q8_0");
    let kiosk = panelist_settings::KioskSettings::load(&f.data).expect("kiosk.toml");
    assert_eq!(kiosk.whisper_model.as_deref(), Some("kiosk-only-q8_0"));
    // The kiosk's own lookup finds the same file (unless a test run forces one).
    if std::env::var_os(panelist_settings::models::MODEL_ENV).is_none() {
        assert_eq!(
            panelist_settings::find_model(&kiosk, &f.data).expect("found"),
            models.join("ggml-kiosk-only-q8_0.bin")
        );
    }
    // No model in the form leaves the setting as it is.
    let view = f.admin.save_settings(form(None)).expect("save");
    assert_eq!(view.whisper_model, "kiosk-only-q8_0");
    // A model that disappeared: the kiosk refuses it by name, listing what is left.
    std::fs::remove_file(models.join("ggml-kiosk-only-q8_0.bin")).expect("remove");
    if std::env::var_os(panelist_settings::models::MODEL_ENV).is_none() {
        let err = panelist_settings::find_model(&kiosk, &f.data).expect_err("gone");
        assert!(err.to_string().contains("'kiosk-only-q8_0'"), "{err}");
    }
}

/// The settings form as a fresh kiosk has it; tests change the fields they are about.
fn settings_form() -> SettingsForm {
    SettingsForm {
        brain_mode: panelist_admin::BrainMode::Offline,
        voice: "en-us".into(),
        rate_wpm: 165,
        microphone: None,
        idle_timeout_seconds: 120,
        typed_answers_allowed: true,
        answer_end: AnswerEnd::SubmitOnly,
        end_silence_seconds: 3.0,
        end_grace_seconds: 3.0,
        admin_idle_seconds: 300,
        retention: Default::default(),
        upload_audio: false,
        whisper_model: None,
    }
}

#[test]
fn sessions_are_filtered_by_typed_days_and_interview() {
    let mut f = fixture();
    f.admin.login("hugo@example.com", PASSWORD).expect("hr");
    let day = |d: &str| Some(d.parse::<chrono::NaiveDate>().expect("day"));
    let count =
        |f: &Fixture, filter: SessionFilter| f.admin.sessions(&filter).expect("sessions").len();
    // The fixture's interview took place on 2 March 2026; both ends are included.
    let on_the_day = SessionFilter {
        from: day("2026-03-02"),
        to: day("2026-03-02"),
        ..Default::default()
    };
    assert_eq!(count(&f, on_the_day), 1);
    let after = SessionFilter {
        from: day("2026-03-03"),
        ..Default::default()
    };
    assert_eq!(count(&f, after), 0);
    let before = SessionFilter {
        to: day("2026-03-01"),
        ..Default::default()
    };
    assert_eq!(count(&f, before), 0);
    let this_interview = SessionFilter {
        interview_id: Some(f.interview.parse().expect("interview id")),
        ..Default::default()
    };
    assert_eq!(count(&f, this_interview), 1);
    let another = SessionFilter {
        interview_id: Some(panelist_core::InterviewId::new()),
        ..Default::default()
    };
    assert_eq!(count(&f, another), 0);

    // What the UI sends: a day as YYYY-MM-DD, or null. Anything else is refused when the
    // command's arguments are read, before admin mode sees it.
    let read = |from: serde_json::Value| {
        serde_json::from_value::<SessionFilter>(serde_json::json!({
            "interview_id": null, "from": from, "to": null,
            "status": null, "recommendation": null, "reviewed": null,
        }))
    };
    assert_eq!(
        read("2026-03-02".into()).expect("a day").from,
        day("2026-03-02")
    );
    assert_eq!(read(serde_json::Value::Null).expect("no day").from, None);
    for not_a_day in ["03/02/2026", "2026-02-30", "", "yesterday"] {
        assert!(read(not_a_day.into()).is_err(), "{not_a_day:?}");
    }
}
