//! How a voice answer may end besides "Submit answer" and the answer timer, as
//! `kiosk.toml` sets it. The detector that applies it is `panelist_kiosk::turn`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How a voice answer may end, besides "Submit answer" and the answer timer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AnswerEnd {
    /// Only "Submit answer" (or the timer) ends an answer.
    #[default]
    SubmitOnly,
    /// Also a silence after the candidate has spoken, once a grace time passes.
    AfterSilence,
}

/// The settings of the end-of-turn detector (from `kiosk.toml`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TurnPolicy {
    pub answer_end: AnswerEnd,
    /// Silence after speech before the kiosk asks "Finished?".
    pub silence_seconds: f64,
    /// Further silence after the question before the answer is submitted.
    pub grace_seconds: f64,
}
