//! Results up: applies a kiosk's pushed outbox batch exactly once and in order.
//!
//! One PostgreSQL transaction per batch. The device row is locked first, so two copies
//! of the same batch (a retry racing a slow original, a duplicating network) apply one
//! after the other and the second finds every key already recorded. Each change is
//! recorded in `mutations` under `(device_id, mutation_id)` with a hash of what it said:
//! the same key again is acknowledged as a duplicate, the same key with a different body
//! is refused (422), and a new change older than one already applied is refused (409),
//! which keeps each device's order. A kiosk that asks for per-item refusals gets a change
//! refused for what it says (403, 422) back as `Refused` while the rest of the batch
//! applies (a savepoint per change); the refusal is recorded, so a retry is refused alike.

use panelist_core::{rules, InterviewRevision};
use panelist_wire::{ItemOutcome, ItemResult, Mutation, PushItem};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::auth::sha256_hex;
use crate::error::ApiError;
use crate::feed;

/// The most changes one push may carry.
pub const MAX_BATCH: usize = 500;

fn body_hash(item: &PushItem) -> Result<String, ApiError> {
    let canonical = item
        .canonical_json()
        .map_err(|e| ApiError::Internal(format!("change encoding: {e}")))?;
    Ok(sha256_hex(&canonical))
}

/// A value as JSON for a `jsonb` column.
fn json<T: Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError::Internal(format!("encoding: {e}")))
}

