//! Typed identifiers. All ids are UUID v7, so they sort by creation time.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map(Self)
            }
        }
    };
}

id_type!(
    /// An admin, recruiter or HR account.
    UserId
);
id_type!(
    /// An interview configuration (all its revisions share this id).
    InterviewId
);
id_type!(
    /// A candidate who registered at a kiosk.
    CandidateId
);
id_type!(
    /// One sitting of one candidate for one interview revision.
    SessionId
);
id_type!(
    /// One committed answer.
    ResponseId
);
id_type!(
    /// A consent record.
    ConsentId
);
id_type!(
    /// An audit event.
    AuditId
);
id_type!(
    /// One brain decision as recorded (proposal, what was applied, corrections).
    DecisionId
);
id_type!(
    /// One change queued in a kiosk's outbox; the idempotency key of its push.
    MutationId
);
