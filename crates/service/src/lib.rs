//! The application service layer: every use case of Panelist as one call, over the
//! store, the brain, the engine and résumé intake. The `panelist` CLI calls it today;
//! the kiosk's Tauri commands and the server will call the same functions.

mod accounts;
mod error;
mod interviews;
mod paths;
mod privacy;
mod reports;
mod review;
mod run;
mod sessions;
mod sync_state;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use panelist_brain::OfflineBrain;
use panelist_core::{AuditEvent, AuditId, Brain, Clock, Policy, SystemClock};
use panelist_resume::Extractor;
use panelist_store::Store;

pub use error::ServiceError;
pub use interviews::NewInterview;
pub use panelist_export::{
    Destination, ExportError, ExportOptions, ExportSummary, Format as ExportFormat, Paper,
};
pub use panelist_store::SyncStatus;
pub use paths::{answer_audio_path, default_data_dir, ANSWERS_DIR, DATABASE_FILE};
pub use privacy::{ErasureReport, PurgeReport, Retention, RETENTION_DAYS};
pub use reports::ReportSelection;
pub use review::MAX_NOTE_CHARS;
pub use run::Run;
pub use sessions::{
    check_candidate, CandidateInput, FieldProblem, Registration, CONSENT_NOTICE_VERSION,
    MAX_NAME_CHARS, PHONE_DIGITS,
};

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// Who performs an action, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Cli,
    Kiosk,
    User(String),
}

impl Actor {
    pub fn as_string(&self) -> String {
        match self {
            Actor::Cli => "cli".into(),
            Actor::Kiosk => "kiosk".into(),
            Actor::User(id) => format!("user:{id}"),
        }
    }
}

/// One opened Panelist data directory.
pub struct Panelist {
    store: Store,
    brain: Arc<dyn Brain>,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
    extractor: Extractor,
    policy: Policy,
    /// Who runs candidates' interviews through this handle (registration, the interview
    /// loop): the kiosk unless the program says otherwise (`set_caller`).
    caller: Actor,
}

/// Makes every file and folder this process creates from now on readable by its owner
/// only (umask 077): answers' audio, résumés, exports, settings and secrets included.
/// The programs call it first thing; a library never changes it behind their back.
#[allow(unsafe_code)]
pub fn private_files() {
    // SAFETY: umask only sets the process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| ServiceError::io(path, e))
}

impl Panelist {
    /// Opens (creating if needed) a data directory with the embedded defaults: SQLite, the
    /// offline rules brain and the system clock.
    pub fn open(data_dir: &Path, extractor: Extractor) -> Result<Self> {
        // The meaning model, when one is found, joins the words in scoring.
        let brain = panelist_meaning::with_model(OfflineBrain::embedded()?, Some(data_dir));
        Self::open_with(data_dir, extractor, Box::new(brain), Arc::new(SystemClock))
    }

    /// Opens a data directory with a chosen brain and clock.
    pub fn open_with(
        data_dir: &Path,
        extractor: Extractor,
        brain: Box<dyn Brain>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|e| ServiceError::io(data_dir, e))?;
        // Candidates' data: the folder is the owner's alone, and so is the database
        // (SQLite gives its journal files the database's mode).
        set_mode(data_dir, 0o700)?;
        let database = data_dir.join(DATABASE_FILE);
        let store = Store::open(&database)?;
        set_mode(&database, 0o600)?;
        Ok(Self {
            store,
            brain: Arc::from(brain),
            clock,
            data_dir: data_dir.to_path_buf(),
            extractor,
            policy: Policy::default(),
            caller: Actor::Kiosk,
        })
    }

    /// Names who runs interviews through this handle, for the audit log: the CLI opens
    /// with `Actor::Cli`, the kiosk keeps the default `Actor::Kiosk`.
    pub fn set_caller(&mut self, caller: Actor) {
        self.caller = caller;
    }

    /// Who runs interviews through this handle (see [`Panelist::set_caller`]).
    pub fn caller(&self) -> &Actor {
        &self.caller
    }

    /// The current time on this application's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Replaces the brain (the programs open with the rules brain, then attach the one
    /// the stored brain mode names).
    pub fn set_brain(&mut self, brain: Box<dyn Brain>) {
        self.brain = brain.into();
    }

    pub fn brain_name(&self) -> String {
        self.brain.name()
    }

    fn audit(
        &mut self,
        actor: &Actor,
        action: &str,
        subject: impl ToString,
        detail: serde_json::Value,
    ) -> Result<()> {
        self.store.append_audit(&AuditEvent {
            id: AuditId::new(),
            at: self.clock.now(),
            actor: actor.as_string(),
            action: action.to_string(),
            subject: subject.to_string(),
            detail,
        })?;
        Ok(())
    }
}
