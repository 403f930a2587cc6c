//! Admin-mode accounts. Hashing is the caller's job: this module stores PHC strings.

use panelist_core::{User, UserId};
use rusqlite::{params, OptionalExtension};

use crate::codec::parse;
use crate::{Result, Store};

impl Store {
    pub fn insert_user(&mut self, u: &User) -> Result<()> {
        self.conn.execute(
            "INSERT INTO users (id, email, password_hash, full_name, role, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                u.id.to_string(),
                u.email,
                u.password_hash,
                u.full_name,
                u.role.as_str(),
                u.created_at
            ],
        )?;
        Ok(())
    }

    pub fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let raw = self
            .conn
            .query_row(
                &format!("{SELECT_USER} WHERE email = ?1"),
                [email.trim()],
                read_raw,
            )
            .optional()?;
        raw.map(decode).transpose()
    }

    pub fn user_by_id(&self, id: UserId) -> Result<Option<User>> {
        let raw = self
            .conn
            .query_row(
                &format!("{SELECT_USER} WHERE id = ?1"),
                [id.to_string()],
                read_raw,
            )
            .optional()?;
        raw.map(decode).transpose()
    }

    pub fn users(&self) -> Result<Vec<User>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_USER} ORDER BY created_at, email"))?;
        let raws = stmt
            .query_map([], read_raw)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter().map(decode).collect()
    }

    pub fn user_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?)
    }
}

const SELECT_USER: &str = "SELECT id, email, password_hash, full_name, role, created_at FROM users";

type RawUser = (
    String,
    String,
    String,
    String,
    String,
    chrono::DateTime<chrono::Utc>,
);

fn read_raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawUser> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn decode((id, email, password_hash, full_name, role, created_at): RawUser) -> Result<User> {
    Ok(User {
        id: parse::<UserId>("user id", &id)?,
        email,
        password_hash,
        full_name,
        role: parse("role", &role)?,
        created_at,
    })
}
