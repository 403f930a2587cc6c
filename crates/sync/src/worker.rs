//! Background sync for the kiosk app: a thread with its own connection to the database
//! that pulls revisions and pushes the outbox while the kiosk works, backs off while the
//! server is unreachable, and keeps a status admin mode shows.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use panelist_store::Store;

use crate::client::Retry;
use crate::run::{status, sync, SyncOptions};

/// What the worker last did, as admin mode shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkerStatus {
    /// A sync is under way.
    pub running: bool,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// Turns the worker has finished (a turn checks enrollment and, when enrolled,
    /// syncs once): lets a caller wait for a turn that did nothing without sleeping.
    pub turns: u64,
}

#[derive(Debug, Default)]
struct State {
    status: WorkerStatus,
    wake: bool,
    stop: bool,
}

/// The handle on the background sync, shared between the worker and admin mode.
#[derive(Debug, Default)]
pub struct SyncMonitor {
    state: Mutex<State>,
    signal: Condvar,
}

impl SyncMonitor {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// What the worker last did.
    pub fn status(&self) -> WorkerStatus {
        self.lock().status.clone()
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

impl SyncSchedule {
    /// The wait before the next turn after `failures` failed syncs in a row: the
    /// interval, doubling with each failure, at most `max_backoff`.
    pub fn wait_after(&self, failures: u32) -> Duration {
        if failures == 0 {
            self.interval
        } else {
            (self.interval * 2u32.saturating_pow(failures.min(10))).min(self.max_backoff)
        }
    }
}

/// Starts the worker on the database file `database`. It does nothing but wait while
/// the kiosk is not enrolled.
pub fn spawn_background_sync(
    database: PathBuf,
    monitor: Arc<SyncMonitor>,
    schedule: SyncSchedule,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("panelist-sync".into())
        .spawn(move || worker(database, monitor, schedule))
        .unwrap_or_else(|e| {
            tracing::error!("cannot start the background sync: {e}");
            std::thread::spawn(|| {})
        })
}

fn worker(database: PathBuf, monitor: Arc<SyncMonitor>, schedule: SyncSchedule) {
    let mut failures = 0u32;
    let mut store: Option<Store> = None;
    loop {
        if store.is_none() {
            match Store::open(&database) {
                Ok(s) => store = Some(s),
                Err(e) => tracing::warn!("background sync cannot open the database: {e}"),
            }
        }
        if let Some(store) = store.as_mut() {
            turn(store, &monitor, &schedule, &mut failures);
        }
        monitor.lock().status.turns += 1;
        if !monitor.wait(schedule.wait_after(failures)) {
            return;
        }
    }
}

/// One turn: a sync when the kiosk is enrolled, its outcome recorded in the monitor.
fn turn(store: &mut Store, monitor: &SyncMonitor, schedule: &SyncSchedule, failures: &mut u32) {
    if !status(store).is_ok_and(|s| s.server.is_some()) {
        return;
    }
    {
        let mut s = monitor.lock();
        s.status.running = true;
        s.status.last_attempt = Some(Utc::now());
    }
    let options = SyncOptions {
        retry: schedule.retry.clone(),
        ..SyncOptions::default()
    };
    let outcome = sync(store, &options);
    let mut s = monitor.lock();
    s.status.running = false;
    match outcome {
        Ok(report) => {
            tracing::info!(?report, "background sync done");
            *failures = 0;
            s.status.last_success = Some(Utc::now());
            s.status.last_error = None;
        }
        Err(e) => {
            *failures += 1;
            s.status.last_error = Some(e.to_string());
        }
    }
}
