//! Interview revisions on the server and the feed kiosks pull them from.
//!
//! Every write to the feed takes one transaction-scoped advisory lock, so feed ids are
//! handed out in commit order: a kiosk that has read up to cursor N can never later
//! miss an entry below N that committed after it read.

use panelist_core::{InterviewId, InterviewRevision};
use panelist_wire::{FeedEvent, FeedItem, RevisionPage};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::error::ApiError;

const FEED_LOCK: i64 = 0x7061_6e65_6c69_7374; // "panelist"

pub async fn lock_feed(conn: &mut PgConnection) -> Result<(), ApiError> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(FEED_LOCK)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores a revision and announces it. A revision is immutable: the same revision again
/// is a no-op (returns false), a different one under the same number is refused.
pub async fn insert_revision(
    conn: &mut PgConnection,
    rev: &InterviewRevision,
) -> Result<bool, ApiError> {
    let snapshot = serde_json::to_value(rev)
        .map_err(|e| ApiError::Internal(format!("revision encoding: {e}")))?;
    let existing: Option<(serde_json::Value,)> = sqlx::query_as(
        "SELECT snapshot FROM interview_revisions WHERE interview_id = $1 AND revision = $2",
    )
    .bind(rev.interview_id.0)
    .bind(rev.revision as i32)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((stored,)) = existing {
        let same = serde_json::from_value::<InterviewRevision>(stored)
            .map(|s| &s == rev)
            .unwrap_or(false);
        return if same {
            Ok(false)
        } else {
            Err(ApiError::Unprocessable(format!(
                "revision {} of interview {} exists with other content; published revisions never change",
                rev.revision, rev.interview_id
            )))
        };
    }
    lock_feed(conn).await?;
    sqlx::query(
        "INSERT INTO interview_revisions (interview_id, revision, snapshot, published_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(rev.interview_id.0)
    .bind(rev.revision as i32)
    .bind(&snapshot)
    .bind(rev.published_at)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO revision_feed (interview_id, event, revision) VALUES ($1, 'published', $2)",
    )
    .bind(rev.interview_id.0)
    .bind(rev.revision as i32)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

pub async fn announce_archive(conn: &mut PgConnection, id: Uuid) -> Result<(), ApiError> {
    lock_feed(conn).await?;
    sqlx::query("INSERT INTO revision_feed (interview_id, event) VALUES ($1, 'archived')")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

type FeedRow = (i64, String, Uuid, Option<serde_json::Value>);

/// Up to `limit` feed entries after `after`.
pub async fn page(pool: &PgPool, after: i64, limit: i64) -> Result<RevisionPage, ApiError> {
    let rows: Vec<FeedRow> = sqlx::query_as(
        "SELECT f.id, f.event, f.interview_id, r.snapshot FROM revision_feed f \
         LEFT JOIN interview_revisions r ON r.interview_id = f.interview_id AND r.revision = f.revision \
         WHERE f.id > $1 ORDER BY f.id LIMIT $2",
    )
    .bind(after)
    .bind(limit + 1)
    .fetch_all(pool)
    .await?;
    let more = rows.len() as i64 > limit;
    let mut items = Vec::new();
    let mut cursor = after;
    for (id, event, interview_id, snapshot) in rows.into_iter().take(limit as usize) {
        let event =
            match (event.as_str(), snapshot) {
                ("published", Some(snapshot)) => FeedEvent::Published {
                    revision: Box::new(serde_json::from_value(snapshot).map_err(|e| {
                        ApiError::Internal(format!("stored revision unreadable: {e}"))
                    })?),
                },
                _ => FeedEvent::Archived {
                    interview_id: InterviewId(interview_id),
                },
            };
        cursor = id;
        items.push(FeedItem { cursor: id, event });
    }
    Ok(RevisionPage {
        items,
        cursor,
        more,
    })
}

/// Whether another interview than `except` already has `code` (case does not matter).
/// Call it holding the feed lock (`lock_feed`): every code is handed out under it, so
/// two transactions cannot both find a code free and take it.
pub async fn kiosk_code_taken(
    conn: &mut PgConnection,
    code: &str,
    except: Option<Uuid>,
) -> Result<bool, ApiError> {
    let (taken,): (bool,) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM interviews WHERE upper(kiosk_code) = upper($1) \
         AND ($2::uuid IS NULL OR id <> $2))",
    )
    .bind(code)
    .bind(except)
    .fetch_one(&mut *conn)
    .await?;
    Ok(taken)
}

/// A kiosk code no interview has (`panelist_core::rules`), with the feed lock taken.
pub async fn unused_kiosk_code(conn: &mut PgConnection) -> Result<String, ApiError> {
    use rand::Rng;
    lock_feed(conn).await?;
    for _ in 0..100 {
        let code = panelist_core::rules::kiosk_code_from(rand::rng().random());
        if !kiosk_code_taken(conn, &code, None).await? {
            return Ok(code);
        }
    }
    Err(ApiError::Internal(
        "no free kiosk code after 100 tries".into(),
    ))
}
