use std::path::Path;

use panelist_core::report::ReportMismatch;
use panelist_core::{BrainError, EngineError};
use panelist_export::ExportError;
use panelist_resume::ResumeError;
use panelist_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Brain(#[from] BrainError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Resume(#[from] ResumeError),
    #[error(transparent)]
    Report(#[from] ReportMismatch),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{path}: {detail}")]
    Io { path: String, detail: String },
}

impl ServiceError {
    pub(crate) fn io(path: &Path, e: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            detail: e.to_string(),
        }
    }

    /// Whether the error is about something the user named that does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            Self::NotFound(_) | Self::Store(StoreError::NotFound { .. })
        )
    }
}
