//! Versioned migrations, run by `rusqlite_migration`. `PRAGMA user_version` records how
//! many have run; the pending ones run in one transaction, so an upgrade is whole or not
//! at all. Never edit a released migration: add a new one (its SQL here, then a line in
//! `migrations()`).

use rusqlite::{Connection, Transaction};
use rusqlite_migration::{HookError, Migrations, M};

use crate::{Result, StoreError};

/// 1: the initial schema.
const V1_INITIAL: &str = r#"
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'recruiter', 'hr')),
    created_at TEXT NOT NULL
);

CREATE TABLE interviews (
    id TEXT PRIMARY KEY,
    job_role TEXT NOT NULL,
    job_description TEXT NOT NULL,
    difficulty TEXT NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
    focus_areas TEXT NOT NULL,
    time_limit_minutes INTEGER NOT NULL CHECK (time_limit_minutes > 0),
    avatar TEXT NOT NULL,
    num_questions INTEGER NOT NULL CHECK (num_questions > 0),
    max_follow_ups_per_preset INTEGER NOT NULL CHECK (max_follow_ups_per_preset >= 0),
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    revision INTEGER NOT NULL DEFAULT 0,
    kiosk_code TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE questions (
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    tags TEXT NOT NULL,
    key_points TEXT NOT NULL,
    follow_ups TEXT NOT NULL,
    source TEXT,
    PRIMARY KEY (interview_id, position)
);

CREATE TABLE interview_revisions (
    interview_id TEXT NOT NULL REFERENCES interviews(id),
    revision INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    kiosk_code TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (interview_id, revision)
);

CREATE TABLE candidates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    resume_file TEXT,
    resume_text TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    candidate_id TEXT NOT NULL REFERENCES candidates(id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'in_progress', 'completed', 'abandoned')),
    started_at TEXT,
    ended_at TEXT,
    current_question TEXT,
    end_reason TEXT,
    created_at TEXT NOT NULL,
    FOREIGN KEY (interview_id, revision) REFERENCES interview_revisions(interview_id, revision)
);
CREATE INDEX sessions_by_status ON sessions(status);

CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL REFERENCES candidates(id),
    session_id TEXT NOT NULL REFERENCES sessions(id),
    notice_version TEXT NOT NULL,
    granted_at TEXT NOT NULL
);

CREATE TABLE responses (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    question_number INTEGER NOT NULL,
    question_type TEXT NOT NULL CHECK (question_type IN ('preset', 'follow_up', 'resume')),
    preset_index INTEGER,
    question_text TEXT NOT NULL,
    allotted_seconds INTEGER NOT NULL,
    transcript TEXT NOT NULL,
    audio_path TEXT,
    answer_started_at TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    answer_seconds REAL NOT NULL,
    timed_out INTEGER NOT NULL,
    UNIQUE (session_id, question_number)
);

CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    proposal TEXT NOT NULL,
    action TEXT NOT NULL,
    corrections TEXT NOT NULL,
    brain TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE TABLE reports (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    report TEXT NOT NULL,
    brain TEXT NOT NULL,
    generated_at TEXT NOT NULL,
    signed_off_by TEXT,
    signed_off_at TEXT
);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);
"#;

/// 2: the sync outbox (every change the server must receive, written in the same
/// transaction as the change) and the kiosk's sync settings (server, device token, cursor).
const V2_OUTBOX: &str = r#"
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('revision', 'session', 'session_update', 'response', 'report')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    pushed_at TEXT
);
CREATE INDEX outbox_pending ON outbox(seq) WHERE pushed_at IS NULL;

CREATE TABLE sync_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#;

/// 3: admin mode. The audit log becomes a hash chain (`seq` order, each entry hashing
/// its predecessor; existing entries are chained by `chain_legacy_audit`), reports get
/// a human review and score adjustments, files the app exported are remembered so an
/// erasure can remove them, failed logins are counted for the growing delay, and
/// admin settings (retention) get a table.
const V3_ADMIN: &str = r#"
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_log (seq, id, at, actor, action, subject, detail, prev_hash, hash)
    SELECT ROW_NUMBER() OVER (ORDER BY id), id, at, actor, action, subject, detail, '', ''
    FROM audit_events;
