//! Shared by the sync crate's tests: a store's interview published (one change queued in
//! the outbox) and polling with a deadline.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use panelist_core::{Interview, InterviewId};
use panelist_store::Store;

pub fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
        + chrono::Duration::minutes(minutes)
}

/// Stores an interview and publishes it: the revision waits in the outbox.
pub fn publish(store: &mut Store, role: &str, code: &str) -> InterviewId {
    // From JSON (the spec flattened in), so fields added later with a default need no
    // change here.
    let iv: Interview = serde_json::from_value(serde_json::json!({
        "id": InterviewId::new(), "job_role": role, "job_description": "",
        "difficulty": "easy", "focus_areas": [], "time_limit_minutes": 10,
        "avatar": "ada", "num_questions": 1, "max_follow_ups_per_preset": 1,
        "questions": [{"text": "Why?"}], "status": "draft", "revision": 0,
        "kiosk_code": null, "created_at": at(0), "updated_at": at(0),
    }))
    .unwrap();
    store.insert_interview(&iv).unwrap();
    store.publish_interview(iv.id, code, at(1)).unwrap();
    iv.id
}

/// Polls `f` until it returns a value; fails the test after 20 s.
pub fn until<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out: {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}
