//! Human review: HR signs a report off with a note, and may adjust a score with a reason
//! before that. The brain's score is kept; only a signed-off report is final.

use panelist_core::{ReportReview, ScoreAdjustment, ScoreKey, SessionId};
use panelist_store::ReviewState;
use serde_json::json;

use crate::{Actor, Panelist, Result, ServiceError};

/// The longest review note or adjustment reason kept.
pub const MAX_NOTE_CHARS: usize = 2000;

fn required_text(what: &str, text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ServiceError::Invalid(format!("the {what} is empty")));
    }
    if text.chars().count() > MAX_NOTE_CHARS {
        return Err(ServiceError::Invalid(format!(
            "the {what} is longer than {MAX_NOTE_CHARS} characters"
        )));
    }
    Ok(text.to_string())
}

impl Panelist {
    pub fn review_state(&self, session: SessionId) -> Result<ReviewState> {
        Ok(self.store.review_state(session)?)
    }

    /// Signs a report off: from now on it is final and its scores cannot change.
    pub fn sign_off_report(
        &mut self,
        session: SessionId,
        reviewer: &str,
        note: &str,
        actor: &Actor,
    ) -> Result<ReviewState> {
        let note = required_text("review note", note)?;
        // The report must exist: a session without one has nothing to sign off.
        self.store.get_report(session)?;
        let review = ReportReview {
            session_id: session,
            by: reviewer.to_string(),
            at: self.clock.now(),
            note,
        };
        self.store.sign_off_report(&review)?;
        self.audit(
            actor,
            "report.review",
            session,
            json!({"reviewer": reviewer, "note_chars": review.note.chars().count()}),
        )?;
        self.review_state(session)
    }

    /// Changes one score of a report that is not yet final; the brain's score stays.
    pub fn adjust_score(
        &mut self,
        session: SessionId,
        key: ScoreKey,
        value: u8,
        reason: &str,
        reviewer: &str,
        actor: &Actor,
    ) -> Result<ReviewState> {
        if value > 100 {
            return Err(ServiceError::Invalid(format!(
                "a score is 0-100, not {value}"
            )));
        }
        let reason = required_text("reason for the adjustment", reason)?;
        let report = self.store.get_report(session)?;
        let adjustment = ScoreAdjustment {
            session_id: session,
            key,
            original: key.of(&report.scores),
            value,
            reason,
            by: reviewer.to_string(),
            at: self.clock.now(),
        };
        self.store.adjust_score(&adjustment)?;
        self.audit(
            actor,
            "report.adjust_score",
            session,
            json!({"score": key.as_str(), "original": adjustment.original, "value": value}),
        )?;
        self.review_state(session)
    }
}
