//! Candidates' data in admin mode: the list, erasure, the retention purge, and the audit
//! chain's verification.

use panelist_core::CandidateId;

use crate::dto::{AuditRow, AuditVerification, CandidateRow, ErasureResult, PurgeResult};
use crate::{Admin, AdminError, Permission, Result};

impl Admin {
    pub fn candidates(&self) -> Result<Vec<CandidateRow>> {
        self.require(Permission::ErasePersonalData)?;
        Ok(self
            .app
            .candidates()?
            .into_iter()
            .map(|c| CandidateRow {
                candidate_id: c.id.to_string(),
                name: c.name,
                email: c.email,
                sessions: c.sessions,
                created_at: c.created_at.to_rfc3339(),
            })
            .collect())
    }

    /// Erases a candidate: rows, audio, résumé, and the report files the app exported.
    pub fn erase_candidate(&mut self, candidate_id: &str) -> Result<ErasureResult> {
        self.require(Permission::ErasePersonalData)?;
        let actor = self.actor()?;
        let id: CandidateId = candidate_id.parse().map_err(|_| {
            AdminError::invalid(
                "candidate_id",
                format!("{candidate_id:?} is not a candidate id"),
            )
        })?;
        let report = self.app.erase_candidate(id, &actor)?;
        Ok(ErasureResult {
            sessions: report.sessions as u32,
            files_removed: report.files_removed as u32,
        })
    }

    /// Applies the retention rules now.
    pub fn purge_now(&mut self) -> Result<PurgeResult> {
        self.require(Permission::ErasePersonalData)?;
        let actor = self.actor()?;
        let report = self.app.purge_expired(&actor)?;
        Ok(PurgeResult {
            audio_files_removed: report.audio_files_removed as u32,
            candidates_erased: report.candidates_erased as u32,
        })
    }

    /// The newest `limit` audit entries, newest first.
    pub fn audit(&self, limit: u32) -> Result<Vec<AuditRow>> {
        self.require(Permission::ViewAudit)?;
        let entries = self.app.audit_entries(Some(limit.clamp(1, 10_000)))?;
        Ok(entries
            .into_iter()
            .rev()
            .map(|e| AuditRow {
                seq: e.seq,
                at: e.event.at.to_rfc3339(),
                actor: e.event.actor,
                action: e.event.action,
                subject: e.event.subject,
                detail: e.event.detail.to_string(),
            })
            .collect())
    }

    pub fn verify_audit(&self) -> Result<AuditVerification> {
        self.require(Permission::ViewAudit)?;
        Ok(match self.app.verify_audit()? {
            panelist_store::AuditVerification::Intact { entries, .. } => AuditVerification {
                intact: true,
                entries,
                broken_at: None,
                reason: None,
            },
            panelist_store::AuditVerification::Broken { seq, reason } => AuditVerification {
                intact: false,
                entries: 0,
                broken_at: Some(seq),
                reason: Some(reason),
            },
        })
    }
}
