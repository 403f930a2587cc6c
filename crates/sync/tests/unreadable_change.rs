//! A queued change this kiosk cannot read back (written by another version, or damaged)
//! is set aside with the reason, never sent; the changes after it are pushed.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use panelist_store::Store;
use panelist_wire::{ItemOutcome, ItemResult, PushRequest, PushResponse, RevisionPage};
use support::publish;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server (wiremock on 127.0.0.1) that answers the feed with nothing and every push
/// by acknowledging what it received; it keeps the requests it was sent.
fn fake_server(runtime: &tokio::runtime::Runtime) -> MockServer {
    runtime.block_on(async {
        let server = MockServer::builder().start().await;
        let empty = RevisionPage {
            items: vec![],
            cursor: 0,
            more: false,
        };
        Mock::given(method("GET"))
            .and(path("/api/sync/revisions"))
            .respond_with(ResponseTemplate::new(200).set_body_json(empty))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/api/sync/push"))
            .respond_with(|request: &wiremock::Request| {
                let Ok(push) = request.body_json::<PushRequest>() else {
                    return ResponseTemplate::new(400);
                };
                let answer = PushResponse {
                    results: push
                        .items
                        .iter()
                        .map(|i| ItemResult {
                            mutation_id: i.mutation_id,
                            outcome: ItemOutcome::Applied,
                            kiosk_code: None,
                            refusal: None,
                        })
                        .collect(),
                };
                ResponseTemplate::new(200).set_body_json(answer)
            })
            .mount(&server)
            .await;
        server
    })
}

/// The batches the server was pushed, in order.
fn pushes(runtime: &tokio::runtime::Runtime, server: &MockServer) -> Vec<PushRequest> {
    runtime
        .block_on(server.received_requests())
        .expect("requests are recorded")
        .iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path() == "/api/sync/push")
        .map(|r| r.body_json().unwrap())
        .collect()
}

#[test]
fn an_unreadable_queued_change_is_set_aside_and_the_next_one_is_pushed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panelist.db");
    let mut store = Store::open(&path).unwrap();
    let damaged = publish(&mut store, "Damaged", "DAMAG3");
    let fine = publish(&mut store, "Fine", "F1NEXX");
    let queued = store.pending_outbox(10).unwrap();
    assert_eq!(queued.len(), 2);
    // The first queued change no longer reads as a revision.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE outbox SET body = '{\"interview_id\": 42}' WHERE seq = ?1",
            [queued[0].seq],
        )
        .unwrap();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = fake_server(&runtime);
    let url = server.uri();
    store.set_sync_setting("server", &url).unwrap();
    store.set_sync_setting("device_token", "pdt_test").unwrap();
    let options = panelist_sync::SyncOptions {
        retry: panelist_sync::Retry {
            attempts: 1,
            first_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(10),
            timeout: Duration::from_secs(10),
        },
        batch_size: 50,
    };
    let report = panelist_sync::sync(&mut store, &options).unwrap();
    assert_eq!((report.pushed, report.set_aside, report.pending), (1, 1, 0));
    // The next sync has nothing to send: the unreadable change is not retried blindly.
    let report = panelist_sync::sync(&mut store, &options).unwrap();
    assert_eq!((report.pushed, report.set_aside), (0, 0));
    let pushes = pushes(&runtime, &server);
    assert_eq!(pushes.len(), 1);
    assert_eq!(pushes[0].items.len(), 1);
    assert_eq!(pushes[0].items[0].mutation.revision_of(), Some(fine));

    let status = panelist_sync::status(&store).unwrap();
    assert_eq!(status.set_aside.len(), 1);
    assert_eq!(status.set_aside[0].subject, damaged.to_string());
    assert!(
        status.set_aside[0]
            .reason
            .starts_with("unreadable on this kiosk"),
        "{:?}",
        status.set_aside[0]
    );
}
