//! The HTTP client for the sync API, with retries and exponential backoff.

use std::time::Duration;

use backon::{BlockingRetryable, ExponentialBuilder};
use reqwest::blocking::{Client, RequestBuilder, Response};
use serde::de::DeserializeOwned;

use crate::{Result, SyncError};
use panelist_wire::{
    AudioStored, EnrollRequest, EnrollResponse, ErrorBody, PushItem, PushRequest, PushResponse,
    RevisionPage,
};

/// How hard to try before calling the server unreachable.
#[derive(Clone, Debug)]
pub struct Retry {
    /// Total attempts per request (at least 1).
    pub attempts: u32,
    /// The wait after the first failure; it doubles after each failure.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
    /// Time allowed for one request, answer included.
    pub timeout: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Self {
            attempts: 5,
            first_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            timeout: Duration::from_secs(30),
        }
    }
}

impl Retry {
    /// The waits between attempts: `first_backoff`, doubling, at most `max_backoff`, no
    /// jitter; `attempts - 1` of them (at least one attempt is always made).
    pub fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(self.first_backoff)
            .with_max_delay(self.max_backoff)
            .with_factor(2.0)
            .with_max_times(self.attempts.max(1) as usize - 1)
    }
}

/// The largest answer read from the server (a page of revisions is well under it). The
/// body is read up to this many bytes and no further, whatever the server sends.
pub const MAX_ANSWER_BYTES: u64 = 32 * 1024 * 1024;

/// Whether `server` may be used: https anywhere; plain http only to this machine
/// (loopback) or with `insecure_http` (a lab). Returns whether the transport is plain
/// http to another machine, which callers log loudly.
pub fn check_server_url(server: &str, insecure_http: bool) -> Result<bool> {
    let url = reqwest::Url::parse(server.trim())
        .map_err(|e| SyncError::Protocol(format!("`{server}` is not a server address: {e}")))?;
    match url.scheme() {
        "https" => Ok(false),
        "http" => {
            let host = url.host_str().unwrap_or_default();
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let loopback = host.eq_ignore_ascii_case("localhost")
                || host
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if loopback {
                Ok(false)
            } else if insecure_http {
                Ok(true)
            } else {
                Err(SyncError::InsecureTransport {
                    server: server.trim().to_string(),
                })
            }
        }
        _ => Err(SyncError::Protocol(format!(
            "the server address `{server}` must start with https:// (or http:// for this machine)"
        ))),
    }
}

/// One server, optionally with a device token.
pub struct SyncClient {
    http: Client,
    base: String,
    token: Option<String>,
    retry: Retry,
}

/// A failure worth retrying (no answer, or a server-side error), or a final one.
enum Failure {
    Transient(String),
    Final(SyncError),
}

impl SyncClient {
    /// A client for `server`; plain http to another machine only with `insecure_http`
    /// (see `check_server_url`).
    pub fn new(
        server: &str,
        token: Option<String>,
        retry: Retry,
        insecure_http: bool,
    ) -> Result<Self> {
        let base = server.trim().trim_end_matches('/').to_string();
        if check_server_url(&base, insecure_http)? {
            tracing::warn!(
                server = %base,
                "INSECURE: syncing over plain http; the device token and candidates' data \
                 cross the network unencrypted (--insecure-http)"
            );
        }
        let http = Client::builder()
            .timeout(retry.timeout)
            .connect_timeout(retry.timeout.min(Duration::from_secs(10)))
            // The sync API never redirects: a redirect (to http, to another host) is not
            // followed with the device token.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SyncError::Protocol(format!("cannot build an HTTP client: {e}")))?;
        Ok(Self {
            http,
            base,
            token,
            retry,
        })
    }

    pub fn server(&self) -> &str {
        &self.base
    }

    pub fn enroll(&self, code: &str, name: &str) -> Result<EnrollResponse> {
        let body = EnrollRequest {
            code: code.trim().to_string(),
            name: name.to_string(),
        };
        self.send(|| self.http.post(self.url("/api/sync/enroll")).json(&body))
    }

    pub fn revisions(&self, after: i64) -> Result<RevisionPage> {
        self.send(|| {
            self.authed(
                self.http
                    .get(self.url("/api/sync/revisions"))
                    .query(&[("after", after)]),
            )
        })
    }

    pub fn push(&self, items: &[PushItem]) -> Result<PushResponse> {
        let body = PushRequest {
            items: items.to_vec(),
            // A refused change comes back as such and the others apply; a server from
            // before this flag refuses the whole batch (see `run::push`).
            per_item_refusals: true,
        };
        self.send(|| self.authed(self.http.post(self.url("/api/sync/push")).json(&body)))
    }

