//! Results up (`POST /api/sync/push`): a batch of outbox changes and what the server did
//! with each.

use panelist_core::MutationId;
use serde::{Deserialize, Serialize};

use crate::error::ErrorBody;
use crate::mutation::Mutation;

/// A batch of outbox changes, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub items: Vec<PushItem>,
    /// Whether a change the server refuses for what it says (403, 422) is answered as
    /// [`ItemOutcome::Refused`] while the others apply. Without it (kiosks from before the
    /// flag) the whole batch is refused and nothing applies.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub per_item_refusals: bool,
}

/// One change: `{"mutation_id", "seq", "kind", "body"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushItem {
    /// The idempotency key: the server applies a key at most once per device.
    pub mutation_id: MutationId,
    /// The kiosk's order of changes; the server refuses to apply them out of order.
    pub seq: i64,
    #[serde(flatten)]
    pub mutation: Mutation,
}

impl PushItem {
    /// What the server remembers of a change to recognise it again: its kind, seq and
    /// body as canonical JSON (object keys sorted). The same change sent twice gives the
    /// same text; any difference in what it says gives another.
    pub fn canonical_json(&self) -> serde_json::Result<String> {
        let mut value = serde_json::to_value(&self.mutation)?;
        if let serde_json::Value::Object(map) = &mut value {
            map.insert("seq".into(), self.seq.into());
        }
        serde_json::to_string(&value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemOutcome {
    /// Applied by this request.
    Applied,
    /// Already applied by an earlier request with the same key and body.
    Duplicate,
    /// Refused for what it says (see `refusal`); not applied, and refused the same way if
    /// sent again. Only when the request asked for `per_item_refusals`.
    Refused,
}

/// The server's answer for one change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemResult {
    pub mutation_id: MutationId,
    pub outcome: ItemOutcome,
    /// For a pushed revision whose kiosk code another interview on the server already
    /// has: the code the server gave it instead. The kiosk adopts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kiosk_code: Option<String>,
    /// For a refused change: why (the error the whole batch would otherwise have had).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<ErrorBody>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<ItemResult>,
}
