//! Attacks with a stolen or rogue device token, and floods: a real server over a real
//! PostgreSQL. Each test is an attack that worked before the hardening of issue 18.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use panelist_core::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

fn revision(interview: Uuid, number: u32, code: &str) -> Value {
    json!({"interview_id": interview, "revision": number,
        "spec": {"job_role": "Engineer", "job_description": "Python services",
            "difficulty": "easy", "focus_areas": ["Python"], "time_limit_minutes": 10,
            "avatar": "ada", "num_questions": 1, "max_follow_ups_per_preset": 1},
        "questions": [{"text": "How do you test a service?", "tags": [], "key_points": [],
            "follow_ups": [], "source": null}],
        "kiosk_code": code, "published_at": "2026-03-01T10:00:00Z"})
}

fn item(seq: i64, body: Value) -> Value {
    json!({"mutation_id": Uuid::now_v7(), "seq": seq, "kind": "revision", "body": body})
}

async fn scalar<T>(server: &support::TestServer, sql: &str) -> T
where
    T: Send + Unpin + for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    let (v,): (T,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&server.pool)
        .await
        .expect("query");
    v
}

/// What a push could change: the interviews, their revisions and the feed.
async fn fingerprint(server: &support::TestServer) -> (String, i64, i64) {
    let interviews: String = scalar(
        server,
        "SELECT coalesce(string_agg(id::text || spec::text || revision::text || \
         coalesce(kiosk_code, '') || created_by, ',' ORDER BY id), '') FROM interviews",
    )
    .await;
    let revisions: i64 = scalar(server, "SELECT count(*) FROM interview_revisions").await;
    let feed: i64 = scalar(server, "SELECT coalesce(max(id), 0) FROM revision_feed").await;
    (interviews, revisions, feed)
}

