//! Kiosk-side sync with a Panelist server, over the typed contract of `panelist-wire`.
//!
//! A kiosk enrolls once with a one-time code and keeps the device token it receives in
//! its SQLite store. Each sync pulls published and archived interview revisions by
//! cursor, then pushes the outbox in order, in batches, one idempotency key per change.
//! A change is marked pushed only after the server acknowledged it, and the server
//! applies each key once, so a push that is cut off, retried or duplicated never loses
//! or doubles anything.

mod client;
mod error;
mod run;

pub use client::{check_server_url, Retry, SyncClient, MAX_ANSWER_BYTES};
pub use error::SyncError;
pub use run::{enroll, status, sync, SyncOptions, SyncReport, SyncStatus, UPLOAD_AUDIO_SETTING};

pub type Result<T, E = SyncError> = std::result::Result<T, E>;
