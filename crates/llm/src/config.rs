//! Which providers exist, in which order they are tried, and how long each may take.
//!
//! Sources, later ones winning: built-in defaults for the known providers, the
//! `[llm]` table of `config.toml` in the data directory, then environment variables
//! named as in the original system (`OPENROUTER_API_KEY`, `GOOGLE_API_KEY`,
//! `GROQ_API_KEY`, `OPENAI_API_KEY` + `OPENAI_BASE_URL`, `OLLAMA_BASE_URL`). Keys found
//! in neither the environment nor the secret store leave their provider out of the chain.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::secrets::SecretStore;

/// The name of the configuration file in the data directory.
pub const CONFIG_FILE: &str = "config.toml";

/// An API key. Its `Debug` and `Display` never show the value, so a key cannot leak
/// into logs or error messages by formatting.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The key itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// How a provider is asked for JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JsonMode {
    /// `response_format: {type: json_schema, …}` with the answer's schema.
    Schema,
    /// `response_format: {type: json_object}`.
    Object,
    /// No `response_format`; the prompt alone asks for JSON.
    None,
}

/// One OpenAI-compatible endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderConfig {
    /// A short name: `openrouter`, `gemini`, `groq`, `openai`, `ollama`, or a custom one.
    pub name: String,
    /// The API root that `/chat/completions` is appended to.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<ApiKey>,
    /// The longest one HTTP request may take (the turn deadline may cut it shorter).
    pub timeout: Duration,
    pub json_mode: JsonMode,
    /// Retries after a 429, a 5xx or a cut-off body, within the deadline.
    pub max_retries: u32,
    /// Consecutive failures that open the circuit breaker.
    pub breaker_threshold: u32,
    /// How long an open breaker skips the provider before one trial call.
    pub breaker_cooldown: Duration,
}

impl ProviderConfig {
    /// A provider with the usual defaults, for configuration and tests.
    pub fn new(name: &str, base_url: &str, model: &str) -> Self {
        Self {
            name: name.to_string(),
            base_url: base_url.trim_end_matches('/').to_string(),
            model: model.to_string(),
            api_key: None,
            timeout: Duration::from_secs(20),
            json_mode: JsonMode::Object,
            max_retries: 2,
            breaker_threshold: 3,
            breaker_cooldown: Duration::from_secs(60),
        }
    }

    /// The name reports carry: `openai-compatible:<provider>/<model>`.
    pub fn label(&self) -> String {
        format!("openai-compatible:{}/{}", self.name, self.model)
    }
}

/// The whole LLM configuration: providers in chain order and the deadlines.
#[derive(Clone, Debug, PartialEq)]
pub struct LlmConfig {
    /// Tried in this order; the offline brain always follows the last one.
    pub chain: Vec<ProviderConfig>,
    /// How long the whole chain may take for one interview decision before the
    /// offline brain answers, so a candidate never waits on dead providers.
    pub turn_deadline: Duration,
    /// How long the whole chain may take for the end-of-interview evaluation.
    pub evaluation_deadline: Duration,
    /// How long the whole chain may take to propose an interview's questions.
    pub generation_deadline: Duration,
}

