//! Human review of reports: the sign-off with its note, and score adjustments that keep
//! the brain's score beside the reviewer's. A signed-off report is final and locked.

use chrono::{DateTime, Utc};
use panelist_core::{ReportReview, ScoreAdjustment, ScoreKey, SessionId};
use rusqlite::{params, OptionalExtension};

use crate::codec::{found, parse};
use crate::outbox::enqueue;
use crate::{Result, Store, StoreError};
use panelist_wire::{Mutation, ReviewChange};

/// A report's review state: the sign-off, if any, and every adjustment in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReviewState {
    pub review: Option<ReportReview>,
    pub adjustments: Vec<ScoreAdjustment>,
}

impl ReviewState {
    /// Only a reviewed report is final.
    pub fn is_final(&self) -> bool {
        self.review.is_some()
    }

    /// The latest adjustment of each score, in key order.
    pub fn in_force(&self) -> Vec<ScoreAdjustment> {
        ScoreKey::ALL
            .iter()
            .filter_map(|k| self.adjustments.iter().rev().find(|a| a.key == *k).cloned())
            .collect()
    }
}

/// `signed_off_by`, `signed_off_at`, `review_note` of a report row.
type SignOffColumns = (Option<String>, Option<DateTime<Utc>>, Option<String>);

impl Store {
    pub fn review_state(&self, session: SessionId) -> Result<ReviewState> {
        let signed: Option<SignOffColumns> = self
            .conn
            .query_row(
                "SELECT signed_off_by, signed_off_at, review_note FROM reports WHERE session_id = ?1",
                [session.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let review = match signed {
            Some((Some(by), Some(at), note)) => Some(ReportReview {
                session_id: session,
                by,
                at,
                note: note.unwrap_or_default(),
            }),
            _ => None,
        };
        let mut stmt = self.conn.prepare(
            "SELECT score_key, original, value, reason, by_user, at FROM score_adjustments \
             WHERE session_id = ?1 ORDER BY at, rowid",
        )?;
        let raws = stmt
            .query_map([session.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, u8>(1)?,
                    r.get::<_, u8>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, DateTime<Utc>>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let adjustments = raws
            .into_iter()
            .map(|(key, original, value, reason, by, at)| {
                Ok(ScoreAdjustment {
                    session_id: session,
                    key: parse("score key", &key)?,
                    original,
                    value,
                    reason,
                    by,
                    at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ReviewState {
            review,
            adjustments,
        })
    }

    fn ensure_open_for_review(&self, session: SessionId) -> Result<()> {
        let by: Option<String> = found(
            self.conn.query_row(
                "SELECT signed_off_by FROM reports WHERE session_id = ?1",
                [session.to_string()],
                |r| r.get(0),
            ),
            "report for session",
            session,
        )?;
        match by {
            Some(by) => Err(StoreError::Conflict(format!(
                "the report was signed off by {by}; it is final and cannot change"
            ))),
            None => Ok(()),
        }
    }

    /// Signs the report off (once), and queues the sign-off with its adjustments for
    /// the server in the same transaction.
    pub fn sign_off_report(&mut self, review: &ReportReview) -> Result<()> {
        self.ensure_open_for_review(review.session_id)?;
        let adjustments = self.review_state(review.session_id)?.adjustments;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE reports SET signed_off_by = ?2, signed_off_at = ?3, review_note = ?4 WHERE session_id = ?1",
            params![
                review.session_id.to_string(),
                review.by,
                review.at,
                review.note
            ],
        )?;
        let change = Mutation::Review(Box::new(ReviewChange {
            session_id: review.session_id,
            sign_off: panelist_core::SignOff::new(review, &adjustments),
        }));
        enqueue(&tx, &change, review.session_id, review.at)?;
        tx.commit()?;
        Ok(())
    }

    /// Records an adjustment; refused once the report is final.
    pub fn adjust_score(&mut self, a: &ScoreAdjustment) -> Result<()> {
        self.ensure_open_for_review(a.session_id)?;
        self.conn.execute(
            "INSERT INTO score_adjustments (id, session_id, score_key, original, value, reason, by_user, at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                uuid_like(a),
                a.session_id.to_string(),
                a.key.as_str(),
                a.original,
                a.value,
                a.reason,
                a.by,
                a.at
            ],
        )?;
        Ok(())
    }
}

/// A row key that cannot collide: the session, the score and the moment.
fn uuid_like(a: &ScoreAdjustment) -> String {
    format!(
        "{}:{}:{}",
        a.session_id,
        a.key.as_str(),
        a.at.timestamp_nanos_opt().unwrap_or_default()
    )
}
