//! Background sync for the kiosk app: a thread with its own connection to the database
//! that pulls revisions and pushes the outbox while the kiosk works, backs off while the
//! server is unreachable, and keeps a status admin mode shows.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use panelist_store::Store;
use panelist_sync::{Retry, SyncError, SyncOptions};

use crate::dto::{SetAsideItem, SyncStatus};
use crate::{Admin, Permission, Result};

/// What the last attempts did, shared between the worker and admin mode.
#[derive(Debug, Default)]
struct State {
    running: bool,
    last_attempt: Option<DateTime<Utc>>,
    last_success: Option<DateTime<Utc>>,
    last_error: Option<String>,
    wake: bool,
    stop: bool,
}

/// The handle on the background sync.
#[derive(Debug, Default)]
pub struct SyncMonitor {
    state: Mutex<State>,
    signal: Condvar,
}

impl SyncMonitor {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Asks the worker to sync now instead of at its next turn.
    pub fn wake(&self) {
        self.lock().wake = true;
        self.signal.notify_all();
    }

    pub fn stop(&self) {
        self.lock().stop = true;
        self.signal.notify_all();
    }

    /// Sleeps until `timeout` passes or someone wakes the worker; false once stopped.
    fn wait(&self, timeout: Duration) -> bool {
        let guard = self.lock();
        let (mut guard, _) = self
            .signal
            .wait_timeout_while(guard, timeout, |s| !s.wake && !s.stop)
            .unwrap_or_else(|p| p.into_inner());
        guard.wake = false;
        !guard.stop
    }
}

/// How often the worker syncs, and how far it backs off while the server is away.
#[derive(Clone, Debug)]
pub struct SyncSchedule {
    pub interval: Duration,
    pub max_backoff: Duration,
    /// Retries inside one sync (the HTTP client's own backoff).
    pub retry: Retry,
}

impl Default for SyncSchedule {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(60),
            max_backoff: Duration::from_secs(15 * 60),
            retry: Retry::default(),
        }
    }
}

/// Starts the worker on the database of `data_dir`. It does nothing but wait while the
/// kiosk is not enrolled.
pub fn spawn_background_sync(
    data_dir: PathBuf,
    monitor: Arc<SyncMonitor>,
    schedule: SyncSchedule,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("panelist-sync".into())
        .spawn(move || worker(data_dir, monitor, schedule))
        .unwrap_or_else(|e| {
            tracing::error!("cannot start the background sync: {e}");
            std::thread::spawn(|| {})
        })
}

fn worker(data_dir: PathBuf, monitor: Arc<SyncMonitor>, schedule: SyncSchedule) {
    let mut failures = 0u32;
    let mut store: Option<Store> = None;
    loop {
        let wait = if failures == 0 {
            schedule.interval
        } else {
            (schedule.interval * 2u32.saturating_pow(failures.min(10))).min(schedule.max_backoff)
        };
        if store.is_none() {
            match Store::open(&crate::database_path(&data_dir)) {
                Ok(s) => store = Some(s),
                Err(e) => tracing::warn!("background sync cannot open the database: {e}"),
            }
        }
        if let Some(store) = store.as_mut() {
            if panelist_sync::status(store).is_ok_and(|s| s.server.is_some()) {
                {
                    let mut s = monitor.lock();
                    s.running = true;
                    s.last_attempt = Some(Utc::now());
                }
                let options = SyncOptions {
                    retry: schedule.retry.clone(),
                    ..SyncOptions::default()
                };
                let outcome = panelist_sync::sync(store, &options);
                let mut s = monitor.lock();
                s.running = false;
                match outcome {
                    Ok(report) => {
                        tracing::info!(?report, "background sync done");
                        failures = 0;
                        s.last_success = Some(Utc::now());
                        s.last_error = None;
                    }
                    Err(e) => {
                        failures += 1;
                        s.last_error = Some(describe(&e));
                    }
                }
            }
        }
        if !monitor.wait(wait) {
            return;
        }
    }
}

fn describe(e: &SyncError) -> String {
    e.to_string()
}

impl Admin {
    /// Enrollment, what waits in the outbox, and what the background sync last did.
    pub fn sync_status(&self, monitor: &SyncMonitor) -> Result<SyncStatus> {
        self.require(Permission::ManageSync)?;
        let stored = panelist_sync::status(self.app.store())
            .map_err(|e| crate::AdminError::Internal(e.to_string()))?;
        let s = monitor.lock();
        Ok(SyncStatus {
            enrolled: stored.server.is_some(),
            server: stored.server,
            pending: stored.pending,
            last_attempt: s.last_attempt.map(|t| t.to_rfc3339()),
            last_success: s.last_success.map(|t| t.to_rfc3339()),
            last_error: s.last_error.clone(),
            running: s.running,
            set_aside: stored
                .set_aside
                .into_iter()
                .map(|a| SetAsideItem {
                    direction: a.direction.to_string(),
                    kind: a.kind.as_str().to_string(),
                    position: a.position,
                    subject: a.subject,
                    reason: a.reason,
                    at: a.at.to_rfc3339(),
                })
                .collect(),
        })
    }

    /// Wakes the background sync and returns the status.
    pub fn sync_now(&self, monitor: &SyncMonitor) -> Result<SyncStatus> {
        self.require(Permission::ManageSync)?;
        monitor.wake();
        self.sync_status(monitor)
    }
}
