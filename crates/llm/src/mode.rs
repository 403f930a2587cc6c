//! Which brain runs interviews: the one choice the CLI's `--brain` and admin mode's brain
//! setting both make, and the one function that builds the brain for it.

use std::path::Path;
use std::str::FromStr;

use panelist_brain::OfflineBrain;
use panelist_core::Brain;

use crate::{ChainBrain, LlmConfig, ProcessEnv, SecretStore, CONFIG_FILE};

/// Crosses to admin mode's UI and back by its name (`"offline"`, `"llm"`, `"auto"`), the
/// same one `as_str` and `FromStr` use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BrainMode {
    /// The offline rules brain only: no network, deterministic.
    #[default]
    Offline,
    /// The configured LLM providers in chain order, the offline brain last; an error when
    /// no provider is configured.
    Llm,
    /// The LLM chain when a provider is configured, else the offline brain.
    Auto,
}

#[derive(Debug, thiserror::Error)]
pub enum BrainModeError {
    #[error("unknown brain mode {0:?}: offline, llm or auto")]
    Unknown(String),
    #[error(
        "brain mode llm: no LLM provider is configured (set GROQ_API_KEY, OPENROUTER_API_KEY, \
         GOOGLE_API_KEY, OPENAI_API_KEY or OLLAMA_BASE_URL, or see {CONFIG_FILE})"
    )]
    NoProvider,
    #[error("the offline brain cannot start: {0}")]
    Offline(String),
    #[error("the LLM configuration: {0}")]
    Config(String),
}

impl BrainMode {
    pub const ALL: [BrainMode; 3] = [Self::Offline, Self::Llm, Self::Auto];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Offline => "offline",
            Self::Llm => "llm",
            Self::Auto => "auto",
        }
    }
}

impl FromStr for BrainMode {
    type Err = BrainModeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| BrainModeError::Unknown(s.chars().take(40).collect()))
    }
}

impl std::fmt::Display for BrainMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The brain for a mode, with the providers and keys of `data_dir`'s configuration
/// (`config.toml`, the environment, the keychain or the 0600 secrets file); `offline` is
/// the rules brain (with the meaning model when the caller found one), alone or the
/// chain's last link.
pub fn build_brain(
    mode: BrainMode,
    data_dir: &Path,
    offline: OfflineBrain,
) -> Result<Box<dyn Brain>, BrainModeError> {
    if mode == BrainMode::Offline {
        return Ok(Box::new(offline));
    }
    let config = LlmConfig::load(data_dir, &ProcessEnv, &SecretStore::new(data_dir))
        .map_err(|e| BrainModeError::Config(e.to_string()))?;
    if config.chain.is_empty() {
        if mode == BrainMode::Llm {
            return Err(BrainModeError::NoProvider);
        }
        return Ok(Box::new(offline));
    }
    Ok(Box::new(
        ChainBrain::new(&config, offline).map_err(|e| BrainModeError::Config(e.to_string()))?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_read_back_what_they_write_and_unknown_ones_are_named() {
        for mode in BrainMode::ALL {
            assert_eq!(mode.as_str().parse::<BrainMode>().ok(), Some(mode));
            let json = serde_json::to_string(&mode).expect("json");
            assert_eq!(json, format!("\"{}\"", mode.as_str()));
            assert_eq!(serde_json::from_str::<BrainMode>(&json).ok(), Some(mode));
        }
        assert!(serde_json::from_str::<BrainMode>("\"gpt\"").is_err());
        assert_eq!(" auto ".parse::<BrainMode>().ok(), Some(BrainMode::Auto));
        let err = "gpt".parse::<BrainMode>().expect_err("unknown");
        assert!(err.to_string().contains("\"gpt\""), "{err}");
    }

    #[test]
    fn llm_without_a_provider_is_an_error_and_auto_falls_back_to_offline() {
        let dir = tempfile::tempdir().expect("tempdir");
        // No provider in the environment of this test: a config file with an empty chain.
        std::fs::write(dir.path().join(CONFIG_FILE), "[llm]\nchain = []\n").expect("write");
        let offline = || OfflineBrain::embedded().expect("bank");
        assert!(build_brain(BrainMode::Offline, dir.path(), offline()).is_ok());
        match build_brain(BrainMode::Llm, dir.path(), offline()) {
            Err(BrainModeError::NoProvider) => {}
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("an LLM brain without a provider"),
        }
        assert!(build_brain(BrainMode::Auto, dir.path(), offline()).is_ok());
    }
}
