//! The sync outbox: every change the server must receive, queued in the same transaction
//! as the change itself, so that a committed change is never missing from the outbox and
//! an outbox row never describes a change that was rolled back. The sync client pushes
//! pending rows in `seq` order and marks them pushed once the server acknowledged them.

use chrono::{DateTime, Utc};
use panelist_core::{InterviewRevision, MutationId, SessionId};
use panelist_wire::{Mutation, MutationKind};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::codec::{parse, to_json};
use crate::{Result, Store};

/// One queued change, as the sync client sends it.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxItem {
    /// The kiosk-local order of changes; the server keeps each device's order.
    pub seq: i64,
    pub mutation_id: MutationId,
    pub kind: MutationKind,
    /// What the change is about (a session id, an interview id), for people reading logs.
    pub subject: String,
    /// The change's body as JSON text, as it was queued.
    pub body: String,
    pub created_at: DateTime<Utc>,
}

impl OutboxItem {
    /// The change, typed. An error means this kiosk cannot read its own queued change
    /// (written by another version): the caller sets it aside rather than stop.
    pub fn mutation(&self) -> serde_json::Result<Mutation> {
        Mutation::from_parts(self.kind, &self.body)
    }
}

/// How much of the outbox has reached the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: u64,
    pub pushed: u64,
    /// Refused by the server and set aside (not resent until retried).
    pub set_aside: u64,
}

/// The keys of the `sync_settings` table that sync keeps.
pub mod sync_keys {
    pub const SERVER: &str = "server";
    pub const DEVICE_ID: &str = "device_id";
    pub const DEVICE_TOKEN: &str = "device_token";
    pub const CURSOR: &str = "revision_cursor";
    /// "true" when the kiosk was enrolled with `--insecure-http` (plain http to a lab
    /// server).
    pub const INSECURE_HTTP: &str = "insecure_http";
}

/// Enrollment and outbox state, for admin mode and `panelist sync --status`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncStatus {
    pub server: Option<String>,
    pub device_id: Option<String>,
    pub pending: u64,
    pub pushed: u64,
    /// The revision feed's cursor (0 before the first pull).
    pub cursor: i64,
    /// Items set aside, with their reasons.
    pub set_aside: Vec<SetAside>,
}

/// Which way a set-aside item was going.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncDirection {
    /// A change of this kiosk, pushed to the server.
    Push,
    /// A revision pulled from the server.
    Pull,
}

impl SyncDirection {
    pub const ALL: &'static [SyncDirection] = &[SyncDirection::Push, SyncDirection::Pull];

    pub fn as_str(self) -> &'static str {
        match self {
            SyncDirection::Push => "push",
            SyncDirection::Pull => "pull",
        }
    }
}

impl std::fmt::Display for SyncDirection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sync item set aside: a change the server refused, or a revision this kiosk could
/// not store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetAside {
    pub direction: SyncDirection,
    /// The change's kind; a pull is always a revision.
    pub kind: MutationKind,
    /// The outbox seq (push) or the feed cursor (pull).
    pub position: i64,
    /// The session or interview it is about.
    pub subject: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

fn parse_kind(text: &str) -> Result<MutationKind> {
    parse("outbox change kind", text)
}

/// Queues a change inside the caller's transaction.
pub(crate) fn enqueue(
    tx: &Transaction<'_>,
    change: &Mutation,
    subject: impl ToString,
    at: DateTime<Utc>,
) -> Result<()> {
    let body = change.body_json().map_err(|e| crate::StoreError::Corrupt {
        what: "outbox change",
        detail: e.to_string(),
    })?;
    tx.execute(
        "INSERT INTO outbox (mutation_id, kind, subject, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            MutationId::new().to_string(),
            change.kind().as_str(),
            subject.to_string(),
            body,
            at
        ],
    )?;
    Ok(())
}

/// Queues the session's current row (status, timings, end reason) inside the transaction.
pub(crate) fn enqueue_session_update(
    tx: &Transaction<'_>,
    id: SessionId,
    at: DateTime<Utc>,
) -> Result<()> {
    let session = crate::sessions::read_session_in(tx, id)?;
    enqueue(tx, &Mutation::SessionUpdate(Box::new(session)), id, at)
}

