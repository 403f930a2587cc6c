//! A login flood against a real server over a real PostgreSQL. Alone in its test binary:
//! the server runs in this process, so the process's peak RSS (VmHWM) is the server's
//! (plus the clients'), which other tests running in parallel would blur.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .expect("VmHWM in /proc/self/status")
}

/// 300 logins at once: argon2id takes 19 MiB per check, so unbounded hashing would need
/// about 5.6 GiB. With the hashing slots the server's memory stays bounded and every
/// answer is 401, 429 or 503 (the server runs in this process: VmHWM is its peak).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_flood_keeps_memory_bounded() {
    let server = support::start_with(|c| {
        c.limits.ip_attempts = 100_000;
        c.limits.email_attempts = 100_000;
    })
    .await;
    let before = peak_rss_kib();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let tasks: Vec<_> = (0..300)
        .map(|i| {
            let http = http.clone();
            let url = format!("{}/api/auth/login", server.url);
            tokio::spawn(async move {
                http.post(url)
                    .json(&json!({"email": format!("flood{}@example.com", i % 7),
                        "password": "not the password"}))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
            })
        })
        .collect();
    let mut counts = std::collections::BTreeMap::new();
    for task in tasks {
        let status = task.await.unwrap().expect("every request is answered");
        *counts.entry(status).or_insert(0u32) += 1;
    }
    let after = peak_rss_kib();
    let grew_mib = after.saturating_sub(before) / 1024;
    println!(
        "login flood: {counts:?} in {:.1} s; peak RSS {} MiB before, {} MiB after (+{grew_mib} MiB)",
        started.elapsed().as_secs_f64(),
        before / 1024,
        after / 1024
    );
    assert!(
        counts.keys().all(|s| [401, 429, 503].contains(s)),
        "{counts:?}"
    );
    assert!(
        counts.get(&503).copied().unwrap_or(0) > 0,
        "the slots were never full: {counts:?}"
    );
    assert!(grew_mib < 200, "peak RSS grew by {grew_mib} MiB");
    // The server is still there and answers.
    let (status, _) = server.call("GET", "/api/health", None, None).await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}
