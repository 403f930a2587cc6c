//! Reports, saved together with the session's completion.

use chrono::{DateTime, Utc};
use panelist_core::{Report, SessionId};
use rusqlite::params;

use crate::codec::{found, from_json, to_json};
use crate::outbox::{enqueue, enqueue_session_update};
use crate::{Result, Store};
use panelist_wire::Mutation;

impl Store {
    /// Saves the report and marks the session completed, in one transaction.
    pub fn save_report(&mut self, report: &Report, reason: &str, at: DateTime<Utc>) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO reports (session_id, report, brain, generated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT(session_id) DO UPDATE SET report = excluded.report, brain = excluded.brain, \
             generated_at = excluded.generated_at",
            params![
                report.session_id.to_string(),
                to_json(report)?,
                report.generated_by.brain,
                report.generated_by.at
            ],
        )?;
        tx.execute(
            "UPDATE sessions SET status = 'completed', end_reason = ?2, ended_at = COALESCE(ended_at, ?3), \
             current_question = NULL WHERE id = ?1",
            params![report.session_id.to_string(), reason, at],
        )?;
        enqueue(
            &tx,
            &Mutation::Report(Box::new(report.clone())),
            report.session_id,
            at,
        )?;
        enqueue_session_update(&tx, report.session_id, at)?;
        tx.commit()?;
        Ok(())
    }

    pub fn get_report(&self, session: SessionId) -> Result<Report> {
        let text: String = found(
            self.conn.query_row(
                "SELECT report FROM reports WHERE session_id = ?1",
                [session.to_string()],
                |r| r.get(0),
            ),
            "report for session",
            session,
        )?;
        from_json("report", &text)
    }
}
