//! The background sync thread: idle while the kiosk is not enrolled, and while the server
//! is unreachable it records the error, keeps every change and tries again when woken.

use std::sync::Arc;
use std::time::{Duration, Instant};

use panelist_admin::{spawn_background_sync, Admin, SyncMonitor, SyncSchedule};
use panelist_resume::Extractor;
use panelist_service::{Actor, NewInterview, Panelist};

fn until<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_worker_reports_an_unreachable_server_keeps_the_changes_and_retries_when_woken() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = Panelist::open(
        dir.path(),
        Extractor {
            program: "false".into(),
            args: vec![],
            timeout: Duration::from_secs(1),
        },
    )
    .expect("open");
    // A change waiting in the outbox: a published interview.
    let spec = panelist_admin::dto_spec(panelist_admin::dto::InterviewSpecDto {
        job_role: "Engineer".into(),
        job_description: "Python".into(),
        difficulty: panelist_core::Difficulty::Easy,
        focus_areas: vec!["Python".into()],
        time_limit_minutes: 5,
        avatar: "ada".into(),
        num_questions: 1,
        max_follow_ups_per_preset: 0,
        language: "en".into(),
    })
    .expect("spec");
    let iv = app
        .create_interview(NewInterview { spec }, &Actor::Cli)
        .expect("create");
    app.publish_interview(iv.id, &Actor::Cli).expect("publish");
    let mut admin = Admin::new(app);
    admin
        .create_first_admin("root@example.com", "Root", "a long enough passphrase")
        .expect("admin");

    let monitor = Arc::new(SyncMonitor::default());
    let schedule = SyncSchedule {
        interval: Duration::from_secs(3600),
        max_backoff: Duration::from_secs(3600),
        retry: panelist_sync::Retry {
            attempts: 1,
            first_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(10),
            timeout: Duration::from_secs(2),
        },
    };

    // Not enrolled: the worker starts and does nothing.
    let worker = spawn_background_sync(dir.path().to_path_buf(), monitor.clone(), schedule.clone());
    std::thread::sleep(Duration::from_millis(300));
    let status = admin.sync_status(&monitor).expect("status");
    assert!(!status.enrolled);
    assert_eq!(status.last_attempt, None);
    assert_eq!(status.pending, 1);
    monitor.stop();
    worker.join().expect("worker stops");

    // Enrolled with a server that is not there (a closed port).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    {
        let mut store =
            panelist_store::Store::open(&panelist_admin::database_path(dir.path())).expect("store");
        store
            .set_sync_setting("server", &format!("http://127.0.0.1:{port}"))
            .expect("server");
        store
            .set_sync_setting("device_token", "pdt_not-a-real-token")
            .expect("token");
    }
    let monitor = Arc::new(SyncMonitor::default());
    let worker = spawn_background_sync(dir.path().to_path_buf(), monitor.clone(), schedule);
    let first = until("a failed attempt", || {
        let s = admin.sync_status(&monitor).ok()?;
        (s.last_error.is_some() && !s.running).then_some(s)
    });
    assert!(first.enrolled);
    assert!(
        first
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("unreachable"),
        "{first:?}"
    );
    assert_eq!(first.last_success, None);
    assert_eq!(first.pending, 1, "nothing is lost while offline");
    // "Sync now" wakes the worker long before its hour is up.
    // (The status sync_now returns may already show the new attempt running: the worker
    // can wake before it is read. Compare with the first attempt, not with that status.)
    admin.sync_now(&monitor).expect("sync now");
    let second = until("a second attempt", || {
        let s = admin.sync_status(&monitor).ok()?;
        (s.last_attempt != first.last_attempt && !s.running && s.last_error.is_some()).then_some(s)
    });
    assert!(second.last_attempt > first.last_attempt);
    monitor.stop();
    worker.join().expect("worker stops");

    // Only an administrator sees it.
    admin.logout();
    assert!(admin.sync_status(&monitor).is_err());
}

/// Admin mode's sync screen shows what sync set aside, with the reasons: a change the
/// server refused and a pulled revision this kiosk could not store.
#[test]
fn the_sync_status_lists_set_aside_items_with_their_reasons() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = Panelist::open(
        dir.path(),
        Extractor {
            program: "false".into(),
            args: vec![],
            timeout: Duration::from_secs(1),
        },
    )
    .expect("open");
    let spec = panelist_admin::dto_spec(panelist_admin::dto::InterviewSpecDto {
        job_role: "Engineer".into(),
        job_description: "Python".into(),
        difficulty: panelist_core::Difficulty::Easy,
        focus_areas: vec!["Python".into()],
        time_limit_minutes: 5,
        avatar: "ada".into(),
        num_questions: 1,
        max_follow_ups_per_preset: 0,
        language: "en".into(),
    })
    .expect("spec");
    let iv = app
        .create_interview(NewInterview { spec }, &Actor::Cli)
        .expect("create");
    app.publish_interview(iv.id, &Actor::Cli).expect("publish");
    let mut admin = Admin::new(app);
    admin
        .create_first_admin("root@example.com", "Root", "a long enough passphrase")
        .expect("admin");
    let monitor = SyncMonitor::default();
    assert!(admin
        .sync_status(&monitor)
        .expect("status")
        .set_aside
        .is_empty());

    let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:30:00Z")
        .expect("time")
        .with_timezone(&chrono::Utc);
    let (seq, revision) = {
        let mut store =
            panelist_store::Store::open(&panelist_admin::database_path(dir.path())).expect("store");
        let queued = store.pending_outbox(10).expect("outbox");
        let change = &queued[0];
        let panelist_store::Mutation::Revision(revision) = change.mutation().expect("readable")
        else {
            panic!("the queued change is the published revision")
        };
        store
            .set_aside_outbox(
                change.mutation_id,
                "403 forbidden: interview was not created by this device",
                at,
            )
            .expect("set aside");
        store
            .set_aside_pull(
                41,
                &revision,
                "CHECK constraint failed: time_limit_minutes",
                at,
            )
            .expect("set aside pull");
        (change.seq, revision)
    };

    let status = admin.sync_status(&monitor).expect("status");
    assert_eq!(status.pending, 0, "a set-aside change no longer waits");
    let items: Vec<_> = status
        .set_aside
        .iter()
        .map(|a| {
            (
                a.direction.as_str(),
                a.kind.as_str(),
                a.position,
                a.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            (
                "push",
                "revision",
                seq,
                "403 forbidden: interview was not created by this device"
            ),
            (
                "pull",
                "revision",
                41,
                "CHECK constraint failed: time_limit_minutes"
            ),
        ]
    );
    assert_eq!(status.set_aside[0].subject, iv.id.to_string());
    assert_eq!(
        status.set_aside[1].subject,
        format!("{} r{}", revision.interview_id, revision.revision)
    );
    assert!(status.set_aside.iter().all(|a| a.at == at.to_rfc3339()));
    // Only roles that manage sync see it.
    admin
        .create_user(
            "rita@example.com",
            "Rita",
            panelist_core::Role::Recruiter,
            "another long passphrase",
        )
        .expect("recruiter");
    admin.logout();
    admin
        .login("rita@example.com", "another long passphrase")
        .expect("login");
    assert!(admin.sync_status(&monitor).is_err());
}
