//! A hostile or broken server answering with 1 GiB: the sync client stops reading at
//! its limit, says why, and its memory stays bounded (the body is never buffered whole).
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use panelist_sync::{Retry, SyncClient, SyncError, MAX_ANSWER_BYTES};

const GIB: u64 = 1024 * 1024 * 1024;

/// Serves one connection: `head` then up to 1 GiB of JSON-ish bytes (until the client
/// hangs up). Returns how many body bytes were written.
fn huge_server(head: &'static str) -> (String, std::thread::JoinHandle<u64>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request);
        if stream.write_all(head.as_bytes()).is_err() {
            return 0;
        }
        let _ = stream.write_all(b"{\"items\": [], \"padding\": \"");
        let chunk = vec![b'x'; 1024 * 1024];
        let mut sent = 0u64;
        while sent < GIB {
            if stream.write_all(&chunk).is_err() {
                break;
            }
            sent += chunk.len() as u64;
        }
        sent
    });
    (url, handle)
}

fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap()
        / 1024
}

fn client(url: &str) -> SyncClient {
    let retry = Retry {
        attempts: 3,
        first_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(10),
        timeout: Duration::from_secs(60),
    };
    SyncClient::new(url, Some("pdt_test".into()), retry, false).unwrap()
}

#[test]
fn a_one_gib_answer_is_refused_at_the_limit_with_bounded_memory() {
    let before = peak_rss_mib();
    // No declared length: the client must stop reading by itself.
    let (url, server) = huge_server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n",
    );
    let started = Instant::now();
    let err = client(&url).revisions(0).expect_err("a 1 GiB page");
    let elapsed = started.elapsed();
    assert!(
        matches!(err, SyncError::AnswerTooLarge { limit } if limit == MAX_ANSWER_BYTES),
        "{err}"
    );
    assert!(err.to_string().contains("larger than"), "{err}");
    let sent = server.join().unwrap();
    let grew = peak_rss_mib().saturating_sub(before);
    println!(
        "1 GiB answer: refused after {:.2} s; the server got {} MiB out before the client hung up; \
         peak RSS +{grew} MiB",
        elapsed.as_secs_f64(),
        sent / (1024 * 1024)
    );
    // Read once (not retried) and not to the end.
    assert!(sent < GIB / 2, "the client read {sent} bytes");
    assert!(
        grew < 3 * MAX_ANSWER_BYTES / (1024 * 1024),
        "peak RSS grew {grew} MiB"
    );
}

#[test]
fn a_declared_huge_length_is_refused_before_reading() {
    let (url, server) = huge_server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n",
    );
    let err = client(&url).revisions(0).expect_err("a 1 GiB page");
    assert!(matches!(err, SyncError::AnswerTooLarge { .. }), "{err}");
    let sent = server.join().unwrap();
    assert!(sent < GIB / 2, "the client read {sent} bytes");
}
