//! A kiosk's enrollment (`/api/sync/enroll`) and the one-time codes it spends.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /api/sync/enroll`: a kiosk trades a one-time code for a device token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub code: String,
    /// A name for people (the kiosk's host name, say).
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub device_id: String,
    /// The device token (`pdt_…`); the server keeps only its hash.
    pub token: String,
}

/// `POST /api/enrollment-codes` (admin): a new one-time code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrollmentCode {
    pub id: String,
    pub code: String,
    pub expires_at: DateTime<Utc>,
}