impl Store {
    /// Up to `limit` changes not yet acknowledged by the server, oldest first.
    pub fn pending_outbox(&self, limit: usize) -> Result<Vec<OutboxItem>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, mutation_id, kind, subject, body, created_at FROM outbox \
             WHERE pushed_at IS NULL AND set_aside_at IS NULL ORDER BY seq LIMIT ?1",
        )?;
        let raws = stmt
            .query_map([limit as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, DateTime<Utc>>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter()
            .map(|(seq, id, kind, subject, body, created_at)| {
                Ok(OutboxItem {
                    seq,
                    mutation_id: parse("mutation id", &id)?,
                    kind: parse_kind(&kind)?,
                    subject,
                    body,
                    created_at,
                })
            })
            .collect()
    }

    /// Marks changes as acknowledged by the server, in one transaction.
    pub fn mark_pushed(&mut self, ids: &[MutationId], at: DateTime<Utc>) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare(
                "UPDATE outbox SET pushed_at = ?2 WHERE mutation_id = ?1 AND pushed_at IS NULL",
            )?;
            for id in ids {
                stmt.execute(params![id.to_string(), at])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn outbox_counts(&self) -> Result<OutboxCounts> {
        let (pending, pushed, set_aside): (i64, i64, i64) = self.conn.query_row(
            "SELECT COALESCE(SUM(pushed_at IS NULL AND set_aside_at IS NULL), 0), \
             COALESCE(SUM(pushed_at IS NOT NULL), 0), \
             COALESCE(SUM(pushed_at IS NULL AND set_aside_at IS NOT NULL), 0) FROM outbox",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        Ok(OutboxCounts {
            pending: pending.max(0) as u64,
            pushed: pushed.max(0) as u64,
            set_aside: set_aside.max(0) as u64,
        })
    }

    /// Sets a change the server refused aside with its reason: it is not sent again
    /// (the server applies each device's changes in order, so once later changes went
    /// through it could not be applied anyway), and the changes after it go on.
    pub fn set_aside_outbox(
        &mut self,
        id: MutationId,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET set_aside_at = ?2, set_aside_reason = ?3 \
             WHERE mutation_id = ?1 AND pushed_at IS NULL",
            params![id.to_string(), at, reason],
        )?;
        Ok(())
    }

    /// Records a pulled revision this kiosk could not store (the cursor moves past it).
    pub fn set_aside_pull(
        &mut self,
        cursor: i64,
        rev: &InterviewRevision,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO pull_set_aside (cursor, interview_id, revision, reason, at) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(cursor) DO UPDATE SET reason = excluded.reason",
            params![cursor, rev.interview_id.to_string(), rev.revision, reason, at],
        )?;
        Ok(())
    }

    /// Every item set aside, pushes first, oldest first.
    pub fn set_aside_items(&self) -> Result<Vec<SetAside>> {
        let mut items = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT kind, seq, subject, set_aside_reason, set_aside_at FROM outbox \
             WHERE pushed_at IS NULL AND set_aside_at IS NOT NULL ORDER BY seq",
        )?;
        let pushes = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, DateTime<Utc>>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (kind, position, subject, reason, at) in pushes {
            items.push(SetAside {
                direction: SyncDirection::Push,
                kind: parse_kind(&kind)?,
                position,
                subject,
                reason: reason.unwrap_or_default(),
                at,
            });
        }
        let mut stmt = self.conn.prepare(
            "SELECT cursor, interview_id, revision, reason, at FROM pull_set_aside ORDER BY cursor",
        )?;
        for row in stmt.query_map([], |r| {
            Ok(SetAside {
                direction: SyncDirection::Pull,
                kind: MutationKind::Revision,
                position: r.get(0)?,
                subject: format!("{} r{}", r.get::<_, String>(1)?, r.get::<_, i64>(2)?),
                reason: r.get(3)?,
                at: r.get(4)?,
            })
        })? {
            items.push(row?);
        }
        Ok(items)
    }

    /// Enrollment, the feed cursor, what waits in the outbox and what was set aside.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let counts = self.outbox_counts()?;
        Ok(SyncStatus {
            server: self.sync_setting(sync_keys::SERVER)?,
            device_id: self.sync_setting(sync_keys::DEVICE_ID)?,
            pending: counts.pending,
            pushed: counts.pushed,
            cursor: self.sync_cursor()?,
            set_aside: self.set_aside_items()?,
        })
    }

    /// The revision feed's cursor: 0 before the first pull.
    pub fn sync_cursor(&self) -> Result<i64> {
        Ok(self
            .sync_setting(sync_keys::CURSOR)?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0))
    }

    /// A sync setting (server URL, device id and token, revision cursor).
    pub fn sync_setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM sync_settings WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn set_sync_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sync_settings (key, value) VALUES (?1, ?2) \
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Stores a revision pulled from the server (it is not queued back up). The interview
    /// row follows the newest revision; an archived interview stays archived. Importing a
    /// revision twice changes nothing.
    pub fn import_revision(&mut self, rev: &InterviewRevision) -> Result<bool> {
        let tx = self.conn.transaction()?;
        // The interview row mirrors the newest revision, so `find_published` and the
        // kiosk-code lookup work on pulled interviews as on local ones.
        let spec = &rev.spec;
        // The server's codes are unique and it is the authority on them: a local interview
        // not yet pushed that drew the same code gives it up here (so the pulled one can
        // take it) and gets the code the server assigns when it is pushed.
        tx.execute(
            "UPDATE interviews SET kiosk_code = NULL \
             WHERE kiosk_code = ?2 COLLATE NOCASE AND id <> ?1",
            params![rev.interview_id.to_string(), rev.kiosk_code],
        )?;
        // One upsert: a new interview is inserted; a known one follows only a newer
        // revision (an archived one stays archived).
        let changed = tx.execute(
            "INSERT INTO interviews (id, job_role, job_description, difficulty, focus_areas, \
             time_limit_minutes, avatar, num_questions, max_follow_ups_per_preset, status, \
             revision, kiosk_code, created_at, updated_at, language) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'published', ?10, ?11, ?12, ?12, ?13) \
             ON CONFLICT(id) DO UPDATE SET job_role = excluded.job_role, \
             job_description = excluded.job_description, difficulty = excluded.difficulty, \
             focus_areas = excluded.focus_areas, time_limit_minutes = excluded.time_limit_minutes, \
             avatar = excluded.avatar, num_questions = excluded.num_questions, \
             max_follow_ups_per_preset = excluded.max_follow_ups_per_preset, \
             language = excluded.language, \
             revision = excluded.revision, kiosk_code = excluded.kiosk_code, \
             updated_at = excluded.updated_at, \
             status = CASE interviews.status WHEN 'archived' THEN 'archived' ELSE 'published' END \
             WHERE interviews.revision < excluded.revision",
            params![
                rev.interview_id.to_string(),
                spec.job_role,
                spec.job_description,
                spec.difficulty.as_str(),
                to_json(&spec.focus_areas)?,
                spec.time_limit_minutes,
                spec.avatar,
                spec.num_questions,
                spec.max_follow_ups_per_preset,
                rev.revision,
                rev.kiosk_code,
                rev.published_at,
                spec.language.code(),
            ],
        )?;
        if changed > 0 {
            tx.execute(
                "DELETE FROM questions WHERE interview_id = ?1",
                [rev.interview_id.to_string()],
            )?;
            crate::interviews::write_questions(&tx, rev.interview_id, &rev.questions)?;
        }
        let inserted = tx.execute(
            "INSERT INTO interview_revisions (interview_id, revision, snapshot, kiosk_code, published_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(interview_id, revision) DO NOTHING",
            params![
                rev.interview_id.to_string(),
                rev.revision,
                to_json(rev)?,
                rev.kiosk_code,
                rev.published_at
            ],
        )?;
        tx.commit()?;
        Ok(inserted > 0)
    }
}

