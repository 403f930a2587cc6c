//! One OpenAI-compatible chat-completions client for every provider: a per-request
//! timeout cut to the caller's deadline, retries with exponential backoff and jitter on
//! 429, 5xx and cut-off bodies (honouring `Retry-After`), a circuit breaker, and one log
//! line per call with provider, model, latency and outcome — never the key.

use std::sync::atomic::{AtomicU8, Ordering};
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
    /// The JSON mode the provider accepted last: it starts at the configured mode and
    /// steps down (schema → object → none) each time the provider refuses one, so later
    /// calls do not ask again ([`JsonMode`] as `u8`: see `mode_to_u8`).
    json_mode: AtomicU8,
}

fn mode_to_u8(mode: JsonMode) -> u8 {
    match mode {
        JsonMode::Schema => 2,
        JsonMode::Object => 1,
        JsonMode::None => 0,
    }
}

fn mode_from_u8(v: u8) -> JsonMode {
    match v {
        2 => JsonMode::Schema,
        1 => JsonMode::Object,
        _ => JsonMode::None,
    }
}

/// The next JSON mode to try after a provider refused `mode`: JSON-object mode after a
/// refused schema (llama.cpp-based servers and older Ollama take the one but not the
/// other), then none (the prompt itself asks for JSON, and the reply is validated
/// either way).
fn step_down(mode: JsonMode) -> JsonMode {
    match mode {
        JsonMode::Schema => JsonMode::Object,
        JsonMode::Object | JsonMode::None => JsonMode::None,
    }
}

/// What one HTTP attempt came to.
enum Attempt {
    Done(String),
    /// Worth another try after this long (from `Retry-After`, or `None` for backoff).
    Retry(CallError, Option<Duration>),
    Fail(CallError),
    /// An error status (4xx or 5xx) whose body names the requested JSON mode: the
    /// provider refuses `response_format`, which another mode may avoid.
    FormatRefused(CallError),
}

impl Provider {
    pub fn new(config: ProviderConfig) -> Result<Self, CallError> {
        let http = reqwest::blocking::Client::builder()
            .connect_timeout(config.timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("panelist/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CallError::Transport(e.to_string()))?;
        let breaker = Breaker::new(config.breaker_threshold, config.breaker_cooldown);
        let json_mode = AtomicU8::new(mode_to_u8(config.json_mode));
        Ok(Self {
            config,
            http,
            breaker: Mutex::new(breaker),
            json_mode,
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

    /// The JSON mode calls use now: the configured one, or a lower one the provider
    /// accepted after refusing it.
    pub fn json_mode(&self) -> JsonMode {
        mode_from_u8(self.json_mode.load(Ordering::Relaxed))
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
        let format = match self.json_mode() {
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
        // Asking again in another JSON mode is not a retry of a failure: it does not
        // count against `max_retries` (a `brain check` with no retries still gets it).
        let mut mode_changes = 0;
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
                // Some servers refuse a `response_format` they do not support, with any
                // error status: Groq and older Ollama answer 400 to JSON-schema mode,
                // others 422, and llama-cpp-python's server 500 with a validation error
                // ("Input should be 'text' or 'json_object'"). Ask again in the next
                // mode down; the prompt itself asks for JSON and the reply is validated
                // either way.
                Attempt::FormatRefused(e) => {
                    let refused = self.json_mode();
                    let next = step_down(refused);
                    mode_changes += 1;
                    if mode_changes > 2 {
                        break Err(e);
                    }
                    debug!(provider = %self.config.name, error = %e, ?refused, ?next, "asking again in another JSON mode");
                    self.json_mode.store(mode_to_u8(next), Ordering::Relaxed);
                    body = self.body(request);
                    attempts -= 1;
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
            let refuses_format = body.get("response_format").is_some()
                && refuses_response_format(status.as_u16(), &text);
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
            return if refuses_format {
                Attempt::FormatRefused(error)
            } else if status.as_u16() == 429 || status.is_server_error() {
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

/// Whether an error response is a provider refusing the requested JSON mode: any 4xx
/// or 5xx status (providers disagree on which) whose body names `response_format`, a
/// JSON mode, or the modes it would accept instead. The whole body is read, not the
/// shortened message, since validation errors can name the field late.
pub fn refuses_response_format(status: u16, body: &str) -> bool {
    if !(400..600).contains(&status) || status == 429 {
        return false;
    }
    let b = body.to_ascii_lowercase();
    ["response_format", "json_schema", "json mode", "json_object"]
        .iter()
        .any(|needle| b.contains(needle))
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
    fn refusals_of_a_json_mode_are_recognised_whatever_the_status() {
        let llama_cpp_python = r#"{"error":{"message":"1 validation error for CreateChatCompletionRequest\nresponse_format.type\n  Input should be 'text' or 'json_object' [type=literal_error, input_value='json_schema', input_type=str]","type":"internal_server_error","param":null,"code":null}}"#;
        assert!(refuses_response_format(500, llama_cpp_python));
        assert!(refuses_response_format(
            400,
            r#"{"error":{"message":"response_format json_schema is not supported"}}"#
        ));
        assert!(refuses_response_format(422, "json_schema: unknown variant"));
        assert!(!refuses_response_format(500, "upstream overloaded"));
        assert!(!refuses_response_format(429, "response_format rate limit"));
        assert!(!refuses_response_format(200, "response_format"));
    }

    #[test]
    fn a_refused_mode_steps_down_to_object_then_none() {
        assert_eq!(step_down(JsonMode::Schema), JsonMode::Object);
        assert_eq!(step_down(JsonMode::Object), JsonMode::None);
        assert_eq!(step_down(JsonMode::None), JsonMode::None);
        for m in [JsonMode::Schema, JsonMode::Object, JsonMode::None] {
            assert_eq!(mode_from_u8(mode_to_u8(m)), m);
        }
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
