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
                "SELECT id, email, password_hash, full_name, role, created_at FROM users WHERE email = ?1",
                [email.trim()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .optional()?;
        raw.map(|(id, email, password_hash, full_name, role, created_at)| {
            Ok(User {
                id: parse::<UserId>("user id", &id)?,
                email,
                password_hash,
                full_name,
                role: parse("role", &role)?,
                created_at,
            })
        })
        .transpose()
    }
}