impl Store {
    /// Takes the kiosk code the server gave an interview this kiosk published (its code
    /// was taken on the server): the interview and its revisions here answer to it from
    /// now on, and later revisions are published with it. Nothing is queued.
    pub fn adopt_kiosk_code(&mut self, id: panelist_core::InterviewId, code: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE interviews SET kiosk_code = ?2 WHERE id = ?1",
            params![id.to_string(), code],
        )?;
        if changed == 0 {
            return Err(crate::StoreError::NotFound {
                kind: "interview",
                id: id.to_string(),
            });
        }
        tx.execute(
            "UPDATE interview_revisions SET kiosk_code = ?2, \
             snapshot = json_set(snapshot, '$.kiosk_code', ?2) WHERE interview_id = ?1",
            params![id.to_string(), code],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// An answer recording waiting to be uploaded.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingAudio {
    pub response_id: String,
    pub path: String,
}

impl Store {
    /// Recordings not yet uploaded whose answer has already reached the server (its
    /// outbox item was acknowledged), oldest first.
    pub fn audio_to_upload(&self, limit: usize) -> Result<Vec<PendingAudio>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.audio_path FROM responses r \
             WHERE r.audio_path IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM audio_uploads u WHERE u.response_id = r.id) \
             AND EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'response' \
                         AND json_extract(o.body, '$.id') = r.id AND o.pushed_at IS NOT NULL) \
             ORDER BY r.answered_at LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                Ok(PendingAudio {
                    response_id: r.get(0)?,
                    path: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Records an upload (or, with `sha256: None`, a recording that was gone from disk).
    pub fn mark_audio_uploaded(
        &mut self,
        response_id: &str,
        sha256: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO audio_uploads (response_id, sha256, uploaded_at) VALUES (?1, ?2, ?3)",
            params![response_id, sha256, at],
        )?;
        Ok(())
    }
}
