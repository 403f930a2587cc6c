//! Reading reports, selecting them for export, and exporting them as files (PDF, CSV,
//! JSON; one file, a folder or a zip) through `panelist-export`. The CLI and the admin UI
//! call these functions; the export library itself never sees the database.

use std::path::Path;

use chrono::NaiveDate;
use panelist_core::{InterviewId, Report, SessionId};
use panelist_export::{
    export_bulk, export_one, Destination, ExportItem, ExportOptions, ExportSummary, SessionFacts,
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
}

impl ReportSelection {
    fn describe(&self) -> serde_json::Value {
        match self {
            Self::Interview(id) => json!({"interview": id.to_string()}),
            Self::Dates { from, to } => json!({"from": from.to_string(), "to": to.to_string()}),
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
        Ok(ExportItem {
            report,
            facts: SessionFacts {
                interview_id: s.interview_id,
                revision: s.revision,
                started_at: s.started_at,
                ended_at: s.ended_at,
                // The store records no human review yet (issue 9 adds it).
                reviewed_by: None,
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
        self.audit(
            actor,
            "report.export",
            session,
            json!({"format": format_name(options), "path": out.display().to_string()}),
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
        let (kind, path) = match destination {
            Destination::Dir(p) => ("dir", p),
            Destination::Zip(p) => ("zip", p),
        };
        let mut detail = selection.describe();
        detail["format"] = json!(format_name(options));
        detail["reports"] = json!(summary.reports);
        detail[kind] = json!(path.display().to_string());
        self.audit(actor, "report.export_bulk", "reports", detail)?;
        Ok(summary)
    }
}
