//! Interview configurations, their draft questions and their published revisions.

use chrono::{DateTime, Utc};
use panelist_core::{
    Interview, InterviewId, InterviewRevision, InterviewSpec, InterviewStatus, Question,
};
use rusqlite::{params, OptionalExtension, Row};

use crate::codec::{found, from_json, parse, to_json};
use crate::outbox::enqueue;
use crate::{Result, Store, StoreError};
use panelist_wire::Mutation;

const COLUMNS: &str = "id, job_role, job_description, difficulty, focus_areas, time_limit_minutes, \
    avatar, num_questions, max_follow_ups_per_preset, status, revision, kiosk_code, created_at, updated_at, \
    language";

fn read_row(row: &Row<'_>) -> rusqlite::Result<(Vec<String>, Interview)> {
    // Text columns are parsed after the row is read so that a bad value becomes a
    // `Corrupt` error instead of a panic.
    let texts = vec![
        row.get::<_, String>(0)?,
        row.get::<_, String>(3)?,
        row.get::<_, String>(4)?,
        row.get::<_, String>(9)?,
        row.get::<_, String>(14)?,
    ];
    let interview = Interview {
        id: InterviewId::default(),
        spec: InterviewSpec {
            job_role: row.get(1)?,
            job_description: row.get(2)?,
            difficulty: panelist_core::Difficulty::Easy,
            focus_areas: Vec::new(),
            time_limit_minutes: row.get(5)?,
            avatar: row.get(6)?,
            num_questions: row.get(7)?,
            max_follow_ups_per_preset: row.get(8)?,
            language: panelist_core::Language::English,
        },
        questions: Vec::new(),
        status: InterviewStatus::Draft,
        revision: row.get(10)?,
        kiosk_code: row.get(11)?,
        created_at: row.get(12)?,
        updated_at: row.get(13)?,
    };
    Ok((texts, interview))
}

fn finish_row((texts, mut interview): (Vec<String>, Interview)) -> Result<Interview> {
    interview.id = parse("interview id", &texts[0])?;
    interview.spec.difficulty = parse("difficulty", &texts[1])?;
    interview.spec.focus_areas = from_json("focus areas", &texts[2])?;
    interview.status = parse("interview status", &texts[3])?;
    interview.spec.language = parse("language", &texts[4])?;
    Ok(interview)
}

