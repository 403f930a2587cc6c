//! SQLite persistence for Panelist.
//!
//! One file per kiosk, WAL journal, foreign keys on, versioned migrations. Every
//! write that matters to a candidate (an answer, a report, a consent) is one
//! transaction, so an acknowledged answer survives a crash or a power cut.

mod audit;
mod candidates;
mod codec;
mod interviews;
mod migrations;
mod outbox;
mod privacy;
mod reports;
mod reviews;
mod sessions;
mod settings;
mod users;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use audit::{AuditEntry, AuditVerification, GENESIS_HASH};
pub use migrations::SCHEMA_VERSION;
pub use outbox::{
    sync_keys, OutboxCounts, OutboxItem, PendingAudio, SetAside, SyncDirection, SyncStatus,
};
pub use panelist_wire::{Mutation, MutationKind};
pub use privacy::{AgedAudio, CandidateSummary, Erasure};
pub use reviews::ReviewState;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("no {kind} with id {id}")]
    NotFound { kind: &'static str, id: String },
    #[error("stored {what} is unreadable: {detail}")]
    Corrupt { what: &'static str, detail: String },
    #[error("{0}")]
    Conflict(String),
    #[error(
        "the database was written by a newer Panelist (schema {found}, this build knows {known})"
    )]
    TooNew { found: i64, known: i64 },
    #[error("the database's schema cannot be brought up to date: {0}")]
    Migration(String),
}

impl StoreError {
    /// A CHECK, UNIQUE, NOT NULL or foreign-key constraint refused the write: the data,
    /// not the database, is at fault.
    pub fn is_constraint(&self) -> bool {
        matches!(self, StoreError::Sqlite(e)
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A handle on the kiosk's database file.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        Self::setup(conn, Some(path.to_path_buf()))
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?, None)
    }

    fn setup(conn: Connection, path: Option<PathBuf>) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // WAL keeps readers and the writer apart; synchronous=FULL makes each commit
        // durable before it is acknowledged, which is the promise made to candidates.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Deleted content is overwritten with zeros: an erased candidate leaves no bytes.
        conn.pragma_update(None, "secure_delete", "ON")?;
        let mut store = Self { conn, path };
        migrations::migrate(&mut store.conn)?;
        Ok(store)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version recorded in the file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Copies the database to `out` with SQLite's online backup: a consistent snapshot
    /// taken while the kiosk keeps working. Writes to a temporary file beside `out` and
    /// renames it, so `out` is never a half-written copy.
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        let tmp = out.with_extension("partial");
        let _ = std::fs::remove_file(&tmp);
        let result = self
            .conn
            .backup(rusqlite::MAIN_DB, &tmp, None)
            .map_err(StoreError::from)
            .and_then(|()| {
                std::fs::rename(&tmp, out).map_err(|e| {
                    StoreError::Conflict(format!("cannot write {}: {e}", out.display()))
                })
            });
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// `PRAGMA integrity_check`: `ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}
