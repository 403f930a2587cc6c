//! Admin mode's errors, and how each reaches the UI (`UiError` with a code).

use panelist_audio::AudioError;
use panelist_core::{BrainError, Role};
use panelist_ipc::{ErrorCode, UiError};
use panelist_service::ServiceError;
use panelist_settings::SettingsError;
use panelist_speech::SpeechError;
use panelist_store::StoreError;

use crate::Permission;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("sign in first")]
    Unauthenticated,
    #[error("the {role} role may not do this ({permission:?})")]
    Denied { role: Role, permission: Permission },
    #[error("too many failed sign-ins: wait {wait_seconds} s before the next attempt")]
    Throttled { wait_seconds: i64 },
    #[error("the email or password is not correct")]
    WrongCredentials,
    #[error("{message}")]
    Invalid {
        field: Option<String>,
        message: String,
    },
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The voice preview could not be spoken.
    #[error("speech failed: {0}")]
    Speech(#[from] SpeechError),
    /// The microphone test found no working microphone.
    #[error("no working microphone was found ({0})")]
    NoMicrophone(AudioError),
    #[error("{0}")]
    Internal(String),
}

impl AdminError {
    /// A device error of the microphone test.
    pub fn no_microphone(e: AudioError) -> Self {
        Self::NoMicrophone(e)
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: Some(field.to_string()),
            message: message.into(),
        }
    }

    /// The error as the UI receives it.
    pub fn to_ui(&self) -> UiError {
        let (code, field) = match self {
            Self::Unauthenticated => (ErrorCode::Unauthenticated, None),
            Self::Denied { .. } => (ErrorCode::Denied, None),
            Self::Throttled { .. } => (ErrorCode::Throttled, None),
            Self::WrongCredentials => (ErrorCode::Invalid, Some("password".to_string())),
            Self::Invalid { field, .. } => (ErrorCode::Invalid, field.clone()),
            Self::Conflict(_) => (ErrorCode::Conflict, None),
            Self::Service(ServiceError::Invalid(_)) => (ErrorCode::Invalid, None),
            // The recruiter can fix it: write the questions, or choose an LLM brain.
            Self::Service(ServiceError::Brain(BrainError::NoQuestionsInLanguage(_))) => {
                (ErrorCode::Invalid, Some("language".to_string()))
            }
            Self::Service(ServiceError::Store(StoreError::Conflict(_))) => {
                (ErrorCode::Conflict, None)
            }
            Self::Service(e) if e.is_not_found() => (ErrorCode::NotFound, None),
            Self::Settings(e) => return e.to_ui(),
            Self::NoMicrophone(_) => (ErrorCode::NoMicrophone, None),
            Self::Service(_) | Self::Speech(_) | Self::Internal(_) => (ErrorCode::Internal, None),
        };
        UiError {
            code,
            message: self.to_string(),
            field,
        }
    }
}
