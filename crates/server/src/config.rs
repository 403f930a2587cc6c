//! Server configuration: flags, or the original system's environment variables
//! (`DATABASE_URL`, `SECRET_KEY`, `HOST`, `PORT`, `ALLOWED_ORIGINS`).

use std::collections::HashSet;
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("no database: pass --database-url or set DATABASE_URL")]
    NoDatabase,
    #[error("SECRET_KEY is not set: the server signs its login tokens with it (use 32+ random characters, e.g. `openssl rand -base64 48`)")]
    NoSecret,
    #[error(
        "SECRET_KEY is too weak: {0} (use 32+ random characters, e.g. `openssl rand -base64 48`)"
    )]
    WeakSecret(String),
    #[error("cannot use `{0}` as the listen address")]
    BadListen(String),
    #[error("`{0}` in ALLOWED_ORIGINS is not an origin like https://hr.example.com")]
    BadOrigin(String),
}

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    pub database_url: String,
    pub listen: SocketAddr,
    /// The HMAC key for login tokens (checked by `check_secret_key`).
    pub secret_key: String,
    /// Origins allowed by CORS; empty allows none.
    pub allowed_origins: Vec<String>,
    /// The largest request body accepted.
    pub body_limit: usize,
    /// How long a login token lives.
    pub token_ttl: Duration,
    /// How long an enrollment code stays usable.
    pub enrollment_ttl: Duration,
    /// Throttles, timeouts and the password-hashing bound.
    pub limits: Limits,
}

/// What one client, one account and the whole server may cost.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Login attempts per email in `login_window` (a success clears the count).
    pub email_attempts: u32,
    /// Failed login attempts per client address in `login_window`.
    pub ip_attempts: u32,
    pub login_window: Duration,
    /// Passwords hashed at once (argon2id takes 19 MiB each); more wait…
    pub hash_slots: usize,
    /// …this long for a slot, then get 503.
    pub hash_wait: Duration,
    /// Bodies of login, account and enrollment requests.
    pub small_body: usize,
    /// The time one request may take (reading its body included)…
    pub request_timeout: Duration,
    /// …and one answer recording's upload.
    pub audio_timeout: Duration,
    /// The time a client has to send a request's headers (slow-loris on headers); the
    /// connection is closed after it.
    pub header_timeout: Duration,
    /// Take the client's address from the last `X-Forwarded-For` entry (set
    /// `TRUST_PROXY=1` only behind a reverse proxy that sets it).
    pub trust_proxy: bool,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            email_attempts: 10,
            ip_attempts: 100,
            login_window: Duration::from_secs(15 * 60),
            hash_slots: cores.clamp(2, 8),
            hash_wait: Duration::from_secs(2),
            small_body: 16 * 1024,
            request_timeout: Duration::from_secs(30),
            audio_timeout: Duration::from_secs(300),
            header_timeout: Duration::from_secs(10),
            trust_proxy: false,
        }
    }
}

/// The raw values, from flags or the environment.
#[derive(Clone, Debug, Default)]
pub struct RawConfig {
    pub database_url: Option<String>,
    pub listen: Option<String>,
    pub host: Option<String>,
    pub port: Option<String>,
    pub secret_key: Option<String>,
    pub allowed_origins: Option<String>,
    /// `TRUST_PROXY`: `1`/`true` to read client addresses from `X-Forwarded-For`.
    pub trust_proxy: Option<String>,
}

pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

impl ServerConfig {
    /// Builds and checks a configuration. `listen` wins over `host`/`port`; the default
    /// is 127.0.0.1:8000, so a server is not exposed unless asked to be.
    pub fn from_raw(raw: RawConfig) -> Result<Self, ConfigError> {
        let database_url = raw
            .database_url
            .filter(|u| !u.trim().is_empty())
            .ok_or(ConfigError::NoDatabase)?;
        let secret_key = raw.secret_key.ok_or(ConfigError::NoSecret)?;
        check_secret_key(&secret_key)?;
        let listen_text = match raw.listen {
            Some(l) => l,
            None => format!(
                "{}:{}",
                raw.host.as_deref().unwrap_or("127.0.0.1"),
                raw.port.as_deref().unwrap_or("8000")
            ),
        };
        let listen = listen_text
            .to_socket_addrs()
            .ok()
            .and_then(|mut a| a.next())
            .ok_or_else(|| ConfigError::BadListen(listen_text.clone()))?;
        let allowed_origins = parse_origins(raw.allowed_origins.as_deref().unwrap_or(""))?;
        Ok(Self {
            database_url,
            listen,
            secret_key,
            allowed_origins,
            body_limit: DEFAULT_BODY_LIMIT,
            token_ttl: Duration::from_secs(15 * 60),
            enrollment_ttl: Duration::from_secs(24 * 3600),
            limits: Limits {
                trust_proxy: matches!(
                    raw.trust_proxy.as_deref().map(str::trim),
                    Some("1" | "true" | "yes")
                ),
                ..Limits::default()
            },
        })
    }
}

