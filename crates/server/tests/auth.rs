//! Auth against a real server and a real PostgreSQL: tokens that must be refused,
//! enrollment codes that must not work twice, and the endpoint × role matrix.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use base64::Engine;
use jsonwebtoken::{encode, EncodingKey, Header};
use panelist_core::Role;
use panelist_server::{JWT_AUDIENCE, JWT_ISSUER};
use reqwest::StatusCode;
use serde_json::{json, Value};
use support::SECRET;

fn b64(value: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

fn signed(claims: &Value) -> String {
    encode(
        &Header::default(),
        claims,
        &EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .expect("sign")
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_expired_and_misaddressed_tokens_get_401() {
    let server = support::start().await;
    let good = server.user_token("admin@example.com", Role::Admin).await;
    let (status, _) = server
        .call("GET", "/api/interviews", Some(&good), None)
        .await;
    assert_eq!(status, StatusCode::OK, "a fresh login token works");

    let (user_id, role) = {
        let claims: Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(good.split('.').nth(1).expect("payload"))
                .expect("base64"),
        )
        .expect("claims");
        (claims["sub"].clone(), claims["role"].clone())
    };
    let base = json!({"sub": user_id, "role": role, "iss": JWT_ISSUER, "aud": JWT_AUDIENCE,
        "iat": now(), "exp": now() + 600});
    let with = |key: &str, value: Value| {
        let mut c = base.clone();
        c[key] = value;
        c
    };
    let mut no_exp = base.clone();
    no_exp.as_object_mut().expect("object").remove("exp");
    let mut no_aud = base.clone();
    no_aud.as_object_mut().expect("object").remove("aud");

    let alg_none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&base)
    );
    let alg_none_signed = format!(
        "{}.{}.{}",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&base),
        good.split('.').nth(2).expect("signature")
    );
    let hs512 = encode(
        &Header::new(jsonwebtoken::Algorithm::HS512),
        &base,
        &EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .expect("sign");
    let other_key = encode(
        &Header::default(),
        &base,
        &EncodingKey::from_secret(b"another-key-Kq9vR2mX7pL4wZ8cN1bH6jF0"),
    )
    .expect("sign");
    let cases = [
        ("alg=none", alg_none),
        ("alg=none with a signature", alg_none_signed),
        ("another algorithm (HS512)", hs512),
        ("signed with another key", other_key),
        ("wrong aud", signed(&with("aud", json!("someone-else")))),
        ("no aud", signed(&no_aud)),
        ("wrong iss", signed(&with("iss", json!("evil")))),
        ("expired", signed(&with("exp", json!(now() - 3600)))),
        ("no exp", signed(&no_exp)),
        // Wrongly typed time claims must not count as absent (CVE-2026-25537, fixed in
        // jsonwebtoken 10.3): an expiry or a not-before written as a string.
        (
            "exp as a string",
            signed(&with("exp", json!((now() - 3600).to_string()))),
        ),
        (
            "not valid before an hour from now",
            signed(&with("nbf", json!(now() + 3600))),
        ),
        (
            "nbf as a string",
            signed(&with("nbf", json!((now() + 3600).to_string()))),
        ),
        ("garbage", "not.a.token".to_string()),
    ];
    for (what, token) in cases {
        let (status, body) = server
            .call("GET", "/api/interviews", Some(&token), None)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
        assert_eq!(body["code"], "unauthorized", "{what}");
    }
    let (status, _) = server.call("GET", "/api/interviews", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no token");

    let (status, _) = server
        .call(
            "POST",
            "/api/auth/login",
            None,
            Some(json!({"email": "admin@example.com", "password": "wrong password!"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "wrong password");
    let (status, _) = server
        .call(
            "POST",
            "/api/auth/login",
            None,
            Some(json!({"email": "nobody@example.com", "password": "whatever password"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "unknown account");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrollment_codes_work_once_and_not_when_expired_or_revoked_and_devices_can_be_revoked() {
    let server = support::start().await;
    let admin = server.user_token("admin@example.com", Role::Admin).await;
    let enroll = |code: String| {
        let server = &server;
        async move {
            server
                .call(
                    "POST",
                    "/api/sync/enroll",
                    None,
                    Some(json!({"code": code, "name": "kiosk"})),
                )
                .await
        }
    };

    let (status, code) = server
        .call("POST", "/api/enrollment-codes", Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{code}");
    let code_text = code["code"].as_str().expect("code").to_string();
    // Typed in lower case without dashes, the code still works (once).
    let (status, first) = enroll(code_text.replace('-', "").to_lowercase()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let (status, again) = enroll(code_text.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a reused code: {again}");

    let expired = panelist_server::create_enrollment_code(&server.pool, Duration::ZERO)
        .await
        .expect("code");
    let (status, _) = enroll(expired.code).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "an expired code");

    let (_, revoked) = server
        .call("POST", "/api/enrollment-codes", Some(&admin), None)
        .await;
    let (status, _) = server
        .call(
            "POST",
            &format!(
                "/api/enrollment-codes/{}/revoke",
                revoked["id"].as_str().expect("id")
            ),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = enroll(revoked["code"].as_str().expect("code").to_string()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a revoked code");
    let (status, _) = enroll("NOPE-NOPE-NOPE".into()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "an unknown code");

    // The device token works for sync and nothing else, until it is revoked.
    let token = first["token"].as_str().expect("token");
    let (status, _) = server
        .call("GET", "/api/sync/revisions?after=0", Some(token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = server
        .call("GET", "/api/interviews", Some(token), None)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a device token on the admin API"
    );
    let (status, _) = server
        .call("GET", "/api/sync/revisions?after=0", Some(&admin), None)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a login token on the sync API"
    );
    let (status, _) = server
        .call(
            "POST",
            &format!(
                "/api/devices/{}/revoke",
                first["device_id"].as_str().expect("id")
            ),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = server
        .call("GET", "/api/sync/revisions?after=0", Some(token), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a revoked device: {body}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_enforces_its_roles() {
    let server = support::start().await;
    let admin = server.user_token("admin@example.com", Role::Admin).await;
    let recruiter = server.user_token("rec@example.com", Role::Recruiter).await;
    let hr = server.user_token("hr@example.com", Role::Hr).await;
    let (_, device_token) = server.enroll("kiosk").await;

    // An interview to publish and archive, and a nonexistent session for the report.
    let (_, interview) = server
        .call(
            "POST",
            "/api/interviews",
            Some(&admin),
            Some(json!({"job_role": "Data Scientist", "difficulty": "medium",
                "focus_areas": ["ML"], "time_limit": 10, "num_questions": 2})),
        )
        .await;
    let id = interview["id"].as_str().expect("id").to_string();
    let missing = uuid::Uuid::now_v7();
    let new_interview = json!({"job_role": "Analyst", "difficulty": "easy",
        "time_limit_minutes": 5, "num_questions": 1});
    let new_user = |n: u32| {
        json!({"email": format!("u{n}@example.com"),
        "password": "long enough password", "role": "hr"})
    };

    // (method, path, body, [admin, recruiter, hr] allowed)
    let mut n = 0;
    let endpoints: Vec<(&str, String, Option<Value>, [bool; 3])> = vec![
        ("GET", "/api/interviews".into(), None, [true, true, true]),
        (
            "POST",
            "/api/interviews".into(),
            Some(new_interview.clone()),
            [true, true, false],
        ),
        (
            "POST",
            format!("/api/interviews/{id}/publish"),
            None,
            [true, true, false],
        ),
        ("GET", "/api/sessions".into(), None, [true, false, true]),
        (
            "GET",
            format!("/api/reports/session/{missing}"),
            None,
            [true, false, true],
        ),
        (
            "POST",
            "/api/enrollment-codes".into(),
            None,
            [true, false, false],
        ),
        ("GET", "/api/devices".into(), None, [true, false, false]),
        (
            "POST",
            "/api/users".into(),
            Some(Value::Null),
            [true, false, false],
        ),
        (
            "POST",
            format!("/api/interviews/{id}/archive"),
            None,
            [true, true, false],
        ),
    ];
    for (method, path, body, allowed) in endpoints {
        for (who, token, ok) in [
            ("admin", &admin, allowed[0]),
            ("recruiter", &recruiter, allowed[1]),
            ("hr", &hr, allowed[2]),
        ] {
            let body = if path == "/api/users" {
                n += 1;
                Some(new_user(n))
            } else {
                body.clone()
            };
            // Archive succeeds once; later allowed roles see 404, which is not a refusal.
            let (status, answer) = server.call(method, &path, Some(token), body.clone()).await;
            if ok {
                assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                    "{who} {method} {path}: {status} {answer}"
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{who} {method} {path}: {answer}"
                );
            }
        }
        let (status, _) = server.call(method, &path, None, body.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "anonymous {method} {path}"
        );
        let (status, _) = server.call(method, &path, Some(&device_token), body).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "device {method} {path}");
    }
    // The report endpoint answers 404 for a session it does not hold, to allowed roles.
    let (status, _) = server
        .call(
            "GET",
            &format!("/api/reports/session/{missing}"),
            Some(&hr),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Health needs nobody.
    let (status, body) = server.call("GET", "/api/health", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["database"], "ok");
    server.stop().await;
}
