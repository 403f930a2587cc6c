//! The JSON bodies of the sync and admin API, shared by the server and its clients.

use panelist_core::{InterviewId, InterviewRevision, MutationId};
use serde::{Deserialize, Serialize};

/// `POST /api/auth/login`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
}

/// `POST /api/sync/enroll`: a kiosk trades a one-time code for a device token.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub code: String,
    /// A name for people (the kiosk's host name, say).
    pub name: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub device_id: String,
    pub token: String,
}

/// `POST /api/enrollment-codes` (admin): a new one-time code.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EnrollmentCode {
    pub id: String,
    pub code: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// One entry of the revision feed, in server order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum FeedEvent {
    Published { revision: Box<InterviewRevision> },
    Archived { interview_id: InterviewId },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedItem {
    pub cursor: i64,
    #[serde(flatten)]
    pub event: FeedEvent,
}

/// `GET /api/sync/revisions?after=CURSOR`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RevisionPage {
    pub items: Vec<FeedItem>,
    /// Pass this as `after` next time.
    pub cursor: i64,
    /// Whether more items are waiting after this page.
    pub more: bool,
}

/// `POST /api/sync/push`: a batch of outbox changes, oldest first.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PushRequest {
    pub items: Vec<PushItem>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PushItem {
    /// The idempotency key: the server applies a key at most once per device.
    pub mutation_id: MutationId,
    /// The kiosk's order of changes; the server refuses to apply them out of order.
    pub seq: i64,
    pub kind: String,
    pub body: serde_json::Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemOutcome {
    /// Applied by this request.
    Applied,
    /// Already applied by an earlier request with the same key and body.
    Duplicate,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItemResult {
    pub mutation_id: MutationId,
    pub outcome: ItemOutcome,
    /// For a pushed revision whose kiosk code another interview on the server already
    /// has: the code the server gave it instead. The kiosk adopts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kiosk_code: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<ItemResult>,
}

/// Every error response: a code clients can branch on and a message for people.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}
