//! `panelist enroll` and `panelist sync`: the kiosk's side of the Panelist server.

use std::time::Duration;

use anyhow::Context;
use panelist_store::Store;
use panelist_sync::{Retry, SyncOptions};

/// How persistent a sync is; flags exist so scripts and tests can fail fast.
#[derive(clap::Args, Clone, Debug)]
pub struct RetryArgs {
    /// Attempts per request before the server counts as unreachable.
    #[arg(long, default_value_t = 5)]
    pub attempts: u32,
    /// Seconds allowed for one request.
    #[arg(long, default_value_t = 30.0)]
    pub timeout_secs: f64,
    /// Seconds to wait after the first failure (doubling after each one).
    #[arg(long, default_value_t = 0.5)]
    pub backoff_secs: f64,
}

impl RetryArgs {
    fn retry(&self) -> Retry {
        Retry {
            attempts: self.attempts.max(1),
            first_backoff: Duration::from_secs_f64(self.backoff_secs.max(0.0)),
            max_backoff: Duration::from_secs(8),
            timeout: Duration::from_secs_f64(self.timeout_secs.max(0.1)),
        }
    }
}

fn open_store(data_dir: &std::path::Path) -> anyhow::Result<Store> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let path = data_dir.join(panelist_service::DATABASE_FILE);
    Store::open(&path).with_context(|| format!("cannot open {}", path.display()))
}

pub fn enroll(
    data_dir: &std::path::Path,
    server: &str,
    code: &str,
    name: Option<&str>,
    retry: &RetryArgs,
) -> anyhow::Result<()> {
    let mut store = open_store(data_dir)?;
    let name = name
        .map(str::to_string)
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "kiosk".into());
    let device = panelist_sync::enroll(&mut store, server, code, &name, retry.retry())
        .context("enrollment failed")?;
    println!("enrolled as device {device} with {server}");
    Ok(())
}

pub fn sync(
    data_dir: &std::path::Path,
    status_only: bool,
    batch: usize,
    retry: &RetryArgs,
    json: bool,
) -> anyhow::Result<()> {
    let mut store = open_store(data_dir)?;
    if status_only {
        let s = panelist_sync::status(&store)?;
        if json {
            println!(
                "{}",
                serde_json::json!({"server": s.server, "device_id": s.device_id,
                    "pending": s.pending, "pushed": s.pushed, "cursor": s.cursor})
            );
        } else {
            match (&s.server, &s.device_id) {
                (Some(server), Some(device)) => println!("enrolled with {server} as {device}"),
                _ => println!("not enrolled"),
            }
            println!("{} change(s) waiting, {} pushed", s.pending, s.pushed);
        }
        return Ok(());
    }
    let options = SyncOptions {
        retry: retry.retry(),
        batch_size: batch.max(1),
    };
    let report = panelist_sync::sync(&mut store, &options)?;
    if json {
        println!(
            "{}",
            serde_json::json!({"pulled": report.pulled, "archived": report.archived,
                "pushed": report.pushed, "already_on_server": report.already_on_server,
                "pending": report.pending, "audio_uploaded": report.audio_uploaded})
        );
    } else {
        println!(
            "pulled {} revision(s), {} archived; pushed {} change(s) ({} already on the server); {} waiting",
            report.pulled, report.archived, report.pushed, report.already_on_server, report.pending
        );
        if report.audio_uploaded > 0 {
            println!("uploaded {} answer recording(s)", report.audio_uploaded);
        }
    }
    Ok(())
}
