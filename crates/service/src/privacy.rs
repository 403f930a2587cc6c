//! Candidates' data rights: the list of candidates, erasure (rows, answer audio, résumé,
//! report files the app exported), and the retention rules that purge audio after N days
//! and everything about a candidate after M days.

use std::path::{Path, PathBuf};

use chrono::Duration;
use panelist_core::CandidateId;
use panelist_store::{CandidateSummary, StoreError};
use serde_json::json;

use crate::{Actor, Panelist, Result, ServiceError};

const AUDIO_DAYS: &str = "retention.audio_days";

/// A retention period, in days (ten years at most).
pub const RETENTION_DAYS: std::ops::RangeInclusive<u32> = 1..=3650;
const DATA_DAYS: &str = "retention.data_days";

/// How long candidate data is kept; `None` keeps it until erased by hand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Retention {
    pub audio_days: Option<u32>,
    pub data_days: Option<u32>,
}

/// What an erasure removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErasureReport {
    pub sessions: usize,
    pub files_removed: usize,
    /// Files recorded for the candidate that were already gone.
    pub files_missing: usize,
}

/// What a retention purge removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PurgeReport {
    pub audio_files_removed: usize,
    pub candidates_erased: usize,
}

/// Deletes a file; a missing one is not an error (it is what erasure wants).
fn remove(path: &Path) -> Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(ServiceError::io(path, e)),
    }
}

fn parse_days(value: Option<String>) -> Option<u32> {
    value.and_then(|v| v.parse().ok()).filter(|d| *d > 0)
}

impl Panelist {
    fn resolve(&self, stored: &str) -> PathBuf {
        let p = PathBuf::from(stored);
        if p.is_absolute() {
            p
        } else {
            self.data_dir.join(p)
        }
    }

    pub fn candidates(&self) -> Result<Vec<CandidateSummary>> {
        Ok(self.store.candidate_summaries()?)
    }

    /// Erases a candidate: every row about them, their answer audio, their résumé and the
    /// report files the app exported; then compacts the database so the deleted bytes are
    /// gone from disk. The audit entry names the candidate only by id.
    pub fn erase_candidate(&mut self, id: CandidateId, actor: &Actor) -> Result<ErasureReport> {
        let erasure = self.store.erase_candidate(id, self.clock.now())?;
        let mut report = ErasureReport {
            sessions: erasure.sessions.len(),
            ..Default::default()
        };
        for file in &erasure.files {
            if remove(&self.resolve(file))? {
                report.files_removed += 1;
            } else {
                report.files_missing += 1;
            }
        }
        self.audit(
            actor,
            "candidate.erase",
            id,
            json!({"sessions": report.sessions, "files_removed": report.files_removed}),
        )?;
        self.store.compact()?;
        Ok(report)
    }

    pub fn retention(&self) -> Result<Retention> {
        Ok(Retention {
            audio_days: parse_days(self.store.setting(AUDIO_DAYS)?),
            data_days: parse_days(self.store.setting(DATA_DAYS)?),
        })
    }

    pub fn set_retention(&mut self, retention: Retention, actor: &Actor) -> Result<()> {
        for days in [retention.audio_days, retention.data_days]
            .into_iter()
            .flatten()
        {
            if !RETENTION_DAYS.contains(&days) {
                return Err(ServiceError::Invalid(format!(
                    "a retention period is {}-{} days, not {days}",
                    RETENTION_DAYS.start(),
                    RETENTION_DAYS.end()
                )));
            }
        }
        let audio = retention.audio_days.map(|d| d.to_string());
        let data = retention.data_days.map(|d| d.to_string());
        self.store.set_setting(AUDIO_DAYS, audio.as_deref())?;
        self.store.set_setting(DATA_DAYS, data.as_deref())?;
        self.audit(
            actor,
            "settings.retention",
            "retention",
            json!({"audio_days": retention.audio_days, "data_days": retention.data_days}),
        )
    }

    /// Applies the retention rules at the clock's "now": audio of interviews older than
    /// the audio period is deleted, candidates with nothing newer than the data period
    /// are erased. A candidate whose interview is still running is skipped.
    pub fn purge_expired(&mut self, actor: &Actor) -> Result<PurgeReport> {
        let retention = self.retention()?;
        let now = self.clock.now();
        let mut report = PurgeReport::default();
        if let Some(days) = retention.data_days {
            for id in self
                .store
                .candidates_inactive_since(now - Duration::days(days.into()))?
            {
                match self.erase_candidate(id, actor) {
                    Ok(_) => report.candidates_erased += 1,
                    Err(ServiceError::Store(StoreError::Conflict(_))) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        if let Some(days) = retention.audio_days {
            for aged in self
                .store
                .audio_older_than(now - Duration::days(days.into()))?
            {
                remove(&self.resolve(&aged.path))?;
                self.store.clear_audio(&aged.response_id)?;
                report.audio_files_removed += 1;
            }
        }
        if report != PurgeReport::default() {
            self.audit(
                actor,
                "retention.purge",
                "retention",
                json!({"audio_files_removed": report.audio_files_removed,
                       "candidates_erased": report.candidates_erased}),
            )?;
            self.store.compact()?;
        }
        Ok(report)
    }

    /// Copies the database to `out` with SQLite's online backup.
    pub fn backup(&mut self, out: &Path, actor: &Actor) -> Result<u64> {
        if out.exists() {
            return Err(ServiceError::Invalid(format!(
                "{} exists; choose a new file name",
                out.display()
            )));
        }
        self.store.backup_to(out)?;
        let bytes = std::fs::metadata(out)
            .map_err(|e| ServiceError::io(out, e))?
            .len();
        self.audit(
            actor,
            "database.backup",
            "database",
            json!({"path": out.display().to_string(), "bytes": bytes}),
        )?;
        Ok(bytes)
    }

    /// The newest `limit` entries of the audit log (all with `None`), oldest first.
    pub fn audit_entries(&self, limit: Option<u32>) -> Result<Vec<panelist_store::AuditEntry>> {
        Ok(self.store.audit_entries(limit)?)
    }

    /// Checks the audit log's hash chain.
    pub fn verify_audit(&self) -> Result<panelist_store::AuditVerification> {
        Ok(self.store.verify_audit()?)
    }
}
