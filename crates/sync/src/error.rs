//! Sync errors, by what the caller can do about them.

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No answer from the server (down, unreachable, timed out, cut off). Nothing was
    /// lost: unacknowledged changes stay in the outbox for the next sync.
    #[error("the server at {server} is unreachable ({detail}); {pending} change(s) wait in the outbox, nothing lost")]
    Unreachable {
        server: String,
        detail: String,
        pending: u64,
    },
    /// The server answered with an error it will repeat (bad code, revoked device, …).
    #[error("the server refused the request ({status} {code}): {message}")]
    Rejected {
        status: u16,
        code: String,
        message: String,
    },
    /// Plain http to a machine other than this one: tokens and candidates' data would
    /// cross the network readable by anyone on the way.
    #[error(
        "refusing plain http to {server}: use https:// (TLS), or --insecure-http for a lab network"
    )]
    InsecureTransport { server: String },
    /// The server's answer is larger than the client accepts.
    #[error("the server's answer is larger than {limit} bytes; refused")]
    AnswerTooLarge { limit: u64 },
    #[error("this kiosk is not enrolled: run `panelist enroll --server URL --code CODE` first")]
    NotEnrolled,
    #[error("the server sent something unexpected: {0}")]
    Protocol(String),
    #[error(transparent)]
    Store(#[from] panelist_store::StoreError),
}
