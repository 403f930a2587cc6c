//! Kiosk-side sync with a Panelist server, over the typed contract of `panelist-wire`.
//!
//! A kiosk enrolls once with a one-time code and keeps the device token it receives in
//! its SQLite store. Each sync pulls published and archived interview revisions by
//! cursor, then pushes the outbox in order, in batches, one idempotency key per change.
//! A change is marked pushed only after the server acknowledged it, and the server
//! applies each key once, so a push that is cut off, retried or duplicated never loses
//! or doubles anything.
//!
//! The kiosk app runs the same sync on a background thread (`worker`): every minute
//! while enrolled, backing off while the server is unreachable, woken by "Sync now".

mod client;
mod error;
mod run;
mod worker;

pub use client::{check_server_url, Retry, SyncClient, MAX_ANSWER_BYTES};
pub use error::SyncError;
pub use run::{enroll, status, sync, SyncOptions, SyncReport, SyncStatus, UPLOAD_AUDIO_SETTING};
pub use worker::{spawn_background_sync, SyncMonitor, SyncSchedule, WorkerStatus};

pub type Result<T, E = SyncError> = std::result::Result<T, E>;
