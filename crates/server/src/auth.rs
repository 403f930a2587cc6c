//! Passwords (argon2id), login tokens (HS256 JWT with `iss`, `aud` and `exp` required),
//! device tokens (random, stored hashed, revocable) and the extractors that check them.

use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use panelist_core::Role;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

pub const JWT_ISSUER: &str = "panelist-server";
pub const JWT_AUDIENCE: &str = "panelist-admin";
/// Device tokens carry a prefix so they are never mistaken for a JWT (and vice versa).
const DEVICE_TOKEN_PREFIX: &str = "pdt_";

/// The claims of a login token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

/// Signs and checks login tokens with one key and one pinned algorithm.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: chrono::Duration,
}

impl TokenKeys {
    pub fn new(secret: &str, ttl: std::time::Duration) -> Self {
        // Only HS256 is accepted: a token that names another algorithm (`none`, RS256
        // with the secret as a "public key") is refused before its signature is looked at.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[JWT_ISSUER]);
        validation.set_audience(&[JWT_AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
            ttl: chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::minutes(15)),
        }
    }

    pub fn issue(&self, user: Uuid, role: Role) -> Result<String, ApiError> {
        let now = Utc::now();
        let claims = Claims {
            sub: user.to_string(),
            role: role.as_str().to_string(),
            iss: JWT_ISSUER.into(),
            aud: JWT_AUDIENCE.into(),
            iat: now.timestamp(),
            exp: (now + self.ttl).timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(format!("cannot sign a token: {e}")))
    }

    pub fn check(&self, token: &str) -> Result<Claims, ApiError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| ApiError::Unauthorized(format!("invalid token: {e}")))
    }
}

/// An argon2id PHC string for a password.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt =
        SaltString::encode_b64(&salt).map_err(|e| ApiError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("cannot hash a password: {e}")))
}

/// The largest argon2 memory cost a stored hash may ask for at verification (64 MiB):
/// more is refused, so a slot's buffer never grows beyond it.
const MAX_VERIFY_BLOCKS: usize = 64 * 1024;

/// Checks a password against an argon2 PHC string in `memory`, a buffer the caller keeps
/// and reuses (one per hashing slot), so checking costs no new 19 MiB allocation each
/// time: the server's memory for passwords is the slots' buffers, whatever the load.
pub fn verify_password_in(hash: &str, password: &str, memory: &mut Vec<argon2::Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (parsed.hash, parsed.salt) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        argon2::Algorithm::try_from(parsed.algorithm),
        argon2::Params::try_from(&parsed),
    ) else {
        return false;
    };
    let version = match parsed.version.map(argon2::Version::try_from) {
        None => argon2::Version::V0x13,
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let blocks = params.block_count();
    if blocks > MAX_VERIFY_BLOCKS {
        return false;
    }
    if memory.len() < blocks {
        memory.resize(blocks, argon2::Block::default());
    }
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..blocks])
        .is_ok()
        // `Output` compares in constant time.
        && argon2::password_hash::Output::new(&out).is_ok_and(|o| o == expected)
}

/// A random secret of 32 bytes, base64url.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn new_device_token() -> String {
    format!("{DEVICE_TOKEN_PREFIX}{}", random_token())
}

/// Secrets (device tokens, enrollment codes) are stored only as this hash.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let header = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("a bearer token is required".into()))?;
    header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::Unauthorized("the Authorization header must be `Bearer TOKEN`".into())
        })
}

/// A logged-in person, from a valid login token.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: Uuid,
    pub role: Role,
}

impl AuthUser {
    /// Refuses unless the user has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)?;
        if token.starts_with(DEVICE_TOKEN_PREFIX) {
            return Err(ApiError::Unauthorized(
                "a device token cannot be used for the admin API".into(),
            ));
        }
        let claims = state.keys.check(token)?;
        let id = claims
            .sub
            .parse()
            .map_err(|_| ApiError::Unauthorized("invalid token subject".into()))?;
        let role = claims
            .role
            .parse()
            .map_err(|_| ApiError::Unauthorized("invalid token role".into()))?;
        Ok(AuthUser { id, role })
    }
}

/// An enrolled kiosk, from a device token that was not revoked.
#[derive(Debug, Clone, Copy)]
pub struct Device {
    pub id: Uuid,
}

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts)?;
        if !token.starts_with(DEVICE_TOKEN_PREFIX) {
            return Err(ApiError::Unauthorized(
                "the sync API needs a device token (enroll the kiosk)".into(),
            ));
        }
        let row: Option<(Uuid, Option<chrono::DateTime<Utc>>)> =
            sqlx::query_as("SELECT id, revoked_at FROM devices WHERE token_hash = $1")
                .bind(sha256_hex(token))
                .fetch_optional(&state.pool)
                .await?;
        match row {
            Some((id, None)) => Ok(Device { id }),
            Some((_, Some(_))) => Err(ApiError::Unauthorized(
                "this device was revoked; enroll it again".into(),
            )),
            None => Err(ApiError::Unauthorized("unknown device token".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_checks_in_a_reused_buffer_like_argon2_itself() {
        let hash = hash_password("correct horse battery staple").expect("hash");
        let mut memory = Vec::new();
        assert!(verify_password_in(
            &hash,
            "correct horse battery staple",
            &mut memory
        ));
        assert_eq!(memory.len(), 19 * 1024, "19 MiB of 1 KiB blocks");
        assert!(!verify_password_in(
            &hash,
            "correct horse battery stapl",
            &mut memory
        ));
        assert!(verify_password_in(
            &hash,
            "correct horse battery staple",
            &mut memory
        ));
        assert_eq!(memory.len(), 19 * 1024, "reused, not grown");
        for broken in ["", "not a hash"] {
            assert!(!verify_password_in(broken, "x", &mut memory), "{broken}");
        }
        // A stored hash asking for 1 GiB is refused, not allocated.
        assert!(hash.contains("m=19456,"), "{hash}");
        let greedy = hash.replace("m=19456,", "m=1048576,");
        assert!(PasswordHash::new(&greedy).is_ok());
        assert!(!verify_password_in(
            &greedy,
            "correct horse battery staple",
            &mut memory
        ));
        assert_eq!(memory.len(), 19 * 1024);
    }
}
