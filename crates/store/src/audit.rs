//! The audit log: append-only.

use panelist_core::AuditEvent;
use rusqlite::params;

use crate::codec::{from_json, parse, to_json};
use crate::{Result, Store};

impl Store {
    pub fn append_audit(&mut self, e: &AuditEvent) -> Result<()> {
        self.conn.execute(
            "INSERT INTO audit_events (id, at, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                e.id.to_string(),
                e.at,
                e.actor,
                e.action,
                e.subject,
                to_json(&e.detail)?
            ],
        )?;
        Ok(())
    }

    /// The audit log, oldest first.
    pub fn audit_log(&self) -> Result<Vec<AuditEvent>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, at, actor, action, subject, detail FROM audit_events ORDER BY id",
        )?;
        let raws = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter()
            .map(|(id, at, actor, action, subject, detail)| {
                Ok(AuditEvent {
                    id: parse("audit id", &id)?,
                    at,
                    actor,
                    action,
                    subject,
                    detail: from_json("audit detail", &detail)?,
                })
            })
            .collect()
    }
}
