//! Reading reports, selecting them for export, and exporting them as files (PDF, CSV,
//! JSON; one file, a folder or a zip) through `panelist-export`. The CLI and the admin UI
//! call these functions; the export library itself never sees the database.

use std::path::Path;

use chrono::NaiveDate;
use panelist_core::{InterviewId, Report, SessionId};
use panelist_export::{
    export_bulk, export_one, Destination, ExportItem, ExportOptions, ExportSummary, ReviewFacts,
    SessionFacts,
};
use panelist_store::StoreError;
use serde_json::json;

use crate::{Actor, Panelist, Result, ServiceError};

/// Which sessions' reports an export takes. Sessions without a report (not finished yet)
/// are left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportSelection {
    /// Every report of one interview, all revisions.
    Interview(InterviewId),
    /// Sessions whose interview took place between two dates, both included (UTC). A
    /// session that never started counts by the day it was registered.
    Dates { from: NaiveDate, to: NaiveDate },
    /// Chosen sessions (the admin UI's checkboxes).
    Sessions(Vec<SessionId>),
}

impl ReportSelection {
    fn describe(&self) -> serde_json::Value {
        match self {
            Self::Interview(id) => json!({"interview": id.to_string()}),
            Self::Dates { from, to } => json!({"from": from.to_string(), "to": to.to_string()}),
            Self::Sessions(ids) => json!({"sessions": ids.len()}),
        }
    }
}

fn format_name(options: &ExportOptions) -> &'static str {
    options.format.extension()
}

impl Panelist {
    pub fn report(&self, session: SessionId) -> Result<Report> {
        Ok(self.store.get_report(session)?)
    }

    /// A session's report with the session facts an export prints (interview, dates).
    pub fn export_item(&self, session: SessionId) -> Result<ExportItem> {
        let report = self.store.get_report(session)?;
        let s = self.store.get_session(session)?;
        let state = self.store.review_state(session)?;
        let in_force = state.in_force();
        let review = state.review.map(|r| ReviewFacts {
            by: r.by,
            at: r.at,
            note: r.note,
            adjustments: state.adjustments.clone(),
        });
        let reviewed_by = review.as_ref().map(|r| {
            let mut line = format!("{} on {}", r.by, r.at.format("%Y-%m-%d"));
            for a in &in_force {
                line.push_str(&format!(
                    " · {} adjusted {} → {}",
                    a.key.label(),
                    a.original,
                    a.value
                ));
            }
            line
        });
        Ok(ExportItem {
            report: report.with_adjustments(&in_force),
            facts: SessionFacts {
                interview_id: s.interview_id,
                revision: s.revision,
                started_at: s.started_at,
                ended_at: s.ended_at,
                reviewed_by,
                review,
            },
        })
    }

    /// The reports a selection takes, oldest interview first.
    pub fn export_items(&self, selection: &ReportSelection) -> Result<Vec<ExportItem>> {
        if let ReportSelection::Dates { from, to } = selection {
            if from > to {
                return Err(ServiceError::Invalid(format!(
                    "the date range ends ({to}) before it begins ({from})"
                )));
            }
        }
        let mut items = Vec::new();
        for session in self.store.list_sessions(None)? {
            let wanted = match selection {
                ReportSelection::Interview(id) => session.interview_id == *id,
                ReportSelection::Dates { from, to } => {
                    let day = session
                        .started_at
                        .unwrap_or(session.created_at)
                        .date_naive();
                    (*from..=*to).contains(&day)
                }
                ReportSelection::Sessions(ids) => ids.contains(&session.id),
            };
            if !wanted {
                continue;
            }
            match self.export_item(session.id) {
                Ok(item) => items.push(item),
                Err(ServiceError::Store(StoreError::NotFound { .. })) => {}
                Err(e) => return Err(e),
            }
        }
        items.sort_by_key(|i| (i.date(), i.report.session_id));
        Ok(items)
    }

    /// Writes one session's report to a file in the chosen format. An existing file is an
    /// error unless `options.overwrite` is set.
    pub fn export_report(
        &mut self,
        session: SessionId,
        options: &ExportOptions,
        out: &Path,
        actor: &Actor,
    ) -> Result<u64> {
        let item = self.export_item(session)?;
        let bytes = export_one(&item, options, out)?;
        // The file is remembered so an erasure can remove it. The audit entry names it
        // only by id: a path can carry the candidate's name, and the chained audit log is
        // never edited, erasure included.
        let export_id = uuid::Uuid::now_v7().to_string();
        let now = self.clock.now();
        self.store.record_export(
            &export_id,
            &[session],
            &out.display().to_string(),
            format_name(options),
            now,
        )?;
        self.audit(
            actor,
            "report.export",
            session,
            json!({"format": format_name(options), "export": export_id}),
        )?;
        Ok(bytes)
    }

    /// Exports every report a selection takes into a folder or a zip file. Nothing is
    /// written when a destination file exists (unless `options.overwrite`) or when the
    /// selection has no reports.
    pub fn export_reports(
        &mut self,
        selection: &ReportSelection,
        options: &ExportOptions,
        destination: &Destination,
        actor: &Actor,
    ) -> Result<ExportSummary> {
        let items = self.export_items(selection)?;
        if items.is_empty() {
            return Err(ServiceError::NotFound(
                "no finished interview matches; there are no reports to export".into(),
            ));
        }
        let summary = export_bulk(&items, options, destination)?;
        let export_id = uuid::Uuid::now_v7().to_string();
        let now = self.clock.now();
        // Each file is recorded with the sessions whose reports it holds, as the exporter
        // reports them, so an erasure removes exactly the files that name the candidate.
        for file in &summary.written {
            self.store.record_export(
                &export_id,
                &file.sessions,
                &file.path.display().to_string(),
                format_name(options),
                now,
            )?;
        }
        let mut detail = selection.describe();
        detail["format"] = json!(format_name(options));
        detail["reports"] = json!(summary.reports);
        detail["export"] = json!(export_id);
        self.audit(actor, "report.export_bulk", "reports", detail)?;
        Ok(summary)
    }
}
