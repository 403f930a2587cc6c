//! Admin-mode accounts and settings as stored facts. Hashing, roles and the sign-in
//! delay are admin mode's rules (`panelist-admin`); this module only records.

use chrono::{DateTime, Utc};
use panelist_core::User;
use serde_json::json;

use crate::{Actor, Panelist, Result};

impl Panelist {
    pub fn add_user(&mut self, user: &User, actor: &Actor) -> Result<()> {
        self.store.insert_user(user)?;
        self.audit(
            actor,
            "user.create",
            user.id,
            json!({"role": user.role.as_str()}),
        )
    }

    pub fn record_login_failure(&mut self, email: &str, at: DateTime<Utc>) -> Result<u32> {
        Ok(self.store.record_login_failure(email, at)?)
    }

    /// Every answer recording that a committed answer refers to.
    pub fn answer_audio_paths(&self) -> Result<Vec<std::path::PathBuf>> {
        Ok(self
            .store
            .audio_paths()?
            .into_iter()
            .map(std::path::PathBuf::from)
            .collect())
    }

    /// Every staff account, oldest first.
    pub fn users(&self) -> Result<Vec<User>> {
        Ok(self.store.users()?)
    }

    /// The staff account with this email (surrounding spaces ignored), if any.
    pub fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        Ok(self.store.user_by_email(email)?)
    }

    /// How many staff accounts exist (none: the kiosk is not set up).
    pub fn user_count(&self) -> Result<u64> {
        Ok(self.store.user_count()?)
    }

    /// Consecutive failures recorded under `key` and when the last one was.
    pub fn login_failures(&self, key: &str) -> Result<Option<(u32, DateTime<Utc>)>> {
        Ok(self.store.login_failures(key)?)
    }

    pub fn clear_login_failures(&mut self, email: &str) -> Result<()> {
        Ok(self.store.clear_login_failures(email)?)
    }

    /// Appends an entry to the audit log for an action taken outside the service.
    pub fn record_audit(
        &mut self,
        actor: &Actor,
        action: &str,
        subject: impl ToString,
        detail: serde_json::Value,
    ) -> Result<()> {
        self.audit(actor, action, subject, detail)
    }

    /// A stored admin setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self.store.setting(key)?)
    }

    /// Changes a stored admin setting and audits the change.
    pub fn set_setting(&mut self, key: &str, value: Option<&str>, actor: &Actor) -> Result<()> {
        let before = self.store.setting(key)?;
        if before.as_deref() == value {
            return Ok(());
        }
        self.store.set_setting(key, value)?;
        self.audit(actor, "settings.change", key, json!({"value": value}))
    }
}