async fn push(server: &support::TestServer, token: &str, items: Vec<Value>) -> (StatusCode, Value) {
    server
        .call(
            "POST",
            "/api/sync/push",
            Some(token),
            Some(json!({"items": items})),
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_pushes_revisions_only_of_interviews_it_created() {
    let server = support::start().await;
    let (_, a) = server.enroll("kiosk-a").await;
    let (_, b) = server.enroll("kiosk-b").await;
    let mine = Uuid::now_v7();
    let (status, body) = push(&server, &a, vec![item(1, revision(mine, 1, "ABCDEF"))]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // HR's interview, created and published on the server.
    let recruiter = server.user_token("rec@example.com", Role::Recruiter).await;
    let (status, created) = server
        .call(
            "POST",
            "/api/interviews",
            Some(&recruiter),
            Some(
                json!({"job_role": "Analyst", "difficulty": "easy", "time_limit": 10,
                "num_questions": 1}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let hr: Uuid = created["id"].as_str().unwrap().parse().unwrap();
    let (status, published) = server
        .call(
            "POST",
            &format!("/api/interviews/{hr}/publish"),
            Some(&recruiter),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");

    let before = fingerprint(&server).await;
    // Device B rewrites A's interview, then HR's: both refused, nothing changes.
    for (target, what) in [(mine, "another kiosk's interview"), (hr, "HR's interview")] {
        let (status, body) = push(&server, &b, vec![item(1, revision(target, 2, "QRSTUV"))]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{what}: {body}");
        assert_eq!(fingerprint(&server).await, before, "{what}");
    }
    // The owner still may publish its next revision.
    let (status, body) = push(&server, &a, vec![item(2, revision(mine, 2, "ABCDEF"))]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (revision,): (i32,) = sqlx::query_as("SELECT revision FROM interviews WHERE id = $1")
        .bind(mine)
        .fetch_one(&server.pool)
        .await
        .unwrap();
    assert_eq!(revision, 2);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushed_and_created_interviews_follow_the_services_rules() {
    let server = support::start().await;
    let (_, a) = server.enroll("kiosk-a").await;
    let before = fingerprint(&server).await;
    type Breaks = fn(&mut Value);
    let broken: Vec<(&str, Breaks)> = vec![
        ("no time", |r| r["spec"]["time_limit_minutes"] = json!(0)),
        ("nine follow-ups", |r| {
            r["spec"]["max_follow_ups_per_preset"] = json!(9)
        }),
        ("no questions", |r| r["questions"] = json!([])),
        ("a huge question", |r| {
            r["questions"][0]["text"] = json!("x".repeat(5000))
        }),
        ("an empty role", |r| r["spec"]["job_role"] = json!(" ")),
    ];
    for (what, breaks) in broken {
        let mut body = revision(Uuid::now_v7(), 1, "ABCDEF");
        breaks(&mut body);
        let (status, answer) = push(&server, &a, vec![item(1, body)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {answer}");
        assert_eq!(fingerprint(&server).await, before, "{what}");
    }
    // The server's own API: refused too, not clamped (it used to cap follow-ups at 5).
    let recruiter = server.user_token("rec@example.com", Role::Recruiter).await;
    for (key, value) in [("max_follow_ups_per_preset", 9), ("time_limit", 0)] {
        let mut body = json!({"job_role": "Analyst", "difficulty": "easy", "time_limit": 10,
            "num_questions": 1});
        body[key] = json!(value);
        let (status, answer) = server
            .call("POST", "/api/interviews", Some(&recruiter), Some(body))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{key}: {answer}");
    }
    assert_eq!(fingerprint(&server).await, before);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_kiosk_code_is_replaced_and_the_push_result_says_so() {
    let server = support::start().await;
    let (_, a) = server.enroll("kiosk-a").await;
    let (_, b) = server.enroll("kiosk-b").await;
    let first = Uuid::now_v7();
    let (status, body) = push(&server, &a, vec![item(1, revision(first, 1, "ABCDEF"))]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["results"][0].get("kiosk_code").is_none(), "{body}");

    // Another kiosk's new interview with the same code (any case): a new code.
    let second = Uuid::now_v7();
    let pushed = item(1, revision(second, 1, "abcdef"));
    let (status, body) = push(&server, &b, vec![pushed.clone()]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let assigned = body["results"][0]["kiosk_code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code assigned: {body}"))
        .to_string();
    assert!(panelist_core::rules::is_kiosk_code(&assigned), "{assigned}");
    assert_ne!(assigned.to_ascii_uppercase(), "ABCDEF");
    let codes: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, kiosk_code FROM interviews ORDER BY id")
            .fetch_all(&server.pool)
            .await
            .unwrap();
    assert_eq!(
        codes,
        vec![(first, "ABCDEF".to_string()), (second, assigned.clone())]
    );
    // The feed carries the server's code, so other kiosks pull that one.
    let (snapshot,): (Value,) = sqlx::query_as(
        "SELECT snapshot FROM interview_revisions WHERE interview_id = $1 AND revision = 1",
    )
    .bind(second)
    .fetch_one(&server.pool)
    .await
    .unwrap();
    assert_eq!(snapshot["kiosk_code"], assigned.as_str());
    // A retry after a lost acknowledgement is told the code again.
    let (status, body) = push(&server, &b, vec![pushed]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["outcome"], "duplicate");
    assert_eq!(body["results"][0]["kiosk_code"], assigned.as_str());
    // The next revision keeps the server's code whatever the kiosk sends.
    let (status, body) = push(&server, &b, vec![item(2, revision(second, 2, "ABCDEF"))]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["kiosk_code"], assigned.as_str());
    server.stop().await;
}

async fn login(server: &support::TestServer, email: &str, password: &str) -> reqwest::Response {
    server
        .http
        .post(format!("{}/api/auth/login", server.url))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .expect("login")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_wrong_passwords_for_one_email_get_429() {
    let server = support::start().await;
    let password = "correct horse battery staple";
    panelist_server::create_user(&server.pool, "hr@example.com", password, Role::Hr)
        .await
        .unwrap();
    panelist_server::create_user(&server.pool, "other@example.com", password, Role::Hr)
        .await
        .unwrap();
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for i in 0..20 {
        let r = login(&server, "HR@example.com ", &format!("guess number {i}")).await;
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            retry_after = r
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
        }
        statuses.push(r.status().as_u16());
    }
    assert_eq!(&statuses[..10], &[401; 10], "{statuses:?}");
    assert_eq!(&statuses[10..], &[429; 10], "{statuses:?}");
    let retry_after = retry_after.expect("Retry-After on 429");
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    // Locked means locked: the right password waits too…
    assert_eq!(
        login(&server, "hr@example.com", password).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // …but only for that email: another account from the same address signs in.
    assert_eq!(
        login(&server, "other@example.com", password).await.status(),
        StatusCode::OK
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_from_one_address_are_throttled_across_emails() {
    let server = support::start_with(|c| c.limits.ip_attempts = 12).await;
    let mut statuses = Vec::new();
    for i in 0..14 {
        let r = login(&server, &format!("user{i}@example.com"), "wrong password!").await;
        statuses.push(r.status().as_u16());
    }
    assert_eq!(&statuses[..12], &[401; 12], "{statuses:?}");
    assert_eq!(&statuses[12..], &[429; 2], "{statuses:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_are_limited_per_route_and_slow_requests_time_out() {
    let server = support::start_with(|c| c.limits.request_timeout = Duration::from_secs(1)).await;
    // A login body of 100 KB: refused before it is parsed.
    let r = server
        .http
        .post(format!("{}/api/auth/login", server.url))
        .json(&json!({"email": "a@example.com", "password": "p".repeat(100_000)}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // The same size is fine for a push (a 2 MB limit): it reaches the handler.
    let (_, token) = server.enroll("kiosk").await;
    let (status, _) = server
        .call(
            "POST",
            "/api/sync/push",
            Some(&token),
            Some(json!({"items": [], "padding": "p".repeat(100_000)})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // A body sent slower than the request timeout: 408, the connection is not held.
    let addr = server.url.trim_start_matches("http://").to_string();
    let (head, waited) = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream
            .write_all(
                format!(
                    "POST /api/sync/push HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
                     Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"items\""
                )
                .as_bytes(),
            )
            .unwrap();
        let started = std::time::Instant::now();
        let mut answer = vec![0u8; 1024];
        let n = stream.read(&mut answer).expect("the server answers a stalled body");
        (
            String::from_utf8_lossy(&answer[..n]).to_string(),
            started.elapsed(),
        )
    })
    .await
    .unwrap();
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
    assert!(waited < Duration::from_secs(10), "{waited:?}");
    server.stop().await;
}

/// Slow-loris on headers: a client that sends its request headers one byte a second, or
/// nothing at all, is cut off once the header time is up; other clients are served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_sending_its_headers_slowly_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let limit = Duration::from_secs(2);
    let server = support::start_with(|c| c.limits.header_timeout = limit).await;
    let addr = server.url.trim_start_matches("http://").to_string();

    // Until the server closes the connection (or answers), one byte a second, for at most
    // 10 s: how long the connection stayed open.
    async fn held_open(addr: &str, header: &[u8]) -> Option<Duration> {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let start = std::time::Instant::now();
        let mut bytes = header.iter();
        while start.elapsed() < Duration::from_secs(10) {
            if let Some(b) = bytes.next() {
                if stream.write_all(&[*b]).await.is_err() {
                    return Some(start.elapsed());
                }
            }
            let mut buf = [0u8; 512];
            match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buf)).await {
                Err(_) => {}
                Ok(_) => return Some(start.elapsed()),
            }
        }
        None
    }
    let slow = b"GET /api/health HTTP/1.1\r\nHost: panelist\r\nX-Slow: one byte a second\r\n\r\n";
    let cut = held_open(&addr, slow)
        .await
        .expect("a slow header held the connection for 10 s");
    assert!(
        cut >= limit - Duration::from_millis(500) && cut < limit * 3,
        "{cut:?}"
    );
    let cut = held_open(&addr, b"")
        .await
        .expect("a silent connection was held for 10 s");
    assert!(cut < limit * 3, "{cut:?}");

    // Meanwhile and after, a normal request is served.
    let (status, body) = server.call("GET", "/api/health", None, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    server.stop().await;
}

/// A kiosk that asks for per-item refusals: B's revision of A's interview is refused on
/// its own (403, with the reason) while B's own revision in the same batch applies; the
/// same batch again is answered the same way (duplicate, refused), not out of order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_forbidden_change_does_not_fail_its_batch_when_the_kiosk_asks() {
    let server = support::start().await;
    let (_, a) = server.enroll("kiosk-a").await;
    let (_, b) = server.enroll("kiosk-b").await;
    let theirs = Uuid::now_v7();
    let (status, body) = push(&server, &a, vec![item(1, revision(theirs, 1, "ABCDEF"))]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let before = fingerprint(&server).await;

    let mine = Uuid::now_v7();
    let batch = json!({"per_item_refusals": true, "items": [
        item(1, revision(theirs, 2, "ABCDEF")),
        item(2, revision(mine, 1, "GHJKMN")),
    ]});
    let (status, body) = server
        .call("POST", "/api/sync/push", Some(&b), Some(batch.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let outcomes: Vec<&str> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["refused", "applied"], "{body}");
    assert_eq!(body["results"][0]["refusal"]["code"], "forbidden", "{body}");
    assert!(
        body["results"][0]["refusal"]["message"]
            .as_str()
            .unwrap()
            .contains("not created by this device"),
        "{body}"
    );
    let revision_of_theirs: i32 = scalar(
        &server,
        &format!("SELECT revision FROM interviews WHERE id = '{theirs}'"),
    )
    .await;
    assert_eq!(revision_of_theirs, 1, "A's interview is unchanged");
    let revision_of_mine: i32 = scalar(
        &server,
        &format!("SELECT revision FROM interviews WHERE id = '{mine}'"),
    )
    .await;
    assert_eq!(revision_of_mine, 1);

    // The acknowledgement was lost: the same batch again.
    let (status, again) = server
        .call("POST", "/api/sync/push", Some(&b), Some(batch))
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    let outcomes: Vec<&str> = again["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["refused", "duplicate"], "{again}");
    assert_eq!(
        again["results"][0]["refusal"],
        body["results"][0]["refusal"]
    );
    let after = fingerprint(&server).await;
    assert_eq!(after.1, before.1 + 1, "one new revision: B's own");
    server.stop().await;
}
