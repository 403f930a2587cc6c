//! The kiosk's error type and its mapping to what the UI branches on.

use panelist_service::ServiceError;
use panelist_settings::SettingsError;

use crate::dto::{ErrorCode, UiError};

#[derive(Debug, thiserror::Error)]
pub enum KioskError {
    /// Input the candidate can fix; `field` names the form field when there is one.
    #[error("{message}")]
    Invalid {
        field: Option<String>,
        message: String,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    NoMicrophone(String),
    /// What this kiosk cannot do as set up (its speech model cannot hear the interview's
    /// language): staff must change the kiosk.
    #[error("{0}")]
    Unsupported(String),
    /// A command that does not fit the journey's current step (for example submitting
    /// an answer before the interview began).
    #[error("{0}")]
    WrongState(String),
    #[error("the PIN is not correct")]
    WrongPin,
    /// An attempt inside the delay after failed ones: the PIN was not checked.
    #[error("too many wrong PINs: wait {wait_seconds} s before trying again")]
    Throttled { wait_seconds: i64 },
    #[error("no admin PIN is set on this kiosk; set one with `panelist kiosk set-pin`")]
    NoPin,
    /// No administrator account exists yet: no candidate journey starts.
    #[error("this kiosk is not set up yet: staff must first create its administrator (start it with --admin)")]
    NotSetUp,
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error("{0}")]
    Internal(String),
}

impl KioskError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        KioskError::Invalid {
            field: Some(field.to_string()),
            message: message.into(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            KioskError::Invalid { .. } => ErrorCode::Invalid,
            KioskError::NotFound(_) => ErrorCode::NotFound,
            KioskError::NoMicrophone(_) => ErrorCode::NoMicrophone,
            KioskError::Unsupported(_) => ErrorCode::Unsupported,
            KioskError::WrongState(_) | KioskError::NotSetUp => ErrorCode::WrongState,
            KioskError::WrongPin => ErrorCode::WrongPin,
            KioskError::NoPin => ErrorCode::NoPin,
            KioskError::Throttled { .. } => ErrorCode::Throttled,
            KioskError::Service(e) if e.is_not_found() => ErrorCode::NotFound,
            KioskError::Service(ServiceError::Invalid(_)) => ErrorCode::Invalid,
            KioskError::Service(_) | KioskError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The error as the UI receives it.
    pub fn to_ui(&self) -> UiError {
        let field = match self {
            KioskError::Invalid { field, .. } => field.clone(),
            _ => None,
        };
        UiError {
            code: self.code(),
            message: self.to_string(),
            field,
        }
    }
}

impl From<SettingsError> for KioskError {
    fn from(e: SettingsError) -> Self {
        match e {
            SettingsError::Invalid { field, message } => KioskError::Invalid {
                field: Some(field),
                message,
            },
            SettingsError::WrongPin => KioskError::WrongPin,
            SettingsError::NoPin => KioskError::NoPin,
            SettingsError::Internal(message) => KioskError::Internal(message),
        }
    }
}

pub type Result<T, E = KioskError> = std::result::Result<T, E>;
