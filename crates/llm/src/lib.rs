//! LLM brains for Panelist: one OpenAI-compatible chat-completions client serving every
//! provider that speaks the protocol (OpenRouter, Gemini's compatible endpoint, Groq,
//! OpenAI, Ollama, llama.cpp server, LM Studio, vLLM), an [`LlmBrain`] per provider, and
//! a [`ChainBrain`] that tries them in order and ends with the offline rules brain, so
//! an interview never stalls on the network.
//!
//! Invariants: untrusted text (résumés, answers) only reaches a prompt inside a data
//! block declared instruction-free ([`prompts::fence`]); a model only proposes, and the
//! engine still validates every decision; evaluation scores must quote the transcript
//! and stay within a band of the rules brain's scores; API keys live in the environment,
//! the OS keychain or a 0600 file, never in SQLite, logs or reports.

pub mod brain;
pub mod breaker;
pub mod chain;
pub mod client;
pub mod config;
pub mod mode;
pub mod parse;
pub mod prompts;
pub mod secrets;

pub use brain::{Deadlines, LlmBrain, ANCHOR_BAND};
pub use chain::ChainBrain;
pub use client::{CallError, ChatReply, ChatRequest, Provider};
pub use config::{
    known_providers, ApiKey, ConfigError, Environment, JsonMode, LlmConfig, ProcessEnv,
    ProviderConfig, CONFIG_FILE,
};
pub use mode::{build_brain, BrainMode, BrainModeError};
pub use secrets::{Backend, SecretError, SecretStore, SECRETS_FILE};
