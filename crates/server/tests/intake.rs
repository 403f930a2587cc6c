//! Results up, at the wire level: every change applies exactly once and in order.
#![allow(clippy::unwrap_used)]

mod support;

use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

fn session_item(seq: i64, session: Uuid) -> Value {
    let candidate = Uuid::now_v7();
    let interview = Uuid::now_v7();
    json!({"mutation_id": Uuid::now_v7(), "seq": seq, "kind": "session", "body": {
        "session": {"id": session, "interview_id": interview, "revision": 1,
            "candidate_id": candidate, "status": "pending", "started_at": null,
            "ended_at": null, "current_question": null, "end_reason": null,
            "created_at": "2026-03-01T10:00:00Z"},
        "candidate": {"id": candidate, "name": "Ada", "email": "ada@example.com",
            "created_at": "2026-03-01T10:00:00Z"},
        "consent": {"id": Uuid::now_v7(), "candidate_id": candidate, "session_id": session,
            "notice_version": "2026-01", "granted_at": "2026-03-01T10:00:00Z"}}})
}

fn response_item(seq: i64, session: Uuid, number: u32) -> Value {
    json!({"mutation_id": Uuid::now_v7(), "seq": seq, "kind": "response", "body": {
        "id": Uuid::now_v7(), "session_id": session, "number": number,
        "question_type": "preset", "preset_index": 0, "text": "Why?", "allotted_seconds": 60,
        "transcript": format!("answer {number}"), "audio_path": null,
        "answer_started_at": "2026-03-01T10:01:00Z", "answered_at": "2026-03-01T10:02:00Z",
        "answer_seconds": 30.0, "timed_out": false}})
}

/// Pushes `items` (a JSON array of changes) as the kiosk holding `token`.
async fn push(server: &support::TestServer, token: &str, items: Value) -> (StatusCode, Value) {
    let body = json!({ "items": items });
    server
        .call("POST", "/api/sync/push", Some(token), Some(body))
        .await
}

/// Whether every change of a push answer has `outcome`.
fn all_outcomes(answer: &Value, outcome: &str) -> bool {
    answer["results"]
        .as_array()
        .expect("results")
        .iter()
        .all(|r| r["outcome"] == outcome)
}

async fn count(server: &support::TestServer, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&server.pool)
        .await
        .expect("count");
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_applies_once_a_changed_body_is_refused_and_order_is_kept() {
    let server = support::start().await;
    let (_, token) = server.enroll("kiosk-a").await;
    let session = Uuid::now_v7();
    let batch = json!([
        session_item(1, session),
        response_item(2, session, 1),
        response_item(3, session, 2)
    ]);

    let (status, first) = push(&server, &token, batch.clone()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert!(all_outcomes(&first, "applied"), "{first}");
    let (status, second) = push(&server, &token, batch.clone()).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert!(all_outcomes(&second, "duplicate"), "{second}");
    assert_eq!(count(&server, "SELECT count(*) FROM responses").await, 2);
    assert_eq!(count(&server, "SELECT count(*) FROM mutations").await, 3);

    // The same key with another body: 422, and nothing changes.
    let mut changed = batch[1].clone();
    changed["body"]["transcript"] = json!("a different answer");
    let (status, body) = push(&server, &token, json!([changed])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (transcript,): (Value,) =
        sqlx::query_as("SELECT body->'transcript' FROM responses WHERE question_number = 1")
            .fetch_one(&server.pool)
            .await
            .expect("row");
    assert_eq!(transcript, json!("answer 1"));

    // A new change older than one applied: 409, nothing applied.
    let (status, body) = push(&server, &token, json!([response_item(2, session, 3)])).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // A batch that fails midway applies none of it.
    let bogus = json!({"mutation_id": Uuid::now_v7(), "seq": 5, "kind": "bogus", "body": {}});
    let (status, _) = push(
        &server,
        &token,
        json!([response_item(4, session, 3), bogus]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&server, "SELECT count(*) FROM responses").await, 2);

    // Another kiosk cannot write into this kiosk's session.
    let (_, other) = server.enroll("kiosk-b").await;
    let (status, body) = push(&server, &other, json!([response_item(1, session, 9)])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // An oversized body is refused before it is read.
    let huge = json!({"items": [], "padding": "x".repeat(3 * 1024 * 1024)});
    let (status, _) = server
        .call("POST", "/api/sync/push", Some(&token), Some(huge))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    server.stop().await;
}

/// The wire contract's push fixture (one change of every kind, as `panelist-wire`'s
/// types write them) applied by the real server; what the server then shows reads as the
/// contract's types.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contract_fixture_of_every_change_kind_applies_on_the_server() {
    use panelist_wire::{PushRequest, PushResponse, SessionView};
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../wire/tests/fixtures/push_request.json");
    let fixture: PushRequest =
        serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let (erasure, changes) = fixture.items.split_last().unwrap();
    assert_eq!(erasure.mutation.kind().as_str(), "erasure");

    let server = support::start().await;
    let (_, token) = server.enroll("kiosk-a").await;
    let admin = server
        .user_token("admin@example.com", panelist_core::Role::Admin)
        .await;
    // Without per-item refusals, a PushRequest is `{"items": […]}`.
    let (status, body) = push(&server, &token, serde_json::to_value(changes).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer: PushResponse = serde_json::from_value(body).unwrap();
    assert_eq!(answer.results.len(), changes.len());
    assert!(answer
        .results
        .iter()
        .all(|r| r.outcome == panelist_wire::ItemOutcome::Applied && r.kiosk_code.is_none()));

    let (status, body) = server
        .call("GET", "/api/sessions", Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let sessions: Vec<SessionView> = serde_json::from_value(body).unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].status, panelist_core::SessionStatus::Completed);
    assert_eq!(sessions[0].responses, 1);
    let review = sessions[0].review.as_ref().expect("the review arrived");
    assert_eq!(review.score_adjustments[0].value, 75);
    let report = changes
        .iter()
        .find_map(|c| match &c.mutation {
            panelist_wire::Mutation::Report(r) => Some(r.clone()),
            _ => None,
        })
        .unwrap();
    let (status, body) = server
        .call(
            "GET",
            &format!("/api/reports/session/{}", report.session_id),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        serde_json::from_value::<panelist_core::Report>(body).unwrap(),
        *report
    );

    let (status, body) = push(&server, &token, serde_json::to_value([erasure]).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(count(&server, "SELECT count(*) FROM sessions").await, 0);
    assert_eq!(count(&server, "SELECT count(*) FROM mutations").await, 7);
    server.stop().await;
}
