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
    let again = admin.sync_now(&monitor).expect("sync now");
    let second = until("a second attempt", || {
        let s = admin.sync_status(&monitor).ok()?;
        (s.last_attempt != again.last_attempt && !s.running && s.last_error.is_some()).then_some(s)
    });
    assert!(second.last_attempt > first.last_attempt);
    monitor.stop();
    worker.join().expect("worker stops");

    // Only an administrator sees it.
    admin.logout();
    assert!(admin.sync_status(&monitor).is_err());
}
