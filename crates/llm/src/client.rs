//! One OpenAI-compatible chat-completions client for every provider: a per-request
//! timeout cut to the caller's deadline, retries with exponential backoff and jitter on
//! 429, 5xx and cut-off bodies (honouring `Retry-After`), a circuit breaker, and one log
//! line per call with provider, model, latency and outcome — never the key.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tracing::{debug, info};

use crate::breaker::Breaker;
use crate::config::{JsonMode, ProviderConfig};

/// What one chat call asks for.
#[derive(Clone, Debug)]
pub struct ChatRequest<'a> {
    pub system: &'a str,
    pub user: &'a str,
    /// The answer's JSON schema, for providers with a JSON-schema mode.
    pub schema_name: &'a str,
    pub schema: &'a Value,
    pub max_tokens: u32,
}

/// Why a call produced no text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError {
    #[error("skipped: the circuit breaker is open after repeated failures")]
    CircuitOpen,
    #[error("the deadline passed before an answer")]
    Deadline,
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("cannot reach the provider: {0}")]
    Transport(String),
    #[error("HTTP {status}: {message}")]
    Status { status: u16, message: String },
    #[error("the reply is not a chat completion: {0}")]
    BadBody(String),
}

impl CallError {
    /// A short word for logs and `brain check`.
    pub fn kind(&self) -> &'static str {
        match self {
            CallError::CircuitOpen => "circuit_open",
            CallError::Deadline => "deadline",
            CallError::Timeout(_) => "timeout",
            CallError::Transport(_) => "transport",
            CallError::Status { .. } => "status",
            CallError::BadBody(_) => "bad_body",
        }
    }
}

/// A provider's reply text and how it was obtained.
#[derive(Clone, Debug)]
pub struct ChatReply {
    pub content: String,
    pub attempts: u32,
    pub latency: Duration,
}

/// The first delay before a retry; it doubles with each attempt.
const BACKOFF_BASE: Duration = Duration::from_millis(200);
/// The longest single backoff.
const BACKOFF_MAX: Duration = Duration::from_secs(8);
/// How much of an error body goes into a message (bodies can be huge HTML pages).
const ERROR_BODY_CHARS: usize = 200;

/// One configured provider with its HTTP client and circuit breaker.
pub struct Provider {
    config: ProviderConfig,
    http: reqwest::blocking::Client,
    breaker: Mutex<Breaker>,
    /// Set once the provider refused `response_format`, so later calls do not ask again.
    format_refused: AtomicBool,
}

/// What one HTTP attempt came to.
enum Attempt {
    Done(String),
    /// Worth another try after this long (from `Retry-After`, or `None` for backoff).
    Retry(CallError, Option<Duration>),
    Fail(CallError),
}

