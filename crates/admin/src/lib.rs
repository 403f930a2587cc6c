//! Admin mode without a window: the recruiter's and HR's work on a kiosk's data
//! directory, behind accounts and roles.
//!
//! [`Admin`] wraps a [`Panelist`] and the signed-in account. Every operation names the
//! [`Permission`] it needs and checks it first, in Rust: the Tauri commands and the UI
//! only translate. Every action lands in the hash-chained audit log with the account as
//! its actor.

mod accounts;
pub mod bindings;
mod brain;
pub mod dto;
mod error;
mod interviews;
mod privacy;
mod reports;
mod roles;
pub mod rules;
mod settings;
mod sync;

use std::path::{Path, PathBuf};

use panelist_core::{Role, User, UserId};
use panelist_service::{Actor, Panelist};
use serde_json::json;

pub use accounts::{
    delay_after, hash_password, verify_password, FREE_FAILURES, MAX_FULL_NAME_CHARS,
    MIN_PASSWORD_CHARS,
};
pub use brain::{build_brain, stored_brain_mode, BrainMode, BRAIN_MODE_SETTING};
pub use error::AdminError;
pub use interviews::languages;
pub use panelist_sync::{SyncMonitor, SyncSchedule};
pub use reports::export_file_name;
pub use roles::{allows, Permission};
pub use settings::{check_settings_form, UPLOAD_AUDIO_SETTING};
pub use sync::spawn_background_sync;

pub type Result<T, E = AdminError> = std::result::Result<T, E>;

/// How long admin mode stays signed in without activity, unless `kiosk.toml` says
/// otherwise (`admin_idle_seconds`).
pub use panelist_settings::DEFAULT_ADMIN_IDLE_SECONDS;

/// Admin mode on one data directory, with at most one signed-in account.
pub struct Admin {
    app: Panelist,
    account: Option<User>,
    /// The signed-in account's last activity (the application's clock): staff who walk
    /// away are signed out after `idle_limit`.
    last_activity: Option<chrono::DateTime<chrono::Utc>>,
    idle_limit: chrono::Duration,
    /// Where LLM provider keys are kept (the OS keychain, else a 0600 file).
    secrets: panelist_llm::SecretStore,
}

impl Admin {
    pub fn new(app: Panelist) -> Self {
        let secrets = panelist_llm::SecretStore::new(app.data_dir());
        Self::with_secret_store(app, secrets)
    }

    /// Admin mode with a chosen key store (tests use the file alone, never a keychain).
    pub fn with_secret_store(app: Panelist, secrets: panelist_llm::SecretStore) -> Self {
        let idle_seconds = panelist_settings::KioskSettings::load(app.data_dir())
            .map(|k| k.admin_idle_seconds())
            .unwrap_or(DEFAULT_ADMIN_IDLE_SECONDS);
        Self {
            app,
            account: None,
            last_activity: None,
            idle_limit: chrono::Duration::seconds(i64::from(idle_seconds)),
            secrets,
        }
    }

    /// Sets the idle time after which admin mode signs out.
    pub fn set_idle_limit(&mut self, seconds: u32) {
        self.idle_limit = chrono::Duration::seconds(i64::from(seconds));
    }

    /// Whether the signed-in account has been idle for the limit or longer.
    fn idle_expired(&self) -> bool {
        self.account.is_some()
            && self
                .last_activity
                .is_none_or(|last| self.app.now() - last >= self.idle_limit)
    }

    /// Signs out an account that has been idle for the limit (recorded in the audit log).
    /// Returns whether it did. The shell calls this on a timer and then returns to the
    /// kiosk; every command checks the same limit first, so an idle session is closed
    /// even if no timer runs.
    pub fn expire_idle(&mut self) -> bool {
        if !self.idle_expired() {
            return false;
        }
        if let Some(user) = self.account.take() {
            let idle = self
                .last_activity
                .map(|last| (self.app.now() - last).num_seconds());
            let _ = self.app.record_audit(
                &Actor::User(user.email.clone()),
                "user.idle_sign_out",
                user.id,
                json!({ "idle_seconds": idle }),
            );
        }
        self.last_activity = None;
        true
    }

    /// Activity from the signed-in person (a command, a key press, a click): the idle
    /// clock starts again, unless the limit has already passed, which signs out.
    pub fn touch(&mut self) {
        if !self.expire_idle() && self.account.is_some() {
            self.last_activity = Some(self.app.now());
        }
    }

    pub fn app(&self) -> &Panelist {
        &self.app
    }

    pub fn app_mut(&mut self) -> &mut Panelist {
        &mut self.app
    }

    pub fn data_dir(&self) -> PathBuf {
        self.app.data_dir().to_path_buf()
    }

    /// The signed-in account.
    pub fn account(&self) -> Option<&User> {
        self.account.as_ref()
    }

    /// The actor written to the audit log for the signed-in account.
    fn actor(&self) -> Result<Actor> {
        if self.idle_expired() {
            return Err(AdminError::Unauthenticated);
        }
        self.account
            .as_ref()
            .map(|u| Actor::User(u.email.clone()))
            .ok_or(AdminError::Unauthenticated)
    }

    /// Fails unless someone is signed in whose role allows `permission`. The shell calls
    /// this before opening a native dialog for an operation.
    pub fn require(&self, permission: Permission) -> Result<&User> {
        if self.idle_expired() {
            return Err(AdminError::Unauthenticated);
        }
        let user = self.account.as_ref().ok_or(AdminError::Unauthenticated)?;
        if allows(user.role, permission) {
            Ok(user)
        } else {
            Err(AdminError::Denied {
                role: user.role,
                permission,
            })
        }
    }

