//! The settings' error type and how it reaches the UI.

use panelist_ipc::{ErrorCode, UiError};

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A value the user can fix; `field` names the form field.
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("the PIN is not correct")]
    WrongPin,
    #[error("no admin PIN is set on this kiosk; set one with `panelist kiosk set-pin`")]
    NoPin,
    /// The settings file cannot be read, parsed or written, or the PIN cannot be hashed.
    #[error("{0}")]
    Internal(String),
}

impl SettingsError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        SettingsError::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// The error as the UI receives it.
    pub fn to_ui(&self) -> UiError {
        let (code, field) = match self {
            SettingsError::Invalid { field, .. } => (ErrorCode::Invalid, Some(field.clone())),
            SettingsError::WrongPin => (ErrorCode::WrongPin, None),
            SettingsError::NoPin => (ErrorCode::NoPin, None),
            SettingsError::Internal(_) => (ErrorCode::Internal, None),
        };
        UiError {
            code,
            message: self.to_string(),
            field,
        }
    }
}

pub type Result<T, E = SettingsError> = std::result::Result<T, E>;