DROP TABLE audit_events;

ALTER TABLE reports ADD COLUMN review_note TEXT;

CREATE TABLE score_adjustments (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    score_key TEXT NOT NULL CHECK (score_key IN ('communication', 'technical', 'problem_solving', 'overall')),
    original INTEGER NOT NULL,
    value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 100),
    reason TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX score_adjustments_session ON score_adjustments(session_id);

CREATE TABLE exports (
    id TEXT NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (id, session_id)
);
CREATE INDEX exports_session ON exports(session_id);

CREATE TABLE login_failures (
    email TEXT PRIMARY KEY COLLATE NOCASE,
    failures INTEGER NOT NULL,
    last_failure_at TEXT NOT NULL
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#;

/// 4: answer recordings uploaded to the server (when the setting is on), so each is
/// sent once; a response's erasure takes its row with it. The outbox learns two kinds:
/// a report's review, and a candidate's erasure (so the server forgets them too).
const V4_AUDIO_UPLOADS: &str = r#"
CREATE TABLE outbox_v4 (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('revision', 'session', 'session_update', 'response', 'report', 'review', 'erasure')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    pushed_at TEXT
);
INSERT INTO outbox_v4 (seq, mutation_id, kind, subject, body, created_at, pushed_at)
    SELECT seq, mutation_id, kind, subject, body, created_at, pushed_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v4 RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox(seq) WHERE pushed_at IS NULL;

CREATE TABLE audio_uploads (
    response_id TEXT PRIMARY KEY REFERENCES responses(id) ON DELETE CASCADE,
    sha256 TEXT,
    uploaded_at TEXT NOT NULL
);
"#;

/// 5: poisoned sync items are set aside with their reason instead of stopping every
/// later sync: a change the server refuses for what it says (not resent until an
/// operator retries it), and a pulled revision this kiosk cannot store.
const V5_SET_ASIDE: &str = r#"
ALTER TABLE outbox ADD COLUMN set_aside_at TEXT;
ALTER TABLE outbox ADD COLUMN set_aside_reason TEXT;
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox(seq) WHERE pushed_at IS NULL AND set_aside_at IS NULL;

CREATE TABLE pull_set_aside (
    cursor INTEGER PRIMARY KEY,
    interview_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
"#;

/// 6: the language an interview is held in (ISO 639-1; `panelist_core::Language`).
/// Interviews written before it existed are English.
const V6_LANGUAGE: &str = r#"
ALTER TABLE interviews ADD COLUMN language TEXT NOT NULL DEFAULT 'en'
    CHECK (language IN ('en', 'de', 'fr', 'es'));
"#;

/// Every migration, in order: the schema version a database is at is how many of them
/// have run (`PRAGMA user_version`, which `rusqlite_migration` reads and writes). A
/// migration with work SQL cannot do has its hook beside it, run in the same transaction
/// right after its SQL.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1_INITIAL),
        M::up(V2_OUTBOX),
        M::up_with_hook(V3_ADMIN, |tx: &Transaction<'_>| {
            crate::audit::chain_legacy_audit(tx).map_err(hook_error)
        }),
        M::up(V4_AUDIO_UPLOADS),
        M::up(V5_SET_ASIDE),
        M::up(V6_LANGUAGE),
    ])
}

/// How many migrations `migrations()` holds (checked by a test).
const MIGRATION_COUNT: i64 = 6;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATION_COUNT;

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found: current,
            known: SCHEMA_VERSION,
        });
    }
    migrations().to_latest(conn).map_err(migration_error)
}

/// A hook's failure, kept as SQLite's error when it is one.
fn hook_error(e: StoreError) -> HookError {
    match e {
        StoreError::Sqlite(e) => HookError::RusqliteError(e),
        other => HookError::Hook(other.to_string()),
    }
}

