//! The audit log: append-only and hash-chained.
//!
//! Each entry has a gap-free `seq` and stores `hash = SHA-256(seq, id, at, actor, action,
//! subject, detail, prev_hash)` over the exact text in its columns, where `prev_hash` is
//! the previous entry's hash (64 zeros for the first). Editing any column of an entry
//! breaks its own hash; deleting or inserting one breaks the sequence or the next entry's
//! link. `verify_audit` names the first entry that does not hold.
//!
//! What the chain cannot show: the newest entries removed together with nothing after
//! them (there is no anchor outside this file), or a whole chain rewritten by someone who
//! recomputes every hash. Copying `head` somewhere else (a backup, the server) closes both.

use chrono::{DateTime, SecondsFormat, Utc};
use panelist_core::AuditEvent;
use rusqlite::{params, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use crate::codec::{from_json, parse, to_json};
use crate::{Result, Store, StoreError};

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One stored audit entry with its place in the chain.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    pub seq: i64,
    pub event: AuditEvent,
    pub prev_hash: String,
    pub hash: String,
}

/// The outcome of checking the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditVerification {
    Intact { entries: u64, head: String },
    Broken { seq: i64, reason: String },
}

/// The columns of one entry as stored, the input of its hash.
struct Row {
    seq: i64,
    id: String,
    at: String,
    actor: String,
    action: String,
    subject: String,
    detail: String,
    prev_hash: String,
    hash: String,
}

impl Row {
    fn compute_hash(&self, prev_hash: &str) -> String {
        // A JSON array is an unambiguous encoding of the fields (no separator tricks).
        let canonical = serde_json::json!([
            self.seq,
            self.id,
            self.at,
            self.actor,
            self.action,
            self.subject,
            self.detail,
            prev_hash
        ])
        .to_string();
        hex(&Sha256::digest(canonical.as_bytes()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn format_at(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

const SELECT_ROWS: &str =
    "SELECT seq, id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        seq: r.get(0)?,
        id: r.get(1)?,
        at: r.get(2)?,
        actor: r.get(3)?,
        action: r.get(4)?,
        subject: r.get(5)?,
        detail: r.get(6)?,
        prev_hash: r.get(7)?,
        hash: r.get(8)?,
    })
}

/// Migration 3 copies the old, unchained entries in; this links them.
pub(crate) fn chain_legacy_audit(tx: &Transaction<'_>) -> Result<()> {
    let rows = {
        let mut stmt = tx.prepare(&format!("{SELECT_ROWS} ORDER BY seq"))?;
        let rows = stmt
            .query_map([], read_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut prev = GENESIS_HASH.to_string();
    for row in rows {
        let hash = row.compute_hash(&prev);
        tx.execute(
            "UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            params![row.seq, prev, hash],
        )?;
        prev = hash;
    }
    Ok(())
}

/// Appends inside a caller's transaction, so an action and its audit entry commit together.
pub(crate) fn append_in(tx: &Transaction<'_>, e: &AuditEvent) -> Result<()> {
    let last: Option<(i64, String)> = tx
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS_HASH.to_string()),
    };
    let mut row = Row {
        seq,
        id: e.id.to_string(),
        at: format_at(e.at),
        actor: e.actor.clone(),
        action: e.action.clone(),
        subject: e.subject.clone(),
        detail: to_json(&e.detail)?,
        prev_hash,
        hash: String::new(),
    };
    row.hash = row.compute_hash(&row.prev_hash);
    tx.execute(
        "INSERT INTO audit_log (seq, id, at, actor, action, subject, detail, prev_hash, hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            row.seq,
            row.id,
            row.at,
            row.actor,
            row.action,
            row.subject,
            row.detail,
            row.prev_hash,
            row.hash
        ],
    )?;
    Ok(())
}

impl Store {
    pub fn append_audit(&mut self, e: &AuditEvent) -> Result<()> {
        // IMMEDIATE: two connections appending at once must not both take the same seq.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        append_in(&tx, e)?;
        tx.commit()?;
        Ok(())
    }

    /// The audit log, oldest first.
    pub fn audit_log(&self) -> Result<Vec<AuditEvent>> {
        Ok(self
            .audit_entries(None)?
            .into_iter()
            .map(|e| e.event)
            .collect())
    }

    /// Entries with their chain fields, oldest first; `newest` keeps only the last N.
    pub fn audit_entries(&self, newest: Option<u32>) -> Result<Vec<AuditEntry>> {
        let rows = match newest {
            Some(n) => {
                let mut stmt = self.conn.prepare(&format!(
                    "SELECT * FROM ({SELECT_ROWS} ORDER BY seq DESC LIMIT ?1) ORDER BY seq"
                ))?;
                let rows = stmt
                    .query_map([n], read_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                rows
            }
            None => {
                let mut stmt = self.conn.prepare(&format!("{SELECT_ROWS} ORDER BY seq"))?;
                let rows = stmt
                    .query_map([], read_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                rows
            }
        };
        rows.into_iter()
            .map(|row| {
                // Entries from before migration 3 carry rusqlite's own format.
                let at = DateTime::parse_from_rfc3339(&row.at)
                    .or_else(|_| DateTime::parse_from_str(&row.at, "%Y-%m-%d %H:%M:%S%.f%:z"))
                    .map_err(|e| StoreError::Corrupt {
                        what: "audit time",
                        detail: e.to_string(),
                    })?
                    .with_timezone(&Utc);
                Ok(AuditEntry {
                    seq: row.seq,
                    event: AuditEvent {
                        id: parse("audit id", &row.id)?,
                        at,
                        actor: row.actor,
                        action: row.action,
                        subject: row.subject,
                        detail: from_json("audit detail", &row.detail)?,
                    },
                    prev_hash: row.prev_hash,
                    hash: row.hash,
                })
            })
            .collect()
    }

    /// Walks the chain from the first entry and stops at the first one that does not hold.
    pub fn verify_audit(&self) -> Result<AuditVerification> {
        let mut stmt = self.conn.prepare(&format!("{SELECT_ROWS} ORDER BY seq"))?;
        let mut rows = stmt.query([])?;
        let mut prev = GENESIS_HASH.to_string();
        let mut expected_seq = 1i64;
        let mut entries = 0u64;
        while let Some(r) = rows.next()? {
            let row = match read_row(r) {
                Ok(row) => row,
                Err(e) => {
                    let seq = r.get::<_, i64>(0).unwrap_or(expected_seq);
                    return Ok(AuditVerification::Broken {
                        seq,
                        reason: format!("the entry is unreadable: {e}"),
                    });
                }
            };
            let broken = if row.seq != expected_seq {
                Some(format!(
                    "entry #{expected_seq} is missing (the next entry is #{})",
                    row.seq
                ))
            } else if row.prev_hash != prev {
                Some("it does not link to the entry before it (an entry was removed, inserted or rewritten)".to_string())
            } else if row.compute_hash(&prev) != row.hash {
                Some("its content does not match its hash (the entry was edited)".to_string())
            } else {
                None
            };
            if let Some(reason) = broken {
                return Ok(AuditVerification::Broken {
                    seq: row.seq.min(expected_seq),
                    reason,
                });
            }
            prev = row.hash;
            expected_seq += 1;
            entries += 1;
        }
        Ok(AuditVerification::Intact {
            entries,
            head: prev,
        })
    }
}
