//! The changes a kiosk queues in its outbox and pushes to the server: one variant of
//! [`Mutation`] per kind, each with the body it carries.
//!
//! On the wire a change is `{"kind": "...", "body": {...}}` inside a push item; in the
//! kiosk's outbox the kind and the body are two columns ([`Mutation::kind`],
//! [`Mutation::body_json`], [`Mutation::from_parts`]).

use std::fmt;
use std::str::FromStr;

use panelist_core::report::SignOff;
use panelist_core::{
    Candidate, CandidateId, ConsentRecord, InterviewId, InterviewRevision, Report, Response,
    Session, SessionId,
};
use serde::{Deserialize, Serialize};

/// One change a kiosk made, as the server applies it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
pub enum Mutation {
    /// A revision published on the kiosk.
    Revision(Box<InterviewRevision>),
    /// A new session with its candidate and consent.
    Session(Box<NewSession>),
    /// A session's new status and timings.
    SessionUpdate(Box<Session>),
    /// A committed answer.
    Response(Box<Response>),
    /// A session's report.
    Report(Box<Report>),
    /// A report's human sign-off with its score adjustments.
    Review(Box<ReviewChange>),
    /// A candidate erased on the kiosk: the server deletes their sessions too.
    Erasure(ErasureChange),
}

/// The kind of a [`Mutation`], without its body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MutationKind {
    Revision,
    Session,
    SessionUpdate,
    Response,
    Report,
    Review,
    Erasure,
}

impl MutationKind {
    pub const ALL: [MutationKind; 7] = [
        MutationKind::Revision,
        MutationKind::Session,
        MutationKind::SessionUpdate,
        MutationKind::Response,
        MutationKind::Report,
        MutationKind::Review,
        MutationKind::Erasure,
    ];

    /// The kind as written on the wire and in the outbox's `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            MutationKind::Revision => "revision",
            MutationKind::Session => "session",
            MutationKind::SessionUpdate => "session_update",
            MutationKind::Response => "response",
            MutationKind::Report => "report",
            MutationKind::Review => "review",
            MutationKind::Erasure => "erasure",
        }
    }
}

impl fmt::Display for MutationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kind name that is not one of [`MutationKind::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownKind(pub String);

impl fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown change kind `{}`", self.0)
    }
}

impl std::error::Error for UnknownKind {}

impl FromStr for MutationKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MutationKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

/// The body of a [`Mutation::Session`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewSession {
    pub session: Session,
    pub candidate: Candidate,
    pub consent: ConsentRecord,
}

/// The body of a [`Mutation::Review`]: the session and its sign-off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewChange {
    pub session_id: SessionId,
    #[serde(flatten)]
    pub sign_off: SignOff,
}

/// The body of a [`Mutation::Erasure`]: ids only, nothing that names the candidate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErasureChange {
    pub candidate_id: CandidateId,
    pub sessions: Vec<SessionId>,
}

impl Mutation {
    pub fn kind(&self) -> MutationKind {
        match self {
            Mutation::Revision(_) => MutationKind::Revision,
            Mutation::Session(_) => MutationKind::Session,
            Mutation::SessionUpdate(_) => MutationKind::SessionUpdate,
            Mutation::Response(_) => MutationKind::Response,
            Mutation::Report(_) => MutationKind::Report,
            Mutation::Review(_) => MutationKind::Review,
            Mutation::Erasure(_) => MutationKind::Erasure,
        }
    }

    /// The body alone, as JSON text (the outbox's `body` column).
    pub fn body_json(&self) -> serde_json::Result<String> {
        match self {
            Mutation::Revision(b) => serde_json::to_string(b),
            Mutation::Session(b) => serde_json::to_string(b),
            Mutation::SessionUpdate(b) => serde_json::to_string(b),
            Mutation::Response(b) => serde_json::to_string(b),
            Mutation::Report(b) => serde_json::to_string(b),
            Mutation::Review(b) => serde_json::to_string(b),
            Mutation::Erasure(b) => serde_json::to_string(b),
        }
    }

    /// A change read back from its kind and its body's JSON text.
    pub fn from_parts(kind: MutationKind, body: &str) -> serde_json::Result<Self> {
        Ok(match kind {
            MutationKind::Revision => Mutation::Revision(serde_json::from_str(body)?),
            MutationKind::Session => Mutation::Session(serde_json::from_str(body)?),
            MutationKind::SessionUpdate => Mutation::SessionUpdate(serde_json::from_str(body)?),
            MutationKind::Response => Mutation::Response(serde_json::from_str(body)?),
            MutationKind::Report => Mutation::Report(serde_json::from_str(body)?),
            MutationKind::Review => Mutation::Review(serde_json::from_str(body)?),
            MutationKind::Erasure => Mutation::Erasure(serde_json::from_str(body)?),
        })
    }

    /// The interview a pushed revision is of (the kiosk adopts a code the server gave it).
    pub fn revision_of(&self) -> Option<InterviewId> {
        match self {
            Mutation::Revision(rev) => Some(rev.interview_id),
            _ => None,
        }
    }
}
