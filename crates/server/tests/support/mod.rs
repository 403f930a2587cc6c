//! A real server on a free port over a throwaway PostgreSQL cluster, and HTTP helpers.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;

use panelist_server::testing::TestPostgres;
use panelist_server::{RawConfig, ServerConfig};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::PgPool;

pub const SECRET: &str = "t3st-Kq9vR2mX7pL4wZ8cN1bH6jF0dY5sGa";

pub struct TestServer {
    pub url: String,
    pub pool: PgPool,
    pub config: ServerConfig,
    pub http: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    // Dropped last: the cluster outlives the pool and the server.
    pub pg: TestPostgres,
}

pub async fn start() -> TestServer {
    start_with(|_| {}).await
}

/// A server whose configuration `adjust` changes first (lower limits, say).
pub async fn start_with(adjust: impl FnOnce(&mut ServerConfig)) -> TestServer {
    let pg = TestPostgres::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    let database_url = pg
        .create_database("panelist")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let config = ServerConfig::from_raw(RawConfig {
        database_url: Some(database_url.clone()),
        listen: Some("127.0.0.1:0".into()),
        secret_key: Some(SECRET.into()),
        ..RawConfig::default()
    })
    .expect("config");
    let mut config = config;
    adjust(&mut config);
    let pool = panelist_server::connect(&database_url)
        .await
        .expect("connect");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server_pool = pool.clone();
    let server_config = config.clone();
    let task = tokio::spawn(async move {
        panelist_server::serve(listener, server_pool, &server_config, async {
            let _ = rx.await;
        })
        .await
        .expect("serve");
    });
    TestServer {
        url,
        pool,
        config,
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client"),
        shutdown: Some(tx),
        task: Some(task),
        pg,
    }
}

impl TestServer {
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.pool.close().await;
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let url = format!("{}{path}", self.url);
        let mut request = match method {
            "GET" => self.http.get(url),
            _ => self.http.post(url),
        };
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// Creates an account directly and logs in through the API.
    pub async fn user_token(&self, email: &str, role: panelist_core::Role) -> String {
        let password = "correct horse battery staple";
        panelist_server::create_user(&self.pool, email, password, role)
            .await
            .expect("user");
        self.login(email, password).await
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let (status, body) = self
            .call(
                "POST",
                "/api/auth/login",
                None,
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["token"].as_str().expect("token").to_string()
    }

    /// Enrolls a device with a fresh code; returns (device id, device token).
    pub async fn enroll(&self, name: &str) -> (String, String) {
        let code = panelist_server::create_enrollment_code(&self.pool, Duration::from_secs(600))
            .await
            .expect("code");
        let (status, body) = self
            .call(
                "POST",
                "/api/sync/enroll",
                None,
                Some(json!({"code": code.code, "name": name})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        (
            body["device_id"].as_str().expect("id").to_string(),
            body["token"].as_str().expect("token").to_string(),
        )
    }
}
