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
    insecure_http: bool,
    retry: &RetryArgs,
) -> anyhow::Result<()> {
    if panelist_sync::check_server_url(server, insecure_http)? {
        eprintln!(
            "WARNING: --insecure-http: this kiosk will sync with {server} over plain http; \
             its device token and candidates' data cross the network unencrypted. \
             Use it on a lab network only."
        );
    }
    let mut store = open_store(data_dir)?;
    let name = name
        .map(str::to_string)
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "kiosk".into());
    let device = panelist_sync::enroll(
        &mut store,
        server,
        code,
        &name,
        retry.retry(),
        insecure_http,
    )
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
            let set_aside: Vec<_> = s
                .set_aside
                .iter()
                .map(|a| {
                    serde_json::json!({"direction": a.direction, "kind": a.kind,
                        "position": a.position, "subject": a.subject, "reason": a.reason,
                        "at": a.at})
                })
                .collect();
            println!(
                "{}",
                serde_json::json!({"server": s.server, "device_id": s.device_id,
                    "pending": s.pending, "pushed": s.pushed, "cursor": s.cursor,
                    "set_aside": set_aside})
            );
        } else {
            match (&s.server, &s.device_id) {
                (Some(server), Some(device)) => println!("enrolled with {server} as {device}"),
                _ => println!("not enrolled"),
            }
            println!("{} change(s) waiting, {} pushed", s.pending, s.pushed);
            if !s.set_aside.is_empty() {
                println!(
                    "{} item(s) set aside (never sent again; the reason says what the server refused):",
                    s.set_aside.len()
                );
                for a in &s.set_aside {
                    println!(
                        "  {} {} #{} ({}): {}",
                        a.direction, a.kind, a.position, a.subject, a.reason
                    );
                }
            }
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
                "pending": report.pending, "audio_uploaded": report.audio_uploaded,
                "set_aside": report.set_aside})
        );
    } else {
        println!(
            "pulled {} revision(s), {} archived; pushed {} change(s) ({} already on the server); {} waiting",
            report.pulled, report.archived, report.pushed, report.already_on_server, report.pending
        );
        if report.set_aside > 0 {
            println!(
                "set aside {} item(s) the server refused or this kiosk cannot store \
                 (see `panelist sync --status`)",
                report.set_aside
            );
        }
        if report.audio_uploaded > 0 {
            println!("uploaded {} answer recording(s)", report.audio_uploaded);
        }
    }
    Ok(())
}