impl Default for LlmConfig {
    fn default() -> Self {
        Self {
            chain: Vec::new(),
            turn_deadline: Duration::from_millis(2000),
            evaluation_deadline: Duration::from_secs(30),
            generation_deadline: Duration::from_secs(30),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not valid: {message}")]
    Invalid { path: String, message: String },
}

/// The `[llm]` table of `config.toml`, every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    llm: FileLlm,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLlm {
    chain: Option<Vec<String>>,
    turn_deadline_ms: Option<u64>,
    evaluation_deadline_ms: Option<u64>,
    generation_deadline_ms: Option<u64>,
    #[serde(default)]
    providers: BTreeMap<String, FileProvider>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileProvider {
    base_url: Option<String>,
    model: Option<String>,
    /// The environment variable holding the key (never the key itself: keys do not
    /// belong in a plain configuration file).
    api_key_env: Option<String>,
    timeout_ms: Option<u64>,
    json_mode: Option<JsonMode>,
    max_retries: Option<u32>,
    breaker_threshold: Option<u32>,
    breaker_cooldown_ms: Option<u64>,
}

/// A built-in provider: where it lives, its default model and its key's variable.
struct KnownProvider {
    name: &'static str,
    base_url: &'static str,
    model: &'static str,
    key_env: Option<&'static str>,
    json_mode: JsonMode,
    /// Whether it is a local server (no key; present when its base URL is set).
    local: bool,
}

/// The default chain order: the original system's OpenRouter → Gemini → Groq, then
/// OpenAI, then a local server. JSON-schema mode is the default only where every model
/// behind the endpoint accepts it (OpenAI, Ollama ≥ 0.5); OpenRouter routes to models that
/// may not, and Gemini's compatible endpoint accepts a narrower schema dialect, so those
/// use JSON-object mode (the reply is validated against the schema either way).
const KNOWN: &[KnownProvider] = &[
    KnownProvider {
        name: "openrouter",
        base_url: "https://openrouter.ai/api/v1",
        model: "meta-llama/llama-3.1-8b-instruct",
        key_env: Some("OPENROUTER_API_KEY"),
        json_mode: JsonMode::Object,
        local: false,
    },
    KnownProvider {
        name: "gemini",
        base_url: "https://generativelanguage.googleapis.com/v1beta/openai",
        model: "gemini-2.0-flash",
        key_env: Some("GOOGLE_API_KEY"),
        json_mode: JsonMode::Object,
        local: false,
    },
    KnownProvider {
        name: "groq",
        base_url: "https://api.groq.com/openai/v1",
        model: "llama-3.1-8b-instant",
        key_env: Some("GROQ_API_KEY"),
        json_mode: JsonMode::Object,
        local: false,
    },
    KnownProvider {
        name: "openai",
        base_url: "https://api.openai.com/v1",
        model: "gpt-4o-mini",
        key_env: Some("OPENAI_API_KEY"),
        json_mode: JsonMode::Schema,
        local: false,
    },
    KnownProvider {
        name: "ollama",
        base_url: "",
        model: "llama3.2",
        key_env: None,
        json_mode: JsonMode::Schema,
        local: true,
    },
];

/// Where configuration values come from; a seam so tests do not touch the process
/// environment or the user's keychain.
pub trait Environment {
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
pub struct ProcessEnv;

impl Environment for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.trim().is_empty())
    }
}

impl<F: Fn(&str) -> Option<String>> Environment for F {
    fn var(&self, name: &str) -> Option<String> {
        self(name)
    }
}

/// The OpenAI-compatible root of a local server: Ollama's base URL is usually given
/// without the `/v1` its compatible API lives under.
fn local_api_root(base: &str) -> String {
    let base = base.trim_end_matches('/');
    if base.ends_with("/v1") {
        base.to_string()
    } else {
        format!("{base}/v1")
    }
}

/// The built-in providers (name, default model) in the default chain order, with whether
/// each takes an API key (a local server does not).
pub fn known_providers() -> Vec<(&'static str, &'static str, bool)> {
    KNOWN.iter().map(|k| (k.name, k.model, !k.local)).collect()
}

impl LlmConfig {
    /// Reads `config.toml` from the data directory (when there is one) and the
    /// environment, and finds keys in the environment or the secret store.
    pub fn load(
        data_dir: &Path,
        env: &dyn Environment,
        secrets: &SecretStore,
    ) -> Result<Self, ConfigError> {
        let path = data_dir.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.display().to_string(),
                    source,
                })
            }
        };
        Self::from_parts(&text, env, secrets).map_err(|message| ConfigError::Invalid {
            path: path.display().to_string(),
            message,
        })
    }

    /// Builds the configuration from a `config.toml` text, an environment and a
    /// secret store.
    pub fn from_parts(
        toml_text: &str,
        env: &dyn Environment,
        secrets: &SecretStore,
    ) -> Result<Self, String> {
        let file: FileConfig = toml::from_str(toml_text).map_err(|e| e.message().to_string())?;
        let llm = file.llm;
        let mut config = LlmConfig::default();
        if let Some(ms) = llm.turn_deadline_ms {
            config.turn_deadline = Duration::from_millis(ms);
        }
        if let Some(ms) = llm.evaluation_deadline_ms {
            config.evaluation_deadline = Duration::from_millis(ms);
        }
        if let Some(ms) = llm.generation_deadline_ms {
            config.generation_deadline = Duration::from_millis(ms);
        }

        // Every provider that could take part, known ones first in the default order.
        let mut candidates: Vec<(String, Option<ProviderConfig>)> = Vec::new();
        for known in KNOWN {
            let file = llm.providers.get(known.name);
            candidates.push((
                known.name.to_string(),
                known_provider(known, file, env, secrets)?,
            ));
        }
        for (name, file) in &llm.providers {
            if KNOWN.iter().any(|k| k.name == name) {
                continue;
            }
            candidates.push((
                name.clone(),
                Some(custom_provider(name, file, env, secrets)?),
            ));
        }

        config.chain = match llm.chain {
            Some(order) => {
                let mut chain = Vec::new();
                for name in order {
                    if name == "offline" {
                        // The offline brain is always last; naming it changes nothing.
                        continue;
                    }
                    match candidates.iter().find(|(n, _)| *n == name) {
                        Some((_, Some(p))) => chain.push(p.clone()),
                        // A provider named in the chain without its key or URL is skipped,
                        // like in the default chain: the interview must not depend on it.
                        Some((_, None)) => {}
                        None => {
                            return Err(format!("the chain names an unknown provider {name:?}"))
                        }
                    }
                }
                chain
            }
            None => candidates.into_iter().filter_map(|(_, p)| p).collect(),
        };
        Ok(config)
    }
}