fn parse_origins(text: &str) -> Result<Vec<String>, ConfigError> {
    text.split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|o| {
            let ok = (o.starts_with("https://") || o.starts_with("http://"))
                && !o.contains('*')
                && !o.trim_end_matches('/').contains(['?', '#', ' ']);
            if ok {
                Ok(o.trim_end_matches('/').to_string())
            } else {
                Err(ConfigError::BadOrigin(o.to_string()))
            }
        })
        .collect()
}

/// Refuses keys that are short, repetitive or well-known placeholders: a guessable key
/// lets anyone mint admin tokens.
pub fn check_secret_key(key: &str) -> Result<(), ConfigError> {
    if key.len() < 32 {
        return Err(ConfigError::WeakSecret(format!(
            "it has {} characters, at least 32 are needed",
            key.len()
        )));
    }
    let distinct: HashSet<char> = key.chars().collect();
    if distinct.len() < 10 {
        return Err(ConfigError::WeakSecret(format!(
            "it uses only {} distinct characters",
            distinct.len()
        )));
    }
    let lower = key.to_ascii_lowercase();
    for placeholder in [
        "changeme",
        "change-me",
        "change_me",
        "secret",
        "password",
        "example",
    ] {
        if lower.contains(placeholder) {
            return Err(ConfigError::WeakSecret(format!(
                "it contains the placeholder `{placeholder}`"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "q8Zr2vN5xL1mT7pW4kC9bJ6hF3dS0gYa";

    fn raw() -> RawConfig {
        RawConfig {
            database_url: Some("postgres://localhost/panelist".into()),
            secret_key: Some(GOOD.into()),
            ..RawConfig::default()
        }
    }

    #[test]
    fn a_missing_or_weak_secret_is_refused() {
        let missing = RawConfig {
            secret_key: None,
            ..raw()
        };
        assert_eq!(
            ServerConfig::from_raw(missing).err(),
            Some(ConfigError::NoSecret)
        );
        for weak in [
            "short",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "abababababababababababababababab",
            "my-super-secret-key-0123456789-xyz",
            "changeme-changeme-0123456789abcdefgh",
        ] {
            assert!(
                matches!(check_secret_key(weak), Err(ConfigError::WeakSecret(_))),
                "{weak} was accepted"
            );
        }
        assert_eq!(check_secret_key(GOOD), Ok(()));
    }

    #[test]
    fn listen_comes_from_flags_or_host_and_port_and_defaults_to_loopback() {
        let config = ServerConfig::from_raw(raw()).expect("config");
        assert_eq!(config.listen.to_string(), "127.0.0.1:8000");
        let config = ServerConfig::from_raw(RawConfig {
            host: Some("0.0.0.0".into()),
            port: Some("9100".into()),
            ..raw()
        })
        .expect("config");
        assert_eq!(config.listen.to_string(), "0.0.0.0:9100");
        let config = ServerConfig::from_raw(RawConfig {
            listen: Some("127.0.0.1:7000".into()),
            port: Some("9100".into()),
            ..raw()
        })
        .expect("config");
        assert_eq!(config.listen.to_string(), "127.0.0.1:7000");
        assert!(matches!(
            ServerConfig::from_raw(RawConfig {
                listen: Some("nowhere".into()),
                ..raw()
            }),
            Err(ConfigError::BadListen(_))
        ));
    }

    #[test]
    fn origins_are_none_by_default_and_wildcards_are_refused() {
        assert!(ServerConfig::from_raw(raw())
            .expect("config")
            .allowed_origins
            .is_empty());
        let config = ServerConfig::from_raw(RawConfig {
            allowed_origins: Some("https://hr.example.com/, http://localhost:5173".into()),
            ..raw()
        })
        .expect("config");
        assert_eq!(
            config.allowed_origins,
            ["https://hr.example.com", "http://localhost:5173"]
        );
        assert!(matches!(
            ServerConfig::from_raw(RawConfig {
                allowed_origins: Some("*".into()),
                ..raw()
            }),
            Err(ConfigError::BadOrigin(_))
        ));
        assert!(matches!(
            ServerConfig::from_raw(RawConfig {
                database_url: None,
                ..raw()
            }),
            Err(ConfigError::NoDatabase)
        ));
    }
}
