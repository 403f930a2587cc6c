//! Shared by the sync tests: a real `panelist server run` child process over a
//! throwaway PostgreSQL, restartable on the same port (to kill it mid-batch), and
//! blocking HTTP helpers.
//!
//! Nothing it starts outlives the test: dropping a `ServerProc`, or calling `shutdown`
//! (which a test that shares the server with other threads calls from a guard of its
//! own, since another thread's handle may keep the value alive), kills the server and
//! waits for it, stops the cluster (`pg_ctl stop -m immediate`) and removes its folder.
//! After `shutdown` the server cannot be started again.
#![allow(dead_code, clippy::unwrap_used)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use panelist_server::testing::TestPostgres;
use serde_json::{json, Value};

use crate::util::{Env, BIN};

pub const SECRET: &str = "t3st-Kq9vR2mX7pL4wZ8cN1bH6jF0dY5sGa";

pub struct ServerProc {
    pub database_url: String,
    pub port: u16,
    child: Option<Child>,
    /// `None` once shut down.
    pg: Option<TestPostgres>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl ServerProc {
    pub fn start() -> Self {
        let pg = TestPostgres::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let database_url = runtime
            .block_on(pg.create_database("panelist"))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut server = Self {
            database_url,
            port: free_port(),
            child: None,
            pg: Some(pg),
        };
        server.spawn();
        server
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts `panelist server run` and waits until it answers its health check.
    pub fn spawn(&mut self) {
        assert!(self.pg.is_some(), "the server was shut down");
        let child = Command::new(BIN)
            .args([
                "server",
                "run",
                "--database-url",
                &self.database_url,
                "--listen",
                &format!("127.0.0.1:{}", self.port),
            ])
            .env("SECRET_KEY", SECRET)
            .env("PANELIST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        let http = reqwest::blocking::Client::new();
        loop {
            if let Ok(r) = http.get(format!("{}/api/health", self.url())).send() {
                if r.status().is_success() {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "the server did not come up");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL: no graceful shutdown, whatever was in flight is cut.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Kills the server (waiting for it), stops the PostgreSQL cluster and removes its
    /// folder. Idempotent; `Drop` calls it too.
    pub fn shutdown(&mut self) {
        self.kill();
        // TestPostgres's drop stops the cluster, then its temporary folder is removed.
        drop(self.pg.take());
    }

    pub fn admin_token(&self) -> String {
        let mut child = Command::new(BIN)
            .args([
                "server",
                "create-admin",
                "--database-url",
                &self.database_url,
                "--email",
                "admin@example.com",
                "--password-stdin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("create-admin");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin
                .write_all(b"correct horse battery staple\n")
                .expect("password");
        }
        let out = child.wait_with_output().expect("create-admin");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (status, body) = self.call(
            "POST",
            "/api/auth/login",
            None,
            Some(json!({"email": "admin@example.com", "password": "correct horse battery staple"})),
        );
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().expect("token").to_string()
    }

    /// Enrolls `kiosk` with this server (directly, or through `via`) and a fresh
    /// one-time code, under `name` when given.
    pub fn enroll(&self, kiosk: &Env, via: Option<&str>, name: Option<&str>) {
        let server = via.map_or_else(|| self.url(), str::to_string);
        let code = self.enrollment_code();
        let mut args = vec!["enroll", "--server", &server, "--code", &code];
        if let Some(name) = name {
            args.extend(["--name", name]);
        }
        kiosk.ok(&args);
    }

    /// Creates an interview through the API as `token` and publishes it; returns its id
    /// and kiosk code.
    pub fn publish(&self, token: &str, spec: Value) -> (String, String) {
        let (status, interview) = self.call("POST", "/api/interviews", Some(token), Some(spec));
        assert_eq!(status, 200, "{interview}");
        let id = interview["id"].as_str().expect("id").to_string();
        let (status, revision) = self.call(
            "POST",
            &format!("/api/interviews/{id}/publish"),
            Some(token),
            None,
        );
        assert_eq!(status, 200, "{revision}");
        let code = revision["kiosk_code"].as_str().expect("code").to_string();
        (id, code)
    }

    pub fn enrollment_code(&self) -> String {
        let out = Command::new(BIN)
            .args([
                "server",
                "enrollment-code",
                "--database-url",
                &self.database_url,
            ])
            .output()
            .expect("enrollment-code");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let http = reqwest::blocking::Client::new();
        let url = format!("{}{path}", self.url());
        let mut request = if method == "GET" {
            http.get(url)
        } else {
            http.post(url)
        };
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().expect("request");
        let status = response.status().as_u16();
        let text = response.text().unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// Runs a query against the server's database.
    pub fn query<T>(&self, sql: &str) -> Vec<T>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
    {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&self.database_url)
                .await
                .expect("connect");
            sqlx::query_as::<_, T>(sqlx::AssertSqlSafe(sql.to_string()))
                .fetch_all(&mut conn)
                .await
                .expect("query")
        })
    }
}

impl Drop for ServerProc {
    fn drop(&mut self) {
        self.shutdown();
    }
}
