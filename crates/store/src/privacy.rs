//! A candidate's data as a whole: listing, erasure, the files the app exported, and the
//! retention queries.
//!
//! Erasure deletes every row that carries the candidate (their row, sessions, consents,
//! answers, decisions, reports, reviews, export records and the outbox items that were to
//! carry them to the server) in one transaction, and returns the files to remove. The
//! connection runs with `secure_delete`, so deleted cells are overwritten with zeros, and
//! `compact` checkpoints the WAL into the main file, truncates it and vacuums: afterwards
//! no byte of the candidate is left in the database files.

use chrono::{DateTime, Utc};
use panelist_core::{CandidateId, SessionId};
use rusqlite::params;

use crate::{Result, Store, StoreError};

/// One row of the candidate list.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateSummary {
    pub id: CandidateId,
    pub name: String,
    pub email: String,
    pub sessions: u32,
    pub created_at: DateTime<Utc>,
    /// The latest moment anything happened to them (a session's end, start or creation).
    pub last_activity: DateTime<Utc>,
}

/// What an erasure removed from the database, and the files the caller must delete.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Erasure {
    pub sessions: Vec<SessionId>,
    /// Answer recordings, the résumé and exported report files, as stored.
    pub files: Vec<String>,
}

/// An answer recording old enough for the audio retention rule.
#[derive(Clone, Debug, PartialEq)]
pub struct AgedAudio {
    pub response_id: String,
    pub path: String,
}

fn ids_in(list: &[String]) -> String {
    // Ids are UUIDs written by us; they are still bound, never spliced: this makes `?,?,?`.
    vec!["?"; list.len()].join(",")
}

impl Store {
    pub fn candidate_summaries(&self) -> Result<Vec<CandidateSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.name, c.email, c.created_at, COUNT(s.id), \
                    MAX(COALESCE(s.ended_at, s.started_at, s.created_at, c.created_at)) \
             FROM candidates c LEFT JOIN sessions s ON s.candidate_id = c.id \
             GROUP BY c.id ORDER BY c.created_at DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, DateTime<Utc>>(3)?,
                    r.get::<_, u32>(4)?,
                    r.get::<_, Option<DateTime<Utc>>>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, name, email, created_at, sessions, last)| {
                Ok(CandidateSummary {
                    id: crate::codec::parse("candidate id", &id)?,
                    name,
                    email,
                    sessions,
                    created_at,
                    last_activity: last.unwrap_or(created_at),
                })
            })
            .collect()
    }

    /// Deletes every row about the candidate in one transaction and returns the files
    /// to remove. Refuses while one of their sessions is still running.
    pub fn erase_candidate(&mut self, id: CandidateId, at: DateTime<Utc>) -> Result<Erasure> {
        let tx = self.conn.transaction()?;
        let resume: Option<Option<String>> = tx
            .query_row(
                "SELECT resume_file FROM candidates WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        let Some(resume) = resume else {
            return Err(StoreError::NotFound {
                kind: "candidate",
                id: id.to_string(),
            });
        };
        let (sessions, running): (Vec<String>, bool) = {
            let mut stmt = tx.prepare("SELECT id, status FROM sessions WHERE candidate_id = ?1")?;
            let rows = stmt
                .query_map([id.to_string()], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let running = rows.iter().any(|(_, status)| status == "in_progress");
            (rows.into_iter().map(|(s, _)| s).collect(), running)
        };
        if running {
            return Err(StoreError::Conflict(
                "the candidate's interview is still running; close the session first".into(),
            ));
        }
        let mut files: Vec<String> = resume.into_iter().collect();
        if !sessions.is_empty() {
            let marks = ids_in(&sessions);
            let bind = rusqlite::params_from_iter(sessions.iter());
            for sql in [
                format!("SELECT audio_path FROM responses WHERE audio_path IS NOT NULL AND session_id IN ({marks})"),
                format!("SELECT DISTINCT path FROM exports WHERE session_id IN ({marks})"),
            ] {
                let mut stmt = tx.prepare(&sql)?;
                let found = stmt
                    .query_map(bind.clone(), |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                files.extend(found);
            }
            for table in [
                "score_adjustments",
                "exports",
                "decisions",
                "responses",
                "reports",
                "consents",
            ] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE session_id IN ({marks})"),
                    bind.clone(),
                )?;
            }
            // Items not yet pushed never leave the kiosk; pushed ones lose their copy here.
            tx.execute(
                &format!("DELETE FROM outbox WHERE subject IN ({marks})"),
                bind.clone(),
            )?;
            tx.execute(
                &format!("DELETE FROM sessions WHERE id IN ({marks})"),
                bind.clone(),
            )?;
        }
        tx.execute(
            "DELETE FROM consents WHERE candidate_id = ?1",
            [id.to_string()],
        )?;
        tx.execute("DELETE FROM candidates WHERE id = ?1", [id.to_string()])?;
        // The server forgets them too: ids only, nothing that names them.
        if !sessions.is_empty() {
            crate::outbox::enqueue(
                &tx,
                &panelist_wire::Mutation::Erasure(panelist_wire::ErasureChange {
                    candidate_id: id,
                    sessions: sessions
                        .iter()
                        .map(|s| crate::codec::parse("session id", s))
                        .collect::<Result<Vec<_>>>()?,
                }),
                id,
                at,
            )?;
        }
        tx.commit()?;
        files.sort();
        files.dedup();
        let sessions = sessions
            .iter()
            .map(|s| crate::codec::parse("session id", s))
            .collect::<Result<Vec<_>>>()?;
        Ok(Erasure { sessions, files })
    }

    /// Moves everything in the WAL into the main file, truncates the WAL and rebuilds the
    /// file without free pages, so deleted data is gone from disk, not only unlinked.
    pub fn compact(&mut self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        self.conn.execute_batch("VACUUM")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Remembers a file the app wrote with these sessions' reports, so that erasing one
    /// of the candidates removes it too.
    pub fn record_export(
        &mut self,
        export_id: &str,
        sessions: &[SessionId],
        path: &str,
        format: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        for s in sessions {
            tx.execute(
                "INSERT OR IGNORE INTO exports (id, session_id, path, format, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![export_id, s.to_string(), path, format, at],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Answer recordings of interviews that ended (or were last active) before `cutoff`.
    pub fn audio_older_than(&self, cutoff: DateTime<Utc>) -> Result<Vec<AgedAudio>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.audio_path FROM responses r JOIN sessions s ON s.id = r.session_id \
             WHERE r.audio_path IS NOT NULL AND s.status != 'in_progress' \
             AND COALESCE(s.ended_at, r.answered_at) < ?1",
        )?;
        let rows = stmt
            .query_map([cutoff], |r| {
                Ok(AgedAudio {
                    response_id: r.get(0)?,
                    path: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Forgets a recording's file (after the caller deleted it).
    pub fn clear_audio(&mut self, response_id: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE responses SET audio_path = NULL WHERE id = ?1",
            [response_id],
        )?;
        Ok(())
    }

    /// Candidates with nothing newer than `cutoff` and no interview running.
    pub fn candidates_inactive_since(&self, cutoff: DateTime<Utc>) -> Result<Vec<CandidateId>> {
        Ok(self
            .candidate_summaries()?
            .into_iter()
            .filter(|c| c.last_activity < cutoff)
            .map(|c| c.id)
            .collect())
    }
}
