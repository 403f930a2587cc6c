//! A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` in a temporary
//! directory, `pg_ctl start` on a free port with its socket in that directory, stopped
//! and deleted on drop. As root (CI) the cluster runs as the `postgres` system user,
//! because PostgreSQL refuses to run as root.
//!
//! Nothing is skipped silently: when PostgreSQL cannot start, `start` returns an error
//! that says why, and tests fail with it.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct TestPostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    run_as: Option<&'static str>,
}

fn find_bin() -> Result<PathBuf, String> {
    if let Ok(dir) = std::env::var("PANELIST_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .filter(|p| p.join("initdb").exists())
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    versions.pop().ok_or_else(|| {
        "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/setup.sh \
         or set PANELIST_PG_BIN"
            .to_string()
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

impl TestPostgres {
    /// Creates and starts a cluster; its superuser is `panelist`, trusted locally.
    pub fn start() -> Result<Self, String> {
        let bin = find_bin()?;
        let dir = tempfile::Builder::new()
            .prefix("panelist-pg-")
            .tempdir()
            .map_err(|e| format!("no temporary directory: {e}"))?;
        let run_as = is_root().then_some("postgres");
        if let Some(user) = run_as {
            let status = Command::new("chown")
                .arg(format!("{user}:"))
                .arg(dir.path())
                .status()
                .map_err(|e| format!("chown: {e}"))?;
            if !status.success() {
                return Err(format!(
                    "cannot hand {} to the `{user}` user",
                    dir.path().display()
                ));
            }
        }
        let mut pg = Self {
            dir,
            bin,
            port: 0,
            run_as,
        };
        let data = pg.data_dir();
        pg.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "panelist",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            ],
        )?;
        // A port can be taken between choosing it and binding it; try a few.
        let mut last = String::new();
        for _ in 0..5 {
            pg.port = free_port()?;
            let options = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200",
                pg.port,
                pg.dir.path().display()
            );
            let log = pg.dir.path().join("server.log");
            match pg.run(
                "pg_ctl",
                &[
                    "-D",
                    &data,
                    "-l",
                    &log.display().to_string(),
                    "-o",
                    &options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
            ) {
                Ok(()) => return Ok(pg),
                Err(e) => {
                    let log = std::fs::read_to_string(&log).unwrap_or_default();
                    last = format!("{e}\n{log}");
                }
            }
        }
        Err(format!("PostgreSQL did not start: {last}"))
    }

    fn data_dir(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let exe = self.bin.join(program);
        let mut command = match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        let output = command
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program} failed ({}): {}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A URL for database `name` (which `create_database` makes).
    pub fn url(&self, name: &str) -> String {
        format!("postgres://panelist@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates a database and returns its URL.
    pub async fn create_database(&self, name: &str) -> Result<String, String> {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&self.url("postgres"))
            .await
            .map_err(|e| format!("cannot connect to the test cluster: {e}"))?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut conn)
            .await
            .map_err(|e| format!("cannot create database {name}: {e}"))?;
        Ok(self.url(name))
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let data = self.data_dir();
        let _ = self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }
}
