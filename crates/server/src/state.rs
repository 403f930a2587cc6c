//! What every handler shares.

use std::sync::Arc;
use std::time::Duration;

use panelist_core::Brain;
use sqlx::PgPool;

use crate::auth::TokenKeys;
use crate::config::{check_secret_key, Limits, ServerConfig};
use crate::throttle::{HashSlots, Throttle};
use crate::ServerError;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub keys: Arc<TokenKeys>,
    /// Proposes questions for interviews created without them (the offline rules brain).
    pub brain: Arc<dyn Brain>,
    pub enrollment_ttl: Duration,
    /// The argon2id hash of a random password nobody knows: a login for a missing
    /// account is checked against it, so it costs as much time as a wrong password.
    pub dummy_hash: Arc<str>,
    pub limits: Limits,
    /// Login attempts per lower-cased email.
    pub email_throttle: Arc<Throttle<String>>,
    /// Failed login attempts per client address.
    pub ip_throttle: Arc<Throttle<std::net::IpAddr>>,
    /// Bounds concurrent password hashing (memory).
    pub hash_slots: HashSlots,
}

impl AppState {
    pub fn new(pool: PgPool, config: &ServerConfig) -> Result<Self, ServerError> {
        check_secret_key(&config.secret_key)?;
        let brain = panelist_brain::OfflineBrain::embedded()
            .map_err(|e| ServerError::Invalid(format!("the question bank is unreadable: {e}")))?;
        Ok(Self {
            pool,
            keys: Arc::new(TokenKeys::new(&config.secret_key, config.token_ttl)),
            brain: Arc::new(brain),
            enrollment_ttl: config.enrollment_ttl,
            dummy_hash: crate::auth::hash_password(&crate::auth::random_token())
                .map_err(|e| ServerError::Invalid(e.to_string()))?
                .into(),
            limits: config.limits.clone(),
            email_throttle: Arc::new(Throttle::new(
                config.limits.email_attempts,
                config.limits.login_window,
            )),
            ip_throttle: Arc::new(Throttle::new(
                config.limits.ip_attempts,
                config.limits.login_window,
            )),
            hash_slots: HashSlots::new(config.limits.hash_slots, config.limits.hash_wait),
        })
    }
}