fn migration_error(e: rusqlite_migration::Error) -> StoreError {
    match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::Sqlite(err),
        other => StoreError::Migration(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database written by an older build: schema 1 with a user and an interview, then
    /// upgraded by a build that knew `version` migrations.
    fn older_database(path: &std::path::Path, version: usize) {
        let mut conn = Connection::open(path).expect("open");
        migrations().to_version(&mut conn, 1).expect("schema 1");
        conn.execute_batch(
            "INSERT INTO users (id, email, password_hash, full_name, role, created_at) \
                     VALUES ('01900000-0000-7000-8000-00000000000a', 'root@example.com', \
                     '$argon2id$x', 'Root', 'admin', '2026-01-02 03:04:05.000+00:00'); \
                     INSERT INTO interviews (id, job_role, job_description, difficulty, \
                     focus_areas, time_limit_minutes, avatar, num_questions, \
                     max_follow_ups_per_preset, status, created_at, updated_at) \
                     VALUES ('01900000-0000-7000-8000-00000000000b', 'Engineer', 'Builds', \
                     'easy', '[\"Rust\"]', 10, 'ada', 3, 1, 'draft', \
                     '2026-01-02 03:04:05.000+00:00', '2026-01-02 03:04:05.000+00:00');",
        )
        .expect("schema 1 rows");
        migrations()
            .to_version(&mut conn, version)
            .expect("older schema");
    }

    #[test]
    fn the_migrations_are_valid_and_counted() {
        migrations()
            .validate()
            .expect("every migration runs on an empty database");
        let mut conn = Connection::open_in_memory().expect("memory");
        migrations().to_latest(&mut conn).expect("latest");
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(
            version, SCHEMA_VERSION,
            "MIGRATION_COUNT matches migrations()"
        );
    }

    #[test]
    fn every_earlier_schema_migrates_to_the_latest_and_keeps_its_rows() {
        const {
            assert!(
                SCHEMA_VERSION >= 4,
                "schemas 1, 2 and 3 are all earlier ones"
            )
        };
        for version in 1..SCHEMA_VERSION as usize {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("old.sqlite3");
            older_database(&path, version);
            let store = crate::Store::open(&path)
                .unwrap_or_else(|e| panic!("schema {version} does not migrate: {e}"));
            assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
            drop(store);
            let conn = Connection::open(&path).expect("reopen");
            let integrity: String = conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .expect("integrity");
            assert_eq!(integrity, "ok", "schema {version}");
            let broken_keys: i64 = conn
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })
                .expect("foreign keys");
            assert_eq!(broken_keys, 0, "schema {version}");
            for (table, want) in [("users", "root@example.com"), ("interviews", "Engineer")] {
                let column = if table == "users" {
                    "email"
                } else {
                    "job_role"
                };
                let found: String = conn
                    .query_row(&format!("SELECT {column} FROM {table}"), [], |r| r.get(0))
                    .unwrap_or_else(|e| panic!("schema {version}: {table}: {e}"));
                assert_eq!(found, want, "schema {version}");
            }
        }
    }

    #[test]
    fn a_version_2_audit_log_is_carried_into_the_chain() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("old.sqlite3");
        {
            let mut conn = Connection::open(&path).expect("open");
            migrations().to_version(&mut conn, 2).expect("schema 2");
            for (id, action) in [
                ("01900000-0000-7000-8000-000000000002", "interview.publish"),
                ("01900000-0000-7000-8000-000000000001", "interview.create"),
            ] {
                conn.execute(
                    "INSERT INTO audit_events (id, at, actor, action, subject, detail) \
                     VALUES (?1, '2026-01-02 03:04:05.000+00:00', 'cli', ?2, 'x', '{}')",
                    [id, action],
                )
                .expect("old entry");
            }
        }
        let store = crate::Store::open(&path).expect("migrate");
        assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
        match store.verify_audit().expect("verify") {
            crate::AuditVerification::Intact { entries, .. } => assert_eq!(entries, 2),
            broken => panic!("{broken:?}"),
        }
        let log = store.audit_log().expect("log");
        // Oldest first (UUID v7 order), and the old timestamps still read.
        assert_eq!(log[0].action, "interview.create");
        assert_eq!(log[1].action, "interview.publish");
        assert_eq!(log[0].at.to_rfc3339(), "2026-01-02T03:04:05+00:00");
    }
}
