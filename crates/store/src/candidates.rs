//! Candidates and their consent records.

use panelist_core::{Candidate, CandidateId};
use rusqlite::params;

use crate::codec::{found, parse};
use crate::{Result, Store};

impl Store {
    pub fn insert_candidate(&mut self, c: &Candidate) -> Result<()> {
        self.conn.execute(
            "INSERT INTO candidates (id, name, email, phone, resume_file, resume_text, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                c.id.to_string(),
                c.name,
                c.email,
                c.phone,
                c.resume_file,
                c.resume_text,
                c.created_at
            ],
        )?;
        Ok(())
    }

    pub fn get_candidate(&self, id: CandidateId) -> Result<Candidate> {
        let (raw_id, mut candidate) = found(
            self.conn.query_row(
                "SELECT id, name, email, phone, resume_file, resume_text, created_at \
                 FROM candidates WHERE id = ?1",
                [id.to_string()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        Candidate {
                            id,
                            name: r.get(1)?,
                            email: r.get(2)?,
                            phone: r.get(3)?,
                            resume_file: r.get(4)?,
                            resume_text: r.get(5)?,
                            created_at: r.get(6)?,
                        },
                    ))
                },
            ),
            "candidate",
            id,
        )?;
        candidate.id = parse("candidate id", &raw_id)?;
        Ok(candidate)
    }
}
