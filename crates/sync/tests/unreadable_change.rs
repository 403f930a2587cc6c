//! A queued change this kiosk cannot read back (written by another version, or damaged)
//! is set aside with the reason, never sent; the changes after it are pushed.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use panelist_store::Store;
use panelist_wire::{ItemOutcome, ItemResult, PushRequest, PushResponse, RevisionPage};
use support::publish;

/// A server that answers the feed with nothing and every push by acknowledging what it
/// received; any other request stops it, and it returns the batches it was pushed.
fn fake_server() -> (String, std::thread::JoinHandle<Vec<PushRequest>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut pushes = Vec::new();
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return pushes;
            }
            let mut length = 0usize;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
                if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0u8; length];
            reader.read_exact(&mut body).unwrap();
            let answer = if line.starts_with("GET /api/sync/revisions") {
                serde_json::to_vec(&RevisionPage {
                    items: vec![],
                    cursor: 0,
                    more: false,
                })
                .unwrap()
            } else if line.starts_with("POST /api/sync/push") {
                let push: PushRequest = serde_json::from_slice(&body).unwrap();
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
                pushes.push(push);
                serde_json::to_vec(&answer).unwrap()
            } else {
                return pushes;
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                answer.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(&answer).unwrap();
        }
        pushes
    });
    (url, handle)
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

    let (url, server) = fake_server();
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
    // Stops the fake server.
    drop(std::net::TcpStream::connect(url.trim_start_matches("http://")).unwrap());
    let pushes = server.join().unwrap();
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
