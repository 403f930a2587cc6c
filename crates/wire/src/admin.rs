//! The server's admin endpoints: interviews authored on the server, devices, sessions
//! received from kiosks, recordings, and the small acknowledgements they answer with.

use chrono::{DateTime, Utc};
use panelist_core::report::SignOff;
use panelist_core::{Candidate, Difficulty, Language, Question, SessionStatus};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

fn default_avatar() -> String {
    "ada".into()
}

fn default_follow_ups() -> u32 {
    1
}

/// `POST /api/interviews`: what a recruiter sends (the original system's fields). The
/// server checks it with `panelist_core::rules`, as admin mode on a kiosk does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewInterview {
    pub job_role: String,
    #[serde(default)]
    pub job_description: String,
    pub difficulty: Difficulty,
    #[serde(default)]
    pub focus_areas: Vec<String>,
    #[serde(alias = "time_limit")]
    pub time_limit_minutes: u32,
    #[serde(default = "default_avatar")]
    pub avatar: String,
    pub num_questions: u32,
    #[serde(default = "default_follow_ups")]
    pub max_follow_ups_per_preset: u32,
    /// English when absent.
    #[serde(default)]
    pub language: Language,
    /// The questions; when absent the server's offline brain proposes them.
    #[serde(default)]
    pub questions: Option<Vec<Question>>,
}

/// An interview as the server shows it (`GET /api/interviews`, `POST /api/interviews`):
/// the domain's interview, as a kiosk stores it.
pub type InterviewView = panelist_core::Interview;

/// An enrolled kiosk (`GET /api/devices`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceView {
    pub id: Uuid,
    pub name: String,
    pub enrolled_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The last change applied from this kiosk.
    pub last_seq: i64,
}

/// A session received from a kiosk (`GET /api/sessions`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: Uuid,
    pub device_id: Uuid,
    pub interview_id: Uuid,
    pub revision: u32,
    pub candidate: Candidate,
    pub status: SessionStatus,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Answers received.
    pub responses: i64,
    pub has_report: bool,
    /// The human sign-off pushed by the kiosk; null while the report is a draft.
    pub review: Option<SignOff>,
}

/// An enrollment code or a device revoked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Revoked {
    pub revoked: Uuid,
}

/// An interview archived (kiosks learn it from the feed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Archived {
    pub archived: Uuid,
}

/// `GET /api/health`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub database: String,
}

/// `PUT /api/sync/audio/{response}`: the recording is kept (or was already, with the
/// same bytes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AudioStored {
    pub response_id: Uuid,
    /// False when the same recording was already stored.
    pub stored: bool,
    pub sha256: String,
}