fn apply_file(p: &mut ProviderConfig, file: &FileProvider) {
    if let Some(url) = &file.base_url {
        p.base_url = url.trim_end_matches('/').to_string();
    }
    if let Some(model) = &file.model {
        p.model = model.clone();
    }
    if let Some(ms) = file.timeout_ms {
        p.timeout = Duration::from_millis(ms);
    }
    if let Some(mode) = file.json_mode {
        p.json_mode = mode;
    }
    if let Some(n) = file.max_retries {
        p.max_retries = n;
    }
    if let Some(n) = file.breaker_threshold {
        p.breaker_threshold = n.max(1);
    }
    if let Some(ms) = file.breaker_cooldown_ms {
        p.breaker_cooldown = Duration::from_millis(ms);
    }
}

fn find_key(
    name: &str,
    env_name: Option<&str>,
    env: &dyn Environment,
    secrets: &SecretStore,
) -> Option<ApiKey> {
    env_name
        .and_then(|v| env.var(v))
        .or_else(|| secrets.get(name).ok().flatten())
        .map(ApiKey::new)
}

fn known_provider(
    known: &KnownProvider,
    file: Option<&FileProvider>,
    env: &dyn Environment,
    secrets: &SecretStore,
) -> Result<Option<ProviderConfig>, String> {
    let mut p = ProviderConfig::new(known.name, known.base_url, known.model);
    p.json_mode = known.json_mode;
    if let Some(file) = file {
        apply_file(&mut p, file);
    }
    if known.local {
        // A local server takes part only when its base URL is set.
        let url = env
            .var("OLLAMA_BASE_URL")
            .or_else(|| file.and_then(|f| f.base_url.clone()));
        let Some(url) = url else { return Ok(None) };
        p.base_url = local_api_root(&url);
        // Local servers are slower to start a reply on small machines.
        if file.and_then(|f| f.timeout_ms).is_none() {
            p.timeout = Duration::from_secs(60);
        }
        return Ok(Some(p));
    }
    if known.name == "openai" {
        if let Some(url) = env.var("OPENAI_BASE_URL") {
            p.base_url = url.trim_end_matches('/').to_string();
        }
    }
    let env_name = file
        .and_then(|f| f.api_key_env.as_deref())
        .or(known.key_env);
    p.api_key = find_key(known.name, env_name, env, secrets);
    Ok(p.api_key.is_some().then_some(p))
}

fn custom_provider(
    name: &str,
    file: &FileProvider,
    env: &dyn Environment,
    secrets: &SecretStore,
) -> Result<ProviderConfig, String> {
    let base_url = file
        .base_url
        .as_deref()
        .ok_or_else(|| format!("provider {name:?} needs a base_url"))?;
    let model = file
        .model
        .as_deref()
        .ok_or_else(|| format!("provider {name:?} needs a model"))?;
    let mut p = ProviderConfig::new(name, base_url, model);
    apply_file(&mut p, file);
    // Custom providers are often local servers without keys; a key is used when found.
    p.api_key = find_key(name, file.api_key_env.as_deref(), env, secrets);
    Ok(p)
}
