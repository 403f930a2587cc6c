//! Admin mode's Sync screen. (The background sync thread itself is tested with the
//! worker, in `crates/sync/tests/worker.rs`.)

use std::time::Duration;

use panelist_admin::{Admin, SyncMonitor};
use panelist_resume::Extractor;
use panelist_service::{Actor, NewInterview, Panelist};

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