impl Store {
    /// Saves a new interview with its questions.
    pub fn insert_interview(&mut self, interview: &Interview) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            &format!("INSERT INTO interviews ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"),
            params![
                interview.id.to_string(),
                interview.spec.job_role,
                interview.spec.job_description,
                interview.spec.difficulty.as_str(),
                to_json(&interview.spec.focus_areas)?,
                interview.spec.time_limit_minutes,
                interview.spec.avatar,
                interview.spec.num_questions,
                interview.spec.max_follow_ups_per_preset,
                interview.status.as_str(),
                interview.revision,
                interview.kiosk_code,
                interview.created_at,
                interview.updated_at,
                interview.spec.language.code(),
            ],
        )?;
        write_questions(&tx, interview.id, &interview.questions)?;
        tx.commit()?;
        Ok(())
    }

    pub fn get_interview(&self, id: InterviewId) -> Result<Interview> {
        let raw = found(
            self.conn.query_row(
                &format!("SELECT {COLUMNS} FROM interviews WHERE id = ?1"),
                [id.to_string()],
                read_row,
            ),
            "interview",
            id,
        )?;
        let mut interview = finish_row(raw)?;
        interview.questions = self.questions(id)?;
        Ok(interview)
    }

    /// All interviews, newest first, with their questions.
    pub fn list_interviews(&self) -> Result<Vec<Interview>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM interviews ORDER BY created_at DESC, id DESC"
        ))?;
        let raws = stmt
            .query_map([], read_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter()
            .map(|raw| {
                let mut interview = finish_row(raw)?;
                interview.questions = self.questions(interview.id)?;
                Ok(interview)
            })
            .collect()
    }

    fn questions(&self, id: InterviewId) -> Result<Vec<Question>> {
        let mut stmt = self.conn.prepare(
            "SELECT text, tags, key_points, follow_ups, source FROM questions \
             WHERE interview_id = ?1 ORDER BY position",
        )?;
        let rows = stmt
            .query_map([id.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(text, tags, key_points, follow_ups, source)| {
                Ok(Question {
                    text,
                    tags: from_json("question tags", &tags)?,
                    key_points: from_json("key points", &key_points)?,
                    follow_ups: from_json("follow-ups", &follow_ups)?,
                    source,
                })
            })
            .collect()
    }

    /// Replaces a draft's editable fields and questions. Published revisions never change.
    pub fn update_interview(&mut self, interview: &Interview) -> Result<()> {
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE interviews SET job_role = ?2, job_description = ?3, difficulty = ?4, \
             focus_areas = ?5, time_limit_minutes = ?6, avatar = ?7, num_questions = ?8, \
             max_follow_ups_per_preset = ?9, status = ?10, updated_at = ?11, language = ?12 \
             WHERE id = ?1",
            params![
                interview.id.to_string(),
                interview.spec.job_role,
                interview.spec.job_description,
                interview.spec.difficulty.as_str(),
                to_json(&interview.spec.focus_areas)?,
                interview.spec.time_limit_minutes,
                interview.spec.avatar,
                interview.spec.num_questions,
                interview.spec.max_follow_ups_per_preset,
                interview.status.as_str(),
                interview.updated_at,
                interview.spec.language.code(),
            ],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                kind: "interview",
                id: interview.id.to_string(),
            });
        }
        tx.execute(
            "DELETE FROM questions WHERE interview_id = ?1",
            [interview.id.to_string()],
        )?;
        write_questions(&tx, interview.id, &interview.questions)?;
        tx.commit()?;
        Ok(())
    }

    pub fn set_interview_status(
        &mut self,
        id: InterviewId,
        status: InterviewStatus,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let changed = self.conn.execute(
            "UPDATE interviews SET status = ?2, updated_at = ?3 WHERE id = ?1",
            params![id.to_string(), status.as_str(), at],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                kind: "interview",
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// Freezes the interview as it is now into a new immutable revision.
    pub fn publish_interview(
        &mut self,
        id: InterviewId,
        kiosk_code: &str,
        at: DateTime<Utc>,
    ) -> Result<InterviewRevision> {
        let interview = self.get_interview(id)?;
        if interview.questions.is_empty() {
            return Err(StoreError::Conflict(format!(
                "interview {id} has no questions to publish"
            )));
        }
        let code = interview
            .kiosk_code
            .clone()
            .unwrap_or_else(|| kiosk_code.to_string());
        let revision = InterviewRevision {
            interview_id: id,
            revision: interview.revision + 1,
            spec: interview.spec.clone(),
            questions: interview.questions.clone(),
            kiosk_code: code.clone(),
            published_at: at,
        };
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO interview_revisions (interview_id, revision, snapshot, kiosk_code, published_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id.to_string(),
                revision.revision,
                to_json(&revision)?,
                code,
                at
            ],
        )?;
        tx.execute(
            "UPDATE interviews SET status = 'published', revision = ?2, kiosk_code = ?3, updated_at = ?4 \
             WHERE id = ?1",
            params![id.to_string(), revision.revision, code, at],
        )?;
        enqueue(&tx, &Mutation::Revision(Box::new(revision.clone())), id, at)?;
        tx.commit()?;
        Ok(revision)
    }

    pub fn get_revision(&self, id: InterviewId, revision: u32) -> Result<InterviewRevision> {
        let text: String = found(
            self.conn.query_row(
                "SELECT snapshot FROM interview_revisions WHERE interview_id = ?1 AND revision = ?2",
                params![id.to_string(), revision],
                |r| r.get(0),
            ),
            "interview revision",
            format!("{id} r{revision}"),
        )?;
        from_json("interview revision", &text)
    }

    /// The published interview a kiosk code points at, if any.
    pub fn interview_by_code(&self, code: &str) -> Result<Option<InterviewId>> {
        let id: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM interviews WHERE kiosk_code = ?1 COLLATE NOCASE",
                [code.trim()],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| parse("interview id", &id)).transpose()
    }

    /// Whether a kiosk code is already taken.
    pub fn kiosk_code_taken(&self, code: &str) -> Result<bool> {
        Ok(self.interview_by_code(code)?.is_some())
    }
}

pub(crate) fn write_questions(
    tx: &rusqlite::Transaction<'_>,
    id: InterviewId,
    questions: &[Question],
) -> Result<()> {
    let mut stmt = tx.prepare(
        "INSERT INTO questions (interview_id, position, text, tags, key_points, follow_ups, source) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (position, q) in questions.iter().enumerate() {
        stmt.execute(params![
            id.to_string(),
            position as i64,
            q.text,
            to_json(&q.tags)?,
            to_json(&q.key_points)?,
            to_json(&q.follow_ups)?,
            q.source,
        ])?;
    }
    Ok(())
}
