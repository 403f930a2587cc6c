//! Sessions, consents, committed answers and the brain's recorded decisions.

use chrono::{DateTime, Utc};
use panelist_core::engine::Decision;
use panelist_core::{
    AskedQuestion, ConsentRecord, DecisionId, Response, Session, SessionId, SessionStatus,
};
use rusqlite::{params, Row};

use crate::codec::{found, from_json, parse, to_json};
use crate::outbox::{enqueue, enqueue_session_update};
use crate::{Result, Store, StoreError};
use panelist_wire::{Mutation, NewSession};

const SESSION_COLUMNS: &str = "id, interview_id, revision, candidate_id, status, started_at, \
    ended_at, current_question, end_reason, created_at";

type RawSession = ([String; 4], Option<String>, Session);

fn read_session(r: &Row<'_>) -> rusqlite::Result<RawSession> {
    let texts = [r.get(0)?, r.get(1)?, r.get(3)?, r.get(4)?];
    let current: Option<String> = r.get(7)?;
    let session = Session {
        id: SessionId::default(),
        interview_id: Default::default(),
        revision: r.get(2)?,
        candidate_id: Default::default(),
        status: SessionStatus::Pending,
        started_at: r.get(5)?,
        ended_at: r.get(6)?,
        current_question: None,
        end_reason: r.get(8)?,
        created_at: r.get(9)?,
    };
    Ok((texts, current, session))
}

fn finish_session((texts, current, mut s): RawSession) -> Result<Session> {
    s.id = parse("session id", &texts[0])?;
    s.interview_id = parse("interview id", &texts[1])?;
    s.candidate_id = parse("candidate id", &texts[2])?;
    s.status = parse("session status", &texts[3])?;
    s.current_question = current
        .map(|c| from_json::<AskedQuestion>("current question", &c))
        .transpose()?;
    Ok(s)
}

/// Reads a session inside a transaction (for the outbox's snapshot of it).
pub(crate) fn read_session_in(tx: &rusqlite::Transaction<'_>, id: SessionId) -> Result<Session> {
    let raw = found(
        tx.query_row(
            &format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1"),
            [id.to_string()],
            read_session,
        ),
        "session",
        id,
    )?;
    finish_session(raw)
}

