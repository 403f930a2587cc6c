//! The kiosk-server contract: every body that crosses the network between a kiosk (the
//! store's outbox, the sync client, the CLI) and the Panelist server, as one set of types
//! both sides serialise through. Neither side writes a protocol body by hand.
//!
//! - [`account`]: sign-in and accounts;
//! - [`enroll`]: a kiosk's enrollment and the one-time codes it uses;
//! - [`feed`]: the revision feed kiosks pull by cursor;
//! - [`mutation`]: [`Mutation`], one variant per kind of outbox change, with its body;
//! - [`push`]: a batch of changes and the server's result for each;
//! - [`admin`]: what the server's admin endpoints take and show (interviews, devices,
//!   sessions, recordings);
//! - [`error`]: every error answer, with a code clients branch on.
//!
//! Domain values (an interview revision, a session, an answer, a report) are the types of
//! `panelist-core`, referenced here, never copied: a field added there travels as is.
//! `tests/contract.rs` holds one fixture per message; a change to any field of the wire
//! format fails it.

pub mod account;
pub mod admin;
pub mod enroll;
pub mod error;
pub mod feed;
pub mod mutation;
pub mod push;

pub use account::{LoginRequest, LoginResponse, NewUser, UserCreated};
pub use admin::{
    Archived, AudioStored, DeviceView, Health, InterviewView, NewInterview, Revoked, SessionView,
};
pub use enroll::{EnrollRequest, EnrollResponse, EnrollmentCode};
pub use error::{ErrorBody, ErrorCode};
pub use feed::{FeedEvent, FeedItem, RevisionPage};
pub use mutation::{ErasureChange, Mutation, MutationKind, NewSession, ReviewChange};
pub use push::{ItemOutcome, ItemResult, PushItem, PushRequest, PushResponse};
