//! The Panelist server: axum over PostgreSQL (sqlx, runtime-checked queries, embedded
//! migrations).
//!
//! Admins log in with a password (argon2id) and get a short-lived JWT (HS256 pinned,
//! `iss` and `aud` checked); roles admin, recruiter and hr are enforced per endpoint.
//! Kiosks enroll with a one-time, expiring code and get a revocable device token. They
//! pull published and archived interview revisions by cursor and push their outbox;
//! each `(device, mutation id)` is applied exactly once and in the device's order.

mod admin;
mod api;
mod auth;
mod body;
mod config;
mod connections;
mod error;
mod feed;
mod intake;
mod state;
#[cfg(feature = "test-support")]
pub mod testing;
mod throttle;

use std::future::Future;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use tokio::net::TcpListener;

pub use admin::{create_enrollment_code, create_user};
pub use auth::{hash_password, Claims, JWT_AUDIENCE, JWT_ISSUER};
pub use config::{check_secret_key, ConfigError, Limits, RawConfig, ServerConfig};
pub use error::ApiError;
pub use state::AppState;

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot connect to the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Invalid(String),
}

/// Connects to PostgreSQL and brings the schema up to date.
pub async fn connect(database_url: &str) -> Result<PgPool, ServerError> {
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .connect(database_url)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// Binds the configured address and serves until `shutdown` resolves; requests in
/// flight are finished first.
pub async fn run(
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let pool = connect(&config.database_url).await?;
    let listener =
        TcpListener::bind(config.listen)
            .await
            .map_err(|source| ServerError::Listen {
                addr: config.listen.to_string(),
                source,
            })?;
    serve(listener, pool, &config, shutdown).await
}

/// Serves on an already bound listener (tests bind port 0 to get a free port).
pub async fn serve(
    listener: TcpListener,
    pool: PgPool,
    config: &ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let state = AppState::new(pool, config)?;
    let app = api::router(state, config);
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "panelist server listening");
    }
    // Headers must arrive within `header_timeout`; each request carries the peer address
    // for the per-address login throttle.
    connections::serve(listener, app, config.limits.header_timeout, shutdown).await;
    tracing::info!("panelist server stopped");
    Ok(())
}
