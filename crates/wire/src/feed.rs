//! The revision feed (`GET /api/sync/revisions?after=CURSOR`).

use panelist_core::{InterviewId, InterviewRevision};
use serde::{Deserialize, Serialize};

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

/// One page of the feed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevisionPage {
    pub items: Vec<FeedItem>,
    /// Pass this as `after` next time.
    pub cursor: i64,
    /// Whether more items are waiting after this page.
    pub more: bool,
}