impl Store {
    /// Creates a session together with the candidate's consent, in one transaction:
    /// there is never a session without the consent that allows it.
    pub fn insert_session(&mut self, s: &Session, consent: &ConsentRecord) -> Result<()> {
        if consent.session_id != s.id || consent.candidate_id != s.candidate_id {
            return Err(StoreError::Conflict(
                "the consent record belongs to another session".into(),
            ));
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            &format!("INSERT INTO sessions ({SESSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
            params![
                s.id.to_string(),
                s.interview_id.to_string(),
                s.revision,
                s.candidate_id.to_string(),
                s.status.as_str(),
                s.started_at,
                s.ended_at,
                s.current_question.as_ref().map(to_json).transpose()?,
                s.end_reason,
                s.created_at,
            ],
        )?;
        tx.execute(
            "INSERT INTO consents (id, candidate_id, session_id, notice_version, granted_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                consent.id.to_string(),
                consent.candidate_id.to_string(),
                consent.session_id.to_string(),
                consent.notice_version,
                consent.granted_at
            ],
        )?;
        let candidate = read_candidate_in(&tx, s.candidate_id)?;
        enqueue(
            &tx,
            &Mutation::Session(Box::new(NewSession {
                session: s.clone(),
                candidate,
                consent: consent.clone(),
            })),
            s.id,
            s.created_at,
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn get_session(&self, id: SessionId) -> Result<Session> {
        let raw = found(
            self.conn.query_row(
                &format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1"),
                [id.to_string()],
                read_session,
            ),
            "session",
            id,
        )?;
        finish_session(raw)
    }

    /// Sessions, newest first, optionally only those with one status.
    pub fn list_sessions(&self, status: Option<SessionStatus>) -> Result<Vec<Session>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE ?1 IS NULL OR status = ?1 \
             ORDER BY created_at DESC, id DESC"
        ))?;
        let raws = stmt
            .query_map([status.map(|s| s.as_str())], read_session)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter().map(finish_session).collect()
    }

    pub fn consent_for(&self, session: SessionId) -> Result<ConsentRecord> {
        let (id, candidate, sid, notice_version, granted_at) = found(
            self.conn.query_row(
                "SELECT id, candidate_id, session_id, notice_version, granted_at FROM consents \
                 WHERE session_id = ?1",
                [session.to_string()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, DateTime<Utc>>(4)?,
                    ))
                },
            ),
            "consent for session",
            session,
        )?;
        Ok(ConsentRecord {
            id: parse("consent id", &id)?,
            candidate_id: parse("candidate id", &candidate)?,
            session_id: parse("session id", &sid)?,
            notice_version,
            granted_at,
        })
    }

    /// Marks the session started (status in_progress).
    pub fn start_session(&mut self, id: SessionId, at: DateTime<Utc>) -> Result<()> {
        self.update_session_synced(
            id,
            at,
            "UPDATE sessions SET status = 'in_progress', started_at = COALESCE(started_at, ?2) WHERE id = ?1",
            params![id.to_string(), at],
        )
    }

    /// Records the question now being asked, so an interrupted session shows where it stopped.
    pub fn set_current_question(&mut self, id: SessionId, q: Option<&AskedQuestion>) -> Result<()> {
        let json = q.map(to_json).transpose()?;
        self.update_session(
            id,
            "UPDATE sessions SET current_question = ?2 WHERE id = ?1",
            params![id.to_string(), json],
        )
    }

    /// Ends a session with a final status and a reason.
    pub fn end_session(
        &mut self,
        id: SessionId,
        status: SessionStatus,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.update_session_synced(
            id,
            at,
            "UPDATE sessions SET status = ?2, end_reason = ?3, ended_at = ?4, current_question = NULL \
             WHERE id = ?1",
            params![id.to_string(), status.as_str(), reason, at],
        )
    }

    fn update_session(
        &mut self,
        id: SessionId,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<()> {
        if self.conn.execute(sql, params)? == 0 {
            return Err(StoreError::NotFound {
                kind: "session",
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// Like `update_session`, and queues the session's new state for the server in the
    /// same transaction.
    fn update_session_synced(
        &mut self,
        id: SessionId,
        at: DateTime<Utc>,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        if tx.execute(sql, params)? == 0 {
            return Err(StoreError::NotFound {
                kind: "session",
                id: id.to_string(),
            });
        }
        enqueue_session_update(&tx, id, at)?;
        tx.commit()?;
        Ok(())
    }

    /// Commits one answer and clears the session's current question, in one durable
    /// transaction. When this returns, the answer survives a crash.
    pub fn commit_response(&mut self, r: &Response) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO responses (id, session_id, question_number, question_type, preset_index, \
             question_text, allotted_seconds, transcript, audio_path, answer_started_at, answered_at, \
             answer_seconds, timed_out) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                r.id.to_string(),
                r.session_id.to_string(),
                r.question.number,
                r.question.question_type.as_str(),
                r.question.preset_index,
                r.question.text,
                r.question.allotted_seconds,
                r.transcript,
                r.audio_path,
                r.answer_started_at,
                r.answered_at,
                r.answer_seconds,
                r.timed_out,
            ],
        )?;
        tx.execute(
            "UPDATE sessions SET current_question = NULL WHERE id = ?1",
            [r.session_id.to_string()],
        )?;
        enqueue(
            &tx,
            &Mutation::Response(Box::new(r.clone())),
            r.session_id,
            r.answered_at,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every answer recording a committed answer refers to.
    pub fn audio_paths(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT audio_path FROM responses WHERE audio_path IS NOT NULL")?;
        let paths = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(paths)
    }

    /// The committed answers of a session, in the order they were given.
    pub fn responses(&self, session: SessionId) -> Result<Vec<Response>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, question_number, question_type, preset_index, question_text, allotted_seconds, \
             transcript, audio_path, answer_started_at, answered_at, answer_seconds, timed_out \
             FROM responses WHERE session_id = ?1 ORDER BY question_number",
        )?;
        let raws = stmt
            .query_map([session.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(2)?,
                    Response {
                        id: Default::default(),
                        session_id: session,
                        question: AskedQuestion {
                            number: r.get(1)?,
                            question_type: panelist_core::QuestionType::Preset,
                            preset_index: r.get(3)?,
                            text: r.get(4)?,
                            allotted_seconds: r.get(5)?,
                        },
                        transcript: r.get(6)?,
                        audio_path: r.get(7)?,
                        answer_started_at: r.get(8)?,
                        answered_at: r.get(9)?,
                        answer_seconds: r.get(10)?,
                        timed_out: r.get(11)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter()
            .map(|(id, kind, mut response)| {
                response.id = parse("response id", &id)?;
                response.question.question_type = parse("question type", &kind)?;
                Ok(response)
            })
            .collect()
    }

    /// Records what the brain proposed, what the engine applied and why it differed.
    pub fn record_decision(
        &mut self,
        session: SessionId,
        decision: &Decision,
        brain: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO decisions (id, session_id, proposal, action, corrections, brain, at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                DecisionId::new().to_string(),
                session.to_string(),
                to_json(&decision.proposal)?,
                to_json(&decision.action)?,
                to_json(&decision.corrections)?,
                brain,
                at
            ],
        )?;
        Ok(())
    }

    /// The recorded decisions of a session, oldest first.
    pub fn decisions(&self, session: SessionId) -> Result<Vec<Decision>> {
        let mut stmt = self.conn.prepare(
            "SELECT proposal, action, corrections FROM decisions WHERE session_id = ?1 ORDER BY at, id",
        )?;
        let raws = stmt
            .query_map([session.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter()
            .map(|(p, a, c)| {
                Ok(Decision {
                    proposal: from_json("proposal", &p)?,
                    action: from_json("action", &a)?,
                    corrections: from_json("corrections", &c)?,
                })
            })
            .collect()
    }
}

fn read_candidate_in(
    tx: &rusqlite::Transaction<'_>,
    id: panelist_core::CandidateId,
) -> Result<panelist_core::Candidate> {
    let (name, email, phone, resume_file, resume_text, created_at) = found(
        tx.query_row(
            "SELECT name, email, phone, resume_file, resume_text, created_at FROM candidates \
             WHERE id = ?1",
            [id.to_string()],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, DateTime<Utc>>(5)?,
                ))
            },
        ),
        "candidate",
        id,
    )?;
    Ok(panelist_core::Candidate {
        id,
        name,
        email,
        phone,
        resume_file,
        resume_text,
        created_at,
    })
}
