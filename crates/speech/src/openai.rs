//! A network voice: any server that speaks OpenAI's `POST /v1/audio/speech`.
//!
//! The request is `{model, input, voice, response_format: "wav", speed}` with a Bearer
//! token; the answer is a WAV body. Such servers give no phoneme timing, so the visemes
//! come from the audio's amplitude envelope ([`crate::timeline_from_envelope`]).

use std::io::Read;
use std::time::Duration;

use crate::visemes::timeline_from_envelope;
use crate::{prepare_text, Speaker, Speech, SpeechError, VoiceSettings};

/// espeak-ng's normal rate; `speed` 1.0 on the server is taken to mean this many words
/// per minute.
const NORMAL_WPM: f64 = 175.0;
/// The largest audio body accepted (about 15 minutes of 24 kHz 16-bit mono).
const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;
/// How much of an error body is quoted in an error.
const QUOTE_CHARS: usize = 300;

/// Where and how to reach the server.
#[derive(Debug, Clone)]
pub struct OpenAiConfig {
    /// The API root including the version, e.g. `http://127.0.0.1:8000/v1`;
    /// `/audio/speech` is appended.
    pub base_url: String,
    /// Sent as `Authorization: Bearer …` when present.
    pub api_key: Option<String>,
    /// The model name, e.g. `"tts-1"`.
    pub model: String,
    /// The server's voice name (e.g. `"alloy"`). When `None`, [`VoiceSettings::voice`] is
    /// sent as it is.
    pub voice: Option<String>,
    /// Limit for the whole request, connection to last byte.
    pub timeout: Duration,
}

impl OpenAiConfig {
    /// A config with no key, no voice override and a 30 s timeout.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: None,
            model: model.into(),
            voice: None,
            timeout: Duration::from_secs(30),
        }
    }
}

/// Speaks through an OpenAI-compatible `/v1/audio/speech` endpoint.
///
/// It uses a blocking HTTP client: call it from a plain thread (in an async runtime, from
/// `spawn_blocking`), and do not create or drop it inside an async task.
#[derive(Debug, Clone)]
pub struct OpenAiSpeaker {
    config: OpenAiConfig,
    endpoint: String,
    client: reqwest::blocking::Client,
}

impl OpenAiSpeaker {
    pub fn new(config: OpenAiConfig) -> Result<Self, SpeechError> {
        let endpoint = format!("{}/audio/speech", config.base_url.trim_end_matches('/'));
        reqwest::Url::parse(&endpoint).map_err(|e| {
            SpeechError::InvalidSettings(format!("bad server address {:?}: {e}", config.base_url))
        })?;
        let client = reqwest::blocking::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .build()
            .map_err(|e| SpeechError::Network(format!("could not build the HTTP client: {e}")))?;
        Ok(Self {
            config,
            endpoint,
            client,
        })
    }

    /// The URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    fn transport_error(&self, err: &reqwest::Error) -> SpeechError {
        if err.is_timeout() || has_timeout_source(err) {
            SpeechError::Timeout {
                url: self.endpoint.clone(),
                after: self.config.timeout,
            }
        } else {
            SpeechError::Network(format!("{}: {}", self.endpoint, error_chain(err)))
        }
    }
}

fn has_timeout_source(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = err.source();
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) {
                return true;
            }
        }
        source = e.source();
    }
    false
}

fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

/// The server's own error message when the body is OpenAI-style JSON
/// (`{"error": {"message": …}}` or `{"error": "…"}`), else the start of the body.
fn server_message(body: &[u8]) -> String {
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
        let message = json
            .pointer("/error/message")
            .or_else(|| json.get("error"))
            .or_else(|| json.get("detail"))
            .or_else(|| json.get("message"));
        if let Some(m) = message {
            return match m.as_str() {
                Some(s) => s.to_string(),
                None => m.to_string(),
            };
        }
    }
    quote(body)
}

fn quote(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut quoted: String = text.chars().take(QUOTE_CHARS).collect();
    if text.chars().count() > QUOTE_CHARS {
        quoted.push('…');
    }
    quoted.trim().to_string()
}

impl Speaker for OpenAiSpeaker {
    /// Empty text is [`SpeechError::EmptyText`], without a request.
    fn speak(&self, text: &str, settings: &VoiceSettings) -> Result<Speech, SpeechError> {
        let text = prepare_text(text)?;
        let voice = self
            .config
            .voice
            .clone()
            .unwrap_or_else(|| settings.voice.clone());
        let speed = (f64::from(settings.rate_wpm) / NORMAL_WPM).clamp(0.25, 4.0);
        let body = serde_json::json!({
            "model": self.config.model,
            "input": text,
            "voice": voice,
            "response_format": "wav",
            "speed": speed,
        });
        let mut request = self
            .client
            .post(&self.endpoint)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::ACCEPT, "audio/wav")
            .body(body.to_string());
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key);
        }
        let response = request.send().map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let mut bytes = Vec::new();
        response
            .take(MAX_BODY_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                if has_timeout_source(&e) || e.kind() == std::io::ErrorKind::TimedOut {
                    SpeechError::Timeout {
                        url: self.endpoint.clone(),
                        after: self.config.timeout,
                    }
                } else {
                    SpeechError::Network(format!(
                        "{}: reading the response failed: {}",
                        self.endpoint,
                        error_chain(&e)
                    ))
                }
            })?;
        if !status.is_success() {
            return Err(SpeechError::Http {
                url: self.endpoint.clone(),
                status: status.as_u16(),
                message: server_message(&bytes),
            });
        }
        if bytes.len() as u64 > MAX_BODY_BYTES {
            return Err(SpeechError::BadAudio(format!(
                "the response is larger than {MAX_BODY_BYTES} bytes"
            )));
        }
        if !bytes.starts_with(b"RIFF") {
            let kind = if content_type.is_empty() {
                "no content type".to_string()
            } else {
                content_type
            };
            return Err(SpeechError::BadAudio(format!(
                "{} answered {} with {kind}, not a WAV file: {:?}",
                self.endpoint,
                status.as_u16(),
                quote(&bytes)
            )));
        }
        let (samples, sample_rate) = crate::wav::decode_wav(&bytes)?;
        if samples.is_empty() {
            return Err(SpeechError::BadAudio(format!(
                "{} returned a WAV file with no samples",
                self.endpoint
            )));
        }
        let visemes = timeline_from_envelope(&samples, sample_rate);
        Ok(Speech {
            sample_rate,
            samples,
            visemes,
            phonemes: Vec::new(),
        })
    }
}