impl Provider {
    pub fn new(config: ProviderConfig) -> Result<Self, CallError> {
        let http = reqwest::blocking::Client::builder()
            .connect_timeout(config.timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("panelist/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CallError::Transport(e.to_string()))?;
        let breaker = Breaker::new(config.breaker_threshold, config.breaker_cooldown);
        Ok(Self {
            config,
            http,
            breaker: Mutex::new(breaker),
            format_refused: AtomicBool::new(false),
        })
    }

    pub fn config(&self) -> &ProviderConfig {
        &self.config
    }

    /// Whether the breaker lets a call through now.
    pub fn available(&self) -> bool {
        self.lock_breaker().allows(Instant::now())
    }

    fn lock_breaker(&self) -> std::sync::MutexGuard<'_, Breaker> {
        // A panic while holding the lock leaves a breaker whose counters are still usable.
        self.breaker.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a usable answer: the run of failures is over.
    pub fn record_success(&self) {
        self.lock_breaker().success();
    }

    /// Records that the provider answered but its answer was unusable (not the JSON
    /// asked for), which counts towards opening the breaker like a failed call.
    pub fn record_invalid(&self) {
        self.lock_breaker().failure(Instant::now());
    }

    /// The request body: the chat messages, and the JSON mode the provider supports.
    pub fn body(&self, request: &ChatRequest<'_>) -> Value {
        let mut body = json!({
            "model": self.config.model,
            "messages": [
                {"role": "system", "content": request.system},
                {"role": "user", "content": request.user},
            ],
            "temperature": 0.2,
            "max_tokens": request.max_tokens,
        });
        let mode = if self.format_refused.load(Ordering::Relaxed) {
            JsonMode::None
        } else {
            self.config.json_mode
        };
        let format = match mode {
            JsonMode::Schema => Some(json!({
                "type": "json_schema",
                "json_schema": {"name": request.schema_name, "strict": true, "schema": request.schema},
            })),
            JsonMode::Object => Some(json!({"type": "json_object"})),
            JsonMode::None => None,
        };
        if let (Some(format), Some(map)) = (format, body.as_object_mut()) {
            map.insert("response_format".into(), format);
        }
        body
    }

    /// One chat completion, retried within `deadline`. Returns the assistant's text.
    pub fn chat(
        &self,
        request: &ChatRequest<'_>,
        deadline: Instant,
    ) -> Result<ChatReply, CallError> {
        let started = Instant::now();
        if !self.lock_breaker().allows(started) {
            self.log(started, 0, Err(&CallError::CircuitOpen));
            return Err(CallError::CircuitOpen);
        }
        let mut body = self.body(request);
        let mut attempts = 0;
        let result = loop {
            let now = Instant::now();
            let Some(remaining) = deadline
                .checked_duration_since(now)
                .filter(|d| !d.is_zero())
            else {
                break Err(CallError::Deadline);
            };
            attempts += 1;
            let timeout = self.config.timeout.min(remaining);
            match self.attempt(&body, timeout) {
                Attempt::Done(text) => break Ok(text),
                // Some models behind a provider refuse `response_format` (Groq and older
                // Ollama for JSON-schema mode): ask again once without it; the prompt
                // itself asks for JSON and the reply is validated either way.
                Attempt::Fail(e)
                    if rejects_response_format(&e) && body.get("response_format").is_some() =>
                {
                    debug!(provider = %self.config.name, error = %e, "retrying without response_format");
                    if let Some(map) = body.as_object_mut() {
                        map.remove("response_format");
                    }
                    self.format_refused.store(true, Ordering::Relaxed);
                }
                Attempt::Fail(e) => break Err(e),
                Attempt::Retry(e, retry_after) => {
                    if attempts > self.config.max_retries {
                        break Err(e);
                    }
                    let wait = retry_after.unwrap_or_else(|| backoff(attempts));
                    // Waiting past the deadline helps nobody: the chain moves on instead.
                    if Instant::now() + wait >= deadline {
                        break Err(e);
                    }
                    debug!(provider = %self.config.name, error = %e, wait_ms = wait.as_millis() as u64, "retrying");
                    std::thread::sleep(wait);
                }
            }
        };
        // A reply closes the breaker only once its content proved usable
        // (`record_success`); a failed call counts against it at once.
        if result.is_err() {
            self.lock_breaker().failure(Instant::now());
        }
        self.log(started, attempts, result.as_ref().map(|_| ()));
        result.map(|content| ChatReply {
            content,
            attempts,
            latency: started.elapsed(),
        })
    }

    fn log(&self, started: Instant, attempts: u32, outcome: Result<(), &CallError>) {
        let latency_ms = started.elapsed().as_millis() as u64;
        match outcome {
            Ok(()) => info!(
                provider = %self.config.name,
                model = %self.config.model,
                latency_ms,
                attempts,
                outcome = %"ok",
                "llm call"
            ),
            Err(e) => info!(
                provider = %self.config.name,
                model = %self.config.model,
                latency_ms,
                attempts,
                outcome = %e.kind(),
                error = %e,
                "llm call"
            ),
        }
    }

    fn attempt(&self, body: &Value, timeout: Duration) -> Attempt {
        let url = format!("{}/chat/completions", self.config.base_url);
        let mut request = self.http.post(&url).timeout(timeout).json(body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key.expose());
        }
        let response = match request.send() {
            Ok(r) => r,
            Err(e) if e.is_timeout() => return Attempt::Fail(CallError::Timeout(timeout)),
            Err(e) => return Attempt::Fail(CallError::Transport(error_chain(&e))),
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let text = match response.text() {
            Ok(t) => t,
            Err(e) if e.is_timeout() => return Attempt::Fail(CallError::Timeout(timeout)),
            // A body cut off midway is a transient fault of the connection or the server.
            Err(e) => return Attempt::Retry(CallError::BadBody(error_chain(&e)), None),
        };
        if !status.is_success() {
            let mut message = error_message(&text);
            // Some providers echo the key they were sent in their error; it must not
            // reach a log or a terminal from there.
            if let Some(key) = &self.config.api_key {
                if !key.expose().is_empty() {
                    message = message.replace(key.expose(), "***");
                }
            }
            let error = CallError::Status {
                status: status.as_u16(),
                message,
            };
            return if status.as_u16() == 429 || status.is_server_error() {
                Attempt::Retry(error, retry_after)
            } else {
                Attempt::Fail(error)
            };
        }
        match completion_text(&text) {
            Ok(content) => Attempt::Done(content),
            // A 200 whose body is not JSON was most likely cut off; another try may work.
            Err(e) => Attempt::Retry(e, None),
        }
    }
}

/// Whether an error is a provider refusing the requested JSON mode.
fn rejects_response_format(e: &CallError) -> bool {
    match e {
        CallError::Status {
            status: 400 | 422,
            message,
        } => {
            let m = message.to_ascii_lowercase();
            m.contains("response_format") || m.contains("json_schema") || m.contains("json mode")
        }
        _ => false,
    }
}

/// The assistant's text from a chat-completion body. `content` is a string for most
/// providers and a list of text parts for some.
pub fn completion_text(body: &str) -> Result<String, CallError> {
    let value: Value =
        serde_json::from_str(body).map_err(|e| CallError::BadBody(format!("not JSON ({e})")))?;
    let content = value
        .pointer("/choices/0/message/content")
        .ok_or_else(|| CallError::BadBody("no choices[0].message.content".into()))?;
    let text = match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(""),
        _ => {
            return Err(CallError::BadBody(
                "content is neither text nor parts".into(),
            ))
        }
    };
    if text.trim().is_empty() {
        return Err(CallError::BadBody("empty content".into()));
    }
    Ok(text)
}

/// The error message in an OpenAI-style error body, or the start of the body.
fn error_message(body: &str) -> String {
    let from_json = serde_json::from_str::<Value>(body).ok().and_then(|v| {
        v.pointer("/error/message")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    let message = from_json.unwrap_or_else(|| body.trim().to_string());
    message.chars().take(ERROR_BODY_CHARS).collect()
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// `Retry-After` as delay-seconds or an HTTP date.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// Exponential backoff with jitter: half the doubled delay plus a random part of the
/// other half, so many kiosks retrying at once do not hit the provider in step.
pub fn backoff(attempt: u32) -> Duration {
    let exp = BACKOFF_BASE.saturating_mul(1 << attempt.saturating_sub(1).min(16));
    let capped = exp.min(BACKOFF_MAX);
    let half = capped / 2;
    half + half.mul_f64(fastrand::f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("-3"), None);
    }

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        for attempt in 1..6 {
            let nominal = BACKOFF_BASE * (1 << (attempt - 1));
            let b = backoff(attempt);
            assert!(b >= nominal / 2 && b <= nominal, "{attempt}: {b:?}");
        }
        assert!(backoff(40) <= BACKOFF_MAX);
    }

    #[test]
    fn completion_text_reads_strings_and_parts() {
        let s = r#"{"choices":[{"message":{"role":"assistant","content":"{\"a\":1}"}}]}"#;
        assert_eq!(completion_text(s).expect("text"), r#"{"a":1}"#);
        let p = r#"{"choices":[{"message":{"content":[{"type":"text","text":"he"},{"type":"text","text":"llo"}]}}]}"#;
        assert_eq!(completion_text(p).expect("parts"), "hello");
        assert!(completion_text(r#"{"choices":[{"message":{"content":"#).is_err());
        assert!(completion_text(r#"{"choices":[]}"#).is_err());
    }
}
