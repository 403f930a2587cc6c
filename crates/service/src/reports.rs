//! Reading and exporting reports.

use std::io::Write;
use std::path::Path;

use panelist_core::{Report, SessionId};
use serde_json::json;

use crate::{Actor, Panelist, Result, ServiceError};

impl Panelist {
    pub fn report(&self, session: SessionId) -> Result<Report> {
        Ok(self.store.get_report(session)?)
    }

    /// Writes the report as JSON. The file appears whole or not at all: it is written
    /// beside the destination and renamed into place.
    pub fn export_report_json(
        &mut self,
        session: SessionId,
        out: &Path,
        actor: &Actor,
    ) -> Result<()> {
        let report = self.store.get_report(session)?;
        let json = serde_json::to_vec_pretty(&report)
            .map_err(|e| ServiceError::Invalid(format!("cannot encode the report: {e}")))?;
        let dir = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = dir.join(format!(
            ".{}.partial",
            out.file_name().and_then(|n| n.to_str()).unwrap_or("report")
        ));
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&json)?;
            f.write_all(b"\n")?;
            f.sync_all()?;
            std::fs::rename(&tmp, out)
        };
        if let Err(e) = write() {
            let _ = std::fs::remove_file(&tmp);
            return Err(ServiceError::io(out, e));
        }
        self.audit(
            actor,
            "report.export",
            session,
            json!({"format": "json", "path": out.display().to_string()}),
        )
    }
}