    /// Uploads one answer's recording (a WAV file) with its SHA-256; the server keeps it
    /// once, so a retry after a lost answer is harmless.
    pub fn upload_audio(&self, response_id: &str, wav: &[u8], sha256: &str) -> Result<AudioStored> {
        self.send(|| {
            self.authed(
                self.http
                    .put(self.url(&format!("/api/sync/audio/{response_id}")))
                    .header("content-type", "audio/wav")
                    .header("x-content-sha256", sha256)
                    .body(wav.to_vec()),
            )
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn authed(&self, request: RequestBuilder) -> RequestBuilder {
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// Sends a request, retrying transient failures with exponential backoff. The
    /// request is rebuilt for each attempt; the server's idempotency keys make a retry
    /// of a request that did reach it harmless.
    fn send<T: DeserializeOwned>(&self, build: impl Fn() -> RequestBuilder) -> Result<T> {
        let attempt = || {
            let response = build()
                .send()
                .map_err(|e| Failure::Transient(describe(&e)))?;
            read(response)
        };
        let outcome = attempt
            .retry(self.retry.backoff())
            .when(|failure| matches!(failure, Failure::Transient(_)))
            .notify(|failure, wait| {
                if let Failure::Transient(detail) = failure {
                    tracing::debug!(?wait, %detail, "retrying the sync request");
                }
            })
            .call();
        match outcome {
            Ok(value) => Ok(value),
            Err(Failure::Final(e)) => Err(e),
            Err(Failure::Transient(detail)) => Err(SyncError::Unreachable {
                server: self.base.clone(),
                detail,
                pending: 0,
            }),
        }
    }
}

/// Reads at most `MAX_ANSWER_BYTES` of the body: a declared larger length is refused
/// before reading, an undeclared one when the limit is passed.
fn read_limited(response: Response) -> std::result::Result<Vec<u8>, Failure> {
    use std::io::Read;
    let too_large = || {
        Failure::Final(SyncError::AnswerTooLarge {
            limit: MAX_ANSWER_BYTES,
        })
    };
    if response
        .content_length()
        .is_some_and(|n| n > MAX_ANSWER_BYTES)
    {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    response
        .take(MAX_ANSWER_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::Transient(format!("the answer was cut off: {e}")))?;
    if bytes.len() as u64 > MAX_ANSWER_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

fn read<T: DeserializeOwned>(response: Response) -> std::result::Result<T, Failure> {
    let status = response.status();
    let bytes = read_limited(response)?;
    if status.is_success() {
        return serde_json::from_slice(&bytes)
            .map_err(|e| Failure::Final(SyncError::Protocol(format!("unreadable answer: {e}"))));
    }
    let body: Option<ErrorBody> = serde_json::from_slice(&bytes).ok();
    let (code, message) = match body {
        Some(b) => (b.code.to_string(), b.message),
        None => (
            "http".to_string(),
            String::from_utf8_lossy(&bytes).chars().take(200).collect(),
        ),
    };
    if status.is_server_error() || status.as_u16() == 429 {
        Err(Failure::Transient(format!("{status}: {message}")))
    } else {
        Err(Failure::Final(SyncError::Rejected {
            status: status.as_u16(),
            code,
            message,
        }))
    }
}

/// The error and its causes on one line (reqwest's own message omits the cause).
fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use backon::BackoffBuilder;

    #[test]
    fn the_default_policy_waits_half_a_second_doubling_to_eight_between_five_attempts() {
        let waits: Vec<Duration> = Retry::default().backoff().build().collect();
        assert_eq!(
            waits,
            [500, 1000, 2000, 4000].map(Duration::from_millis),
            "four waits: five attempts"
        );
        let long = Retry {
            attempts: 8,
            ..Retry::default()
        };
        let waits: Vec<u64> = long
            .backoff()
            .build()
            .map(|d| d.as_millis() as u64)
            .collect();
        assert_eq!(waits, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        let once = Retry {
            attempts: 0,
            ..Retry::default()
        };
        assert_eq!(once.backoff().build().count(), 0, "one attempt, no wait");
    }

    #[test]
    fn plain_http_is_refused_except_to_this_machine_or_when_asked() {
        for ok in [
            "https://panelist.example.com",
            "http://127.0.0.1:8000",
            "http://127.3.4.5",
            "http://localhost:8000/",
            "http://[::1]:8000",
        ] {
            assert_eq!(check_server_url(ok, false).ok(), Some(false), "{ok}");
        }
        for refused in [
            "http://example.com",
            "http://10.0.0.5:8000",
            "http://[2001:db8::1]",
        ] {
            assert!(
                matches!(
                    check_server_url(refused, false),
                    Err(SyncError::InsecureTransport { .. })
                ),
                "{refused}"
            );
            assert_eq!(
                check_server_url(refused, true).ok(),
                Some(true),
                "{refused}"
            );
        }
        for bad in ["ftp://example.com", "example.com", ""] {
            assert!(
                matches!(check_server_url(bad, true), Err(SyncError::Protocol(_))),
                "{bad}"
            );
        }
    }
}
