//! The background sync thread: idle while the kiosk is not enrolled, and while the server
//! is unreachable it records the error, keeps every change and tries again when woken.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::Duration;

use panelist_store::{sync_keys, Store};
use panelist_sync::{spawn_background_sync, Retry, SyncMonitor, SyncSchedule};
use support::{publish, until};

/// An hour between turns: every turn in these tests is one the test asked for.
fn schedule() -> SyncSchedule {
    SyncSchedule {
        interval: Duration::from_secs(3600),
        max_backoff: Duration::from_secs(3600),
        retry: Retry {
            attempts: 1,
            first_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(10),
            timeout: Duration::from_secs(2),
        },
    }
}

/// A store in `dir` with one change waiting in the outbox.
fn store_with_a_change(dir: &std::path::Path) -> (std::path::PathBuf, Store) {
    let path = dir.join("panelist.db");
    let mut store = Store::open(&path).unwrap();
    publish(&mut store, "Engineer", "ENG1NE");
    assert_eq!(store.outbox_counts().unwrap().pending, 1);
    (path, store)
}

#[test]
fn the_wait_doubles_after_each_failed_sync_up_to_the_limit() {
    let schedule = SyncSchedule::default();
    let waits: Vec<u64> = (0..7).map(|f| schedule.wait_after(f).as_secs()).collect();
    assert_eq!(waits, [60, 120, 240, 480, 900, 900, 900]);
    assert_eq!(schedule.wait_after(u32::MAX).as_secs(), 900);
}

#[test]
fn while_not_enrolled_the_worker_turns_without_attempting_a_sync() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = store_with_a_change(dir.path());
    let monitor = Arc::new(SyncMonitor::default());
    let worker = spawn_background_sync(path, monitor.clone(), schedule());

    // The first turn, then one asked for: both finished, neither attempted anything.
    until("the first turn", || {
        (monitor.status().turns >= 1).then_some(())
    });
    monitor.wake();
    until("a woken turn", || {
        (monitor.status().turns >= 2).then_some(())
    });
    let status = monitor.status();
    assert_eq!(status.last_attempt, None, "{status:?}");
    assert_eq!(status.last_error, None);
    assert!(!status.running);
    assert_eq!(store.outbox_counts().unwrap().pending, 1);

    monitor.stop();
    worker.join().expect("the worker stops");
}

#[test]
fn an_unreachable_server_is_reported_the_changes_are_kept_and_a_wake_retries() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = store_with_a_change(dir.path());
    // Enrolled with a server that is not there (a closed port).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    store
        .set_sync_setting(sync_keys::SERVER, &format!("http://127.0.0.1:{port}"))
        .unwrap();
    store
        .set_sync_setting(sync_keys::DEVICE_TOKEN, "pdt_not-a-real-token")
        .unwrap();

    let monitor = Arc::new(SyncMonitor::default());
    let worker = spawn_background_sync(path, monitor.clone(), schedule());
    let first = until("a failed attempt", || {
        let s = monitor.status();
        (s.turns >= 1).then_some(s)
    });
    assert!(
        first
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("unreachable"),
        "{first:?}"
    );
    assert!(first.last_attempt.is_some());
    assert_eq!(first.last_success, None);
    assert!(!first.running);
    assert_eq!(
        store.outbox_counts().unwrap().pending,
        1,
        "nothing is lost while offline"
    );

    // A wake ("Sync now") starts the next attempt long before its hour is up.
    monitor.wake();
    let second = until("a second attempt", || {
        let s = monitor.status();
        (s.turns >= 2).then_some(s)
    });
    assert!(second.last_attempt > first.last_attempt, "{second:?}");
    assert!(second.last_error.is_some());
    assert_eq!(store.outbox_counts().unwrap().pending, 1);

    monitor.stop();
    worker.join().expect("the worker stops");
}
