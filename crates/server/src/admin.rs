//! Operator actions shared by the API and the `panelist server` commands: accounts and
//! enrollment codes.

use chrono::Utc;
use panelist_core::Role;
use panelist_wire::EnrollmentCode;
use rand::Rng;
use sqlx::PgPool;
use uuid::Uuid;

use crate::auth::{hash_password, sha256_hex};
use crate::error::ApiError;

/// Letters and digits that cannot be confused when read aloud or typed (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// Codes are typed on a kiosk: case and dashes do not matter.
pub fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Creates an account. Passwords need 12+ characters; emails are unique, ignoring case.
pub async fn create_user(
    pool: &PgPool,
    email: &str,
    password: &str,
    role: Role,
) -> Result<Uuid, ApiError> {
    let email = email.trim();
    if !email.contains('@') || email.len() > 254 {
        return Err(ApiError::BadRequest(format!(
            "`{email}` is not an email address"
        )));
    }
    if password.chars().count() < 12 {
        return Err(ApiError::BadRequest(
            "the password needs at least 12 characters".into(),
        ));
    }
    let hash = hash_password(password)?;
    let id = Uuid::now_v7();
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, password_hash, role) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (lower(email)) DO NOTHING",
    )
    .bind(id)
    .bind(email)
    .bind(hash)
    .bind(role.as_str())
    .execute(pool)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(ApiError::Conflict(format!("an account for {email} exists")));
    }
    Ok(id)
}

/// A new one-time enrollment code, valid for `ttl`. Only its hash is stored.
pub async fn create_enrollment_code(
    pool: &PgPool,
    ttl: std::time::Duration,
) -> Result<EnrollmentCode, ApiError> {
    let raw: String = {
        let mut rng = rand::rng();
        (0..12)
            .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
            .collect()
    };
    let code = format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12]);
    let id = Uuid::now_v7();
    let expires_at = Utc::now()
        + chrono::Duration::from_std(ttl)
            .map_err(|_| ApiError::BadRequest("the code lifetime is too long".into()))?;
    sqlx::query("INSERT INTO enrollment_codes (id, code_hash, expires_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(sha256_hex(&normalize_code(&code)))
        .bind(expires_at)
        .execute(pool)
        .await?;
    Ok(EnrollmentCode {
        id: id.to_string(),
        code,
        expires_at,
    })
}