pub async fn push(
    pool: &PgPool,
    device: Uuid,
    items: &[PushItem],
    per_item_refusals: bool,
) -> Result<Vec<ItemResult>, ApiError> {
    if items.len() > MAX_BATCH {
        return Err(ApiError::BadRequest(format!(
            "at most {MAX_BATCH} changes per push, not {}",
            items.len()
        )));
    }
    let mut tx = pool.begin().await?;
    let (mut last_seq,): (i64,) =
        sqlx::query_as("SELECT last_seq FROM devices WHERE id = $1 FOR UPDATE")
            .bind(device)
            .fetch_one(&mut *tx)
            .await?;
    let mut results = Vec::with_capacity(items.len());
    for item in items {
        let hash = body_hash(item)?;
        let known: Option<(String, Option<serde_json::Value>)> = sqlx::query_as(
            "SELECT body_hash, refusal FROM mutations WHERE device_id = $1 AND mutation_id = $2",
        )
        .bind(device)
        .bind(item.mutation_id.0)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((stored, refusal)) = known {
            if stored != hash {
                return Err(ApiError::Unprocessable(format!(
                    "change {} was already received with a different body",
                    item.mutation_id
                )));
            }
            // Refused before: refused again, the same way.
            if let Some(refusal) = refusal {
                results.push(ItemResult {
                    mutation_id: item.mutation_id,
                    outcome: ItemOutcome::Refused,
                    kiosk_code: None,
                    refusal: serde_json::from_value(refusal).ok(),
                });
                continue;
            }
            // A lost acknowledgement may have carried a new kiosk code: say it again.
            let kiosk_code = match &item.mutation {
                Mutation::Revision(rev) => assigned_code(&mut tx, rev).await?,
                _ => None,
            };
            results.push(ItemResult {
                mutation_id: item.mutation_id,
                outcome: ItemOutcome::Duplicate,
                kiosk_code,
                refusal: None,
            });
            continue;
        }
        if item.seq <= last_seq {
            return Err(ApiError::Conflict(format!(
                "change {} (seq {}) arrived after seq {last_seq} was applied; changes apply in order",
                item.mutation_id, item.seq
            )));
        }
        let applied = if per_item_refusals {
            // A savepoint per change: a refused one is undone alone (a failed statement
            // would otherwise abort the whole transaction) and the others apply.
            sqlx::query("SAVEPOINT change").execute(&mut *tx).await?;
            match apply(&mut tx, device, item).await {
                Ok(code) => {
                    sqlx::query("RELEASE SAVEPOINT change")
                        .execute(&mut *tx)
                        .await?;
                    Ok(code)
                }
                Err(e) if e.refuses_the_change() => {
                    sqlx::query("ROLLBACK TO SAVEPOINT change")
                        .execute(&mut *tx)
                        .await?;
                    tracing::warn!(%device, change = %item.mutation_id, "change refused: {e}");
                    Err(e.body())
                }
                Err(e) => return Err(e),
            }
        } else {
            Ok(apply(&mut tx, device, item).await?)
        };
        let refusal = match &applied {
            Err(body) => Some(json(body)?),
            Ok(_) => None,
        };
        sqlx::query(
            "INSERT INTO mutations (device_id, mutation_id, seq, kind, body_hash, refusal) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(device)
        .bind(item.mutation_id.0)
        .bind(item.seq)
        .bind(item.mutation.kind().as_str())
        .bind(&hash)
        .bind(refusal)
        .execute(&mut *tx)
        .await?;
        last_seq = item.seq;
        results.push(match applied {
            Ok(kiosk_code) => ItemResult {
                mutation_id: item.mutation_id,
                outcome: ItemOutcome::Applied,
                kiosk_code,
                refusal: None,
            },
            Err(refusal) => ItemResult {
                mutation_id: item.mutation_id,
                outcome: ItemOutcome::Refused,
                kiosk_code: None,
                refusal: Some(refusal),
            },
        });
    }
    sqlx::query("UPDATE devices SET last_seq = $2 WHERE id = $1")
        .bind(device)
        .bind(last_seq)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(results)
}

/// Applies one change; for a revision, returns the kiosk code the server gave it when it
/// is not the one the kiosk sent.
async fn apply(
    conn: &mut PgConnection,
    device: Uuid,
    item: &PushItem,
) -> Result<Option<String>, ApiError> {
    match &item.mutation {
        Mutation::Revision(pushed) => {
            let rev = checked_revision(conn, device, item, (**pushed).clone()).await?;
            // The interview row follows its newest revision; an archived one stays archived.
            sqlx::query(
                "INSERT INTO interviews (id, spec, questions, status, revision, kiosk_code, created_by) \
                 VALUES ($1, $2, $3, 'published', $4, $5, $6) \
                 ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, questions = excluded.questions, \
                 revision = excluded.revision, kiosk_code = excluded.kiosk_code, updated_at = now(), \
                 status = CASE interviews.status WHEN 'archived' THEN 'archived' ELSE 'published' END \
                 WHERE interviews.revision < excluded.revision",
            )
            .bind(rev.interview_id.0)
            .bind(json(&rev.spec)?)
            .bind(json(&rev.questions)?)
            .bind(rev.revision as i32)
            .bind(&rev.kiosk_code)
            .bind(format!("device:{device}"))
            .execute(&mut *conn)
            .await?;
            feed::insert_revision(conn, &rev).await?;
            return Ok((rev.kiosk_code != pushed.kiosk_code).then_some(rev.kiosk_code));
        }
        Mutation::Session(new) => {
            let s = &new.session;
            sqlx::query(
                "INSERT INTO sessions (id, device_id, interview_id, revision, candidate, consent, status, \
                 started_at, ended_at, end_reason, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(s.id.0)
            .bind(device)
            .bind(s.interview_id.0)
            .bind(s.revision as i32)
            .bind(json(&new.candidate)?)
            .bind(json(&new.consent)?)
            .bind(s.status.as_str())
            .bind(s.started_at)
            .bind(s.ended_at)
            .bind(&s.end_reason)
            .bind(s.created_at)
            .execute(&mut *conn)
            .await
            .map_err(|e| refused(e, item))?;
        }
        Mutation::SessionUpdate(s) => {
            owned_session(conn, device, s.id.0, item).await?;
            sqlx::query(
                "UPDATE sessions SET status = $2, started_at = $3, ended_at = $4, end_reason = $5 \
                 WHERE id = $1",
            )
            .bind(s.id.0)
            .bind(s.status.as_str())
            .bind(s.started_at)
            .bind(s.ended_at)
            .bind(&s.end_reason)
            .execute(&mut *conn)
            .await?;
        }
        Mutation::Response(r) => {
            owned_session(conn, device, r.session_id.0, item).await?;
            sqlx::query(
                "INSERT INTO responses (id, session_id, question_number, body) VALUES ($1, $2, $3, $4)",
            )
            .bind(r.id.0)
            .bind(r.session_id.0)
            .bind(r.question.number as i32)
            .bind(json(r)?)
            .execute(&mut *conn)
            .await
            .map_err(|e| refused(e, item))?;
        }
        Mutation::Report(report) => {
            owned_session(conn, device, report.session_id.0, item).await?;
            sqlx::query(
                "INSERT INTO reports (session_id, report, generated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (session_id) DO UPDATE SET report = excluded.report, \
                 generated_at = excluded.generated_at",
            )
            .bind(report.session_id.0)
            .bind(json(report)?)
            .bind(report.generated_by.at)
            .execute(&mut *conn)
            .await?;
        }
        Mutation::Review(review) => {
            owned_session(conn, device, review.session_id.0, item).await?;
            let updated = sqlx::query("UPDATE reports SET review = $2 WHERE session_id = $1")
                .bind(review.session_id.0)
                .bind(json(&review.sign_off)?)
                .execute(&mut *conn)
                .await?
                .rows_affected();
            if updated == 0 {
                return Err(ApiError::Unprocessable(format!(
                    "change {}: session {} has no report to review",
                    item.mutation_id, review.session_id
                )));
            }
        }
        Mutation::Erasure(erasure) => {
            // The candidate was erased on the kiosk: their sessions here go too, with
            // answers, recordings and reports. Sessions this device never pushed (or
            // another device owns) are not touched.
            for session in &erasure.sessions {
                let owner: Option<(Uuid,)> =
                    sqlx::query_as("SELECT device_id FROM sessions WHERE id = $1")
                        .bind(session.0)
                        .fetch_optional(&mut *conn)
                        .await?;
                if owner.map(|(o,)| o) != Some(device) {
                    continue;
                }
                for sql in [
                    "DELETE FROM response_audio WHERE response_id IN (SELECT id FROM responses WHERE session_id = $1)",
                    "DELETE FROM responses WHERE session_id = $1",
                    "DELETE FROM reports WHERE session_id = $1",
                    "DELETE FROM sessions WHERE id = $1",
                ] {
                    sqlx::query(sql).bind(session.0).execute(&mut *conn).await?;
                }
            }
        }
    }
    Ok(None)
}

/// A pushed revision as the server will keep it, or why it is refused:
/// - only the device that created an interview may publish its revisions (403): not
///   another kiosk's interview, not one created on the server;
/// - its form and questions follow the same rules as on a kiosk (422);
/// - its kiosk code is unique on the server: an interview keeps the code it has here, and
///   a new interview whose code is taken (or malformed) gets a fresh one.
async fn checked_revision(
    conn: &mut PgConnection,
    device: Uuid,
    item: &PushItem,
    mut rev: InterviewRevision,
) -> Result<InterviewRevision, ApiError> {
    let unprocessable =
        |e: rules::RuleError| ApiError::Unprocessable(format!("change {}: {e}", item.mutation_id));
    rules::validate_spec(&rev.spec).map_err(unprocessable)?;
    rules::validate_questions(&rev.questions).map_err(unprocessable)?;
    if rev.revision == 0 || rev.revision > i32::MAX as u32 {
        return Err(ApiError::Unprocessable(format!(
            "change {}: revision {} is out of range",
            item.mutation_id, rev.revision
        )));
    }
    // Codes are handed out under the feed lock (see `feed::kiosk_code_taken`).
    feed::lock_feed(conn).await?;
    let existing: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT created_by, kiosk_code FROM interviews WHERE id = $1 FOR UPDATE")
            .bind(rev.interview_id.0)
            .fetch_optional(&mut *conn)
            .await?;
    let existing_code = match existing {
        Some((created_by, _)) if created_by != format!("device:{device}") => {
            tracing::warn!(%device, interview = %rev.interview_id, %created_by,
                "a device pushed a revision of an interview it did not create");
            return Err(ApiError::ForbiddenBecause(format!(
                "change {}: interview {} was not created by this device; only its creator \
                 publishes its revisions",
                item.mutation_id, rev.interview_id
            )));
        }
        Some((_, code)) => code,
        None => None,
    };
    rev.kiosk_code = match existing_code {
        Some(code) => code,
        None => {
            let free = rules::is_kiosk_code(&rev.kiosk_code)
                && !feed::kiosk_code_taken(conn, &rev.kiosk_code, Some(rev.interview_id.0)).await?;
            if free {
                rev.kiosk_code.to_ascii_uppercase()
            } else {
                feed::unused_kiosk_code(conn).await?
            }
        }
    };
    Ok(rev)
}

/// For a revision acknowledged again: the interview's code here, if it is not the one
/// the kiosk sent.
async fn assigned_code(
    conn: &mut PgConnection,
    rev: &InterviewRevision,
) -> Result<Option<String>, ApiError> {
    let code: Option<(Option<String>,)> =
        sqlx::query_as("SELECT kiosk_code FROM interviews WHERE id = $1")
            .bind(rev.interview_id.0)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(code.and_then(|(c,)| c).filter(|c| *c != rev.kiosk_code))
}

/// A session may only be changed by the kiosk that pushed it.
async fn owned_session(
    conn: &mut PgConnection,
    device: Uuid,
    session: Uuid,
    item: &PushItem,
) -> Result<(), ApiError> {
    let owner: Option<(Uuid,)> = sqlx::query_as("SELECT device_id FROM sessions WHERE id = $1")
        .bind(session)
        .fetch_optional(&mut *conn)
        .await?;
    match owner {
        Some((owner,)) if owner == device => Ok(()),
        Some(_) => Err(ApiError::Unprocessable(format!(
            "change {}: session {session} belongs to another device",
            item.mutation_id
        ))),
        None => Err(ApiError::Unprocessable(format!(
            "change {}: session {session} is unknown (its creation must be pushed first)",
            item.mutation_id
        ))),
    }
}

/// A constraint violation is the kiosk's data contradicting what the server holds.
fn refused(e: sqlx::Error, item: &PushItem) -> ApiError {
    match &e {
        sqlx::Error::Database(db) if db.constraint().is_some() => ApiError::Unprocessable(format!(
            "change {} ({}) contradicts stored data: {}",
            item.mutation_id,
            item.mutation.kind(),
            db.message()
        )),
        _ => e.into(),
    }
}