    pub fn status(&self) -> Result<dto::AdminStatus> {
        Ok(dto::AdminStatus {
            first_run: self.app.user_count()? == 0,
            account: self
                .account
                .as_ref()
                .filter(|_| !self.idle_expired())
                .map(account_dto),
            data_dir: self.app.data_dir().display().to_string(),
        })
    }

    /// Creates the first administrator and signs them in. Refused once any account exists.
    pub fn create_first_admin(
        &mut self,
        email: &str,
        full_name: &str,
        password: &str,
    ) -> Result<dto::Account> {
        if self.app.user_count()? > 0 {
            return Err(AdminError::Conflict(
                "an administrator already exists; sign in instead".into(),
            ));
        }
        let user = self.insert_user(email, full_name, Role::Admin, password, None)?;
        self.account = Some(user.clone());
        self.last_activity = Some(self.app.now());
        Ok(account_dto(&user))
    }

    /// Signs in. After two failed attempts each further one must wait a growing delay
    /// (1 s, 2 s, 4 s … up to 15 minutes); an attempt inside the delay is refused without
    /// checking the password, so guessing cannot go faster than the delay.
    pub fn login(&mut self, email: &str, password: &str) -> Result<dto::Account> {
        let email = email.trim();
        // No email holds a control character; the kiosk's PIN attempts are counted under
        // such a key, which a sign-in must not reach.
        if email.chars().any(char::is_control) {
            return Err(AdminError::WrongCredentials);
        }
        let now = self.app.now();
        if let Some((failures, last)) = self.app.login_failures(email)? {
            let next = accounts::next_attempt(failures, last);
            if now < next {
                let wait = (next - now).num_milliseconds().max(1);
                return Err(AdminError::Throttled {
                    wait_seconds: (wait + 999) / 1000,
                });
            }
        }
        let user = self.app.user_by_email(email)?;
        let ok = match &user {
            Some(u) => verify_password(password, &u.password_hash),
            None => {
                // The same work for an unknown email, so timing does not reveal accounts.
                let _ = verify_password(password, DUMMY_HASH);
                false
            }
        };
        let store_actor = Actor::User(email.to_string());
        match (ok, user) {
            (true, Some(user)) => {
                self.app_store_mut_clear(email)?;
                self.app
                    .record_audit(&store_actor, "user.login", user.id, json!({}))
                    .map_err(AdminError::Service)?;
                self.account = Some(user.clone());
                self.last_activity = Some(now);
                Ok(account_dto(&user))
            }
            _ => {
                let failures = self
                    .app
                    .record_login_failure(email, now)
                    .map_err(AdminError::Service)?;
                self.app
                    .record_audit(
                        &store_actor,
                        "user.login_failed",
                        email,
                        json!({"failures": failures}),
                    )
                    .map_err(AdminError::Service)?;
                Err(AdminError::WrongCredentials)
            }
        }
    }

    fn app_store_mut_clear(&mut self, email: &str) -> Result<()> {
        self.app
            .clear_login_failures(email)
            .map_err(AdminError::Service)
    }

    pub fn logout(&mut self) {
        self.last_activity = None;
        if let Some(user) = self.account.take() {
            let _ = self.app.record_audit(
                &Actor::User(user.email.clone()),
                "user.logout",
                user.id,
                json!({}),
            );
        }
    }

    pub fn users(&self) -> Result<Vec<dto::Account>> {
        self.require(Permission::ManageUsers)?;
        Ok(self.app.users()?.iter().map(account_dto).collect())
    }

    pub fn create_user(
        &mut self,
        email: &str,
        full_name: &str,
        role: Role,
        password: &str,
    ) -> Result<dto::Account> {
        self.require(Permission::ManageUsers)?;
        let actor = self.actor()?;
        let user = self.insert_user(email, full_name, role, password, Some(actor))?;
        Ok(account_dto(&user))
    }

    fn insert_user(
        &mut self,
        email: &str,
        full_name: &str,
        role: Role,
        password: &str,
        actor: Option<Actor>,
    ) -> Result<User> {
        let email = accounts::check_email(email)?;
        let full_name = accounts::check_name(full_name)?;
        accounts::check_password(password)?;
        if self.app.user_by_email(&email)?.is_some() {
            return Err(AdminError::invalid(
                "email",
                "an account with this email exists",
            ));
        }
        let user = User {
            id: UserId::new(),
            email: email.clone(),
            password_hash: hash_password(password)?,
            full_name,
            role,
            created_at: self.app.now(),
        };
        let actor = actor.unwrap_or_else(|| Actor::User(email.clone()));
        self.app
            .add_user(&user, &actor)
            .map_err(AdminError::Service)?;
        Ok(user)
    }
}

/// An argon2id hash of a random string, verified against for unknown emails.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3m1K7bB8m6KUNeMHq9n1P1cY4nq3l1w1rWm7x6w2G0c";

fn account_dto(u: &User) -> dto::Account {
    dto::Account {
        id: u.id.to_string(),
        email: u.email.clone(),
        full_name: u.full_name.clone(),
        role: u.role,
    }
}

/// The interview form as the service takes it (trimmed, empty focus areas dropped).
pub fn dto_spec(spec: dto::InterviewSpecDto) -> Result<panelist_core::InterviewSpec> {
    interviews::spec_from(spec)
}

/// Where the database of a data directory lives (for the erasure tests and backups).
pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join(panelist_service::DATABASE_FILE)
}
