//! Which brain proposes questions and runs interviews: the mode is an admin setting
//! (`offline`, `llm`, `auto`); providers and keys are the LLM crate's configuration.

use std::path::Path;

use panelist_brain::OfflineBrain;
use panelist_core::Brain;
use panelist_llm::{LlmConfig, ProcessEnv, SecretStore};
use panelist_service::Panelist;

use crate::{dto, AdminError, Result};

/// The settings key of the brain mode.
pub const BRAIN_MODE_SETTING: &str = "brain.mode";

pub use panelist_llm::BrainMode;

/// A brain mode as the settings form sends it; an unknown one names the field.
pub fn parse_mode(s: &str) -> Result<BrainMode> {
    s.parse()
        .map_err(|e: panelist_llm::BrainModeError| AdminError::invalid("brain_mode", e.to_string()))
}

/// The brain mode stored in an opened data directory; the offline brain when none is set
/// or the setting cannot be read (a kiosk must start).
pub fn stored_brain_mode(app: &Panelist) -> BrainMode {
    match app.setting(BRAIN_MODE_SETTING) {
        Ok(Some(mode)) => mode.parse().unwrap_or_default(),
        Ok(None) => BrainMode::Offline,
        Err(e) => {
            tracing::warn!("cannot read the brain mode: {e}");
            BrainMode::Offline
        }
    }
}

fn load_config(data_dir: &Path, secrets: &SecretStore) -> Result<LlmConfig> {
    LlmConfig::load(data_dir, &ProcessEnv, secrets).map_err(|e| AdminError::Internal(e.to_string()))
}

/// The brain for a mode (`panelist_llm::build_brain`), its rules brain with the meaning
/// model when one is found: what the CLI's `--brain` and the kiosk app build.
pub fn build_brain(mode: BrainMode, data_dir: &Path) -> Result<Box<dyn Brain>> {
    let offline = panelist_meaning::with_model(
        OfflineBrain::embedded().map_err(|e| AdminError::Internal(e.to_string()))?,
        Some(data_dir),
    );
    panelist_llm::build_brain(mode, data_dir, offline)
        .map_err(|e| AdminError::Internal(e.to_string()))
}

/// The providers as the settings screen shows them (never the keys): the configured
/// chain in order, then the built-in providers that take a key and have none yet.
pub(crate) fn providers(data_dir: &Path, secrets: &SecretStore) -> Vec<dto::ProviderView> {
    let chain = match load_config(data_dir, secrets) {
        Ok(config) => config.chain,
        Err(e) => {
            tracing::warn!("the LLM configuration is unreadable: {e}");
            Vec::new()
        }
    };
    let mut views: Vec<dto::ProviderView> = chain
        .iter()
        .map(|p| dto::ProviderView {
            name: p.name.clone(),
            kind: "openai-compatible".into(),
            model: p.model.clone(),
            key_stored: p.api_key.is_some(),
        })
        .collect();
    for (name, model, takes_key) in panelist_llm::known_providers() {
        if takes_key && !views.iter().any(|v| v.name == name) {
            views.push(dto::ProviderView {
                name: name.into(),
                kind: "openai-compatible".into(),
                model: model.into(),
                key_stored: false,
            });
        }
    }
    views
}

/// Checks a provider name against the providers the settings screen offers.
pub(crate) fn check_provider(data_dir: &Path, secrets: &SecretStore, provider: &str) -> Result<()> {
    if providers(data_dir, secrets)
        .iter()
        .any(|p| p.name == provider)
    {
        Ok(())
    } else {
        Err(AdminError::invalid(
            "provider",
            format!("unknown provider {provider:?}"),
        ))
    }
}
