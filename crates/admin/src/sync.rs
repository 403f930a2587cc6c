//! Admin mode's Sync screen: enrollment, what waits and what was set aside (the
//! service's `sync_status`), and what the background sync last did (its
//! `panelist_sync::SyncMonitor`; the worker itself is `panelist_sync::spawn_background_sync`).

use panelist_sync::SyncMonitor;

use crate::dto::{SetAsideItem, SyncStatus};
use crate::{Admin, Permission, Result};

impl Admin {
    /// Enrollment, what waits in the outbox, and what the background sync last did.
    pub fn sync_status(&self, monitor: &SyncMonitor) -> Result<SyncStatus> {
        self.require(Permission::ManageSync)?;
        let stored = self.app.sync_status()?;
        let worker = monitor.status();
        Ok(SyncStatus {
            enrolled: stored.server.is_some(),
            server: stored.server,
            pending: stored.pending,
            last_attempt: worker.last_attempt.map(|t| t.to_rfc3339()),
            last_success: worker.last_success.map(|t| t.to_rfc3339()),
            last_error: worker.last_error,
            running: worker.running,
            set_aside: stored
                .set_aside
                .into_iter()
                .map(|a| SetAsideItem {
                    direction: a.direction,
                    kind: a.kind,
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

/// Starts the background sync (`panelist_sync::spawn_background_sync`) on the database
/// of `data_dir`.
pub fn spawn_background_sync(
    data_dir: std::path::PathBuf,
    monitor: std::sync::Arc<SyncMonitor>,
    schedule: panelist_sync::SyncSchedule,
) -> std::thread::JoinHandle<()> {
    panelist_sync::spawn_background_sync(crate::database_path(&data_dir), monitor, schedule)
}
