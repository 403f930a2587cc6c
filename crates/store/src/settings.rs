//! Small key/value settings of admin mode (retention, audio upload) and the failed-login
//! counters behind the growing sign-in delay.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use crate::{Result, Store};

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets (or, with `None`, removes) a setting.
    pub fn set_setting(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, v],
            )?,
            None => self
                .conn
                .execute("DELETE FROM settings WHERE key = ?1", [key])?,
        };
        Ok(())
    }

    /// Consecutive failed logins for an email and the time of the last one.
    pub fn login_failures(&self, email: &str) -> Result<Option<(u32, DateTime<Utc>)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT failures, last_failure_at FROM login_failures WHERE email = ?1",
                [email.trim()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    pub fn record_login_failure(&mut self, email: &str, at: DateTime<Utc>) -> Result<u32> {
        Ok(self.conn.query_row(
            "INSERT INTO login_failures (email, failures, last_failure_at) VALUES (?1, 1, ?2) \
             ON CONFLICT(email) DO UPDATE SET failures = failures + 1, last_failure_at = excluded.last_failure_at \
             RETURNING failures",
            params![email.trim(), at],
            |r| r.get(0),
        )?)
    }

    pub fn clear_login_failures(&mut self, email: &str) -> Result<()> {
        self.conn.execute(
            "DELETE FROM login_failures WHERE email = ?1",
            [email.trim()],
        )?;
        Ok(())
    }
}
