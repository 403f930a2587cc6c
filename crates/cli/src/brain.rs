//! `--brain offline|llm|auto` and `panelist brain …`: which brain runs an interview, a
//! check of every configured provider, and API keys kept in the keychain or a 0600 file.

use std::io::{BufRead, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Subcommand;
use panelist_brain::OfflineBrain;
use panelist_core::Brain;
use panelist_llm::{ChatRequest, LlmConfig, ProcessEnv, Provider, SecretStore};

use crate::Cli;

/// Which brain decides and scores (`--brain offline|llm|auto`): the one choice admin mode's
/// brain setting makes too.
pub use panelist_llm::BrainMode as BrainChoice;

#[derive(Subcommand)]
pub enum BrainCommand {
    /// Call each configured provider once and print its latency or its error.
    Check,
    /// Show the chain: providers in order (never their keys), then the offline brain.
    Show,
    /// Store a provider's API key (read from stdin) in the OS keychain, or in a file
    /// only you can read (mode 0600) where there is no keychain.
    SetKey { provider: String },
    /// Forget a provider's stored API key.
    RemoveKey { provider: String },
}

fn load_config(data_dir: &Path) -> anyhow::Result<LlmConfig> {
    Ok(LlmConfig::load(
        data_dir,
        &ProcessEnv,
        &SecretStore::new(data_dir),
    )?)
}

/// The brain for a command, per `--brain` (`panelist_llm::build_brain`).
pub fn build(choice: BrainChoice, data_dir: &Path) -> anyhow::Result<Box<dyn Brain>> {
    Ok(panelist_admin::build_brain(choice, data_dir)?)
}

pub fn run(cli: &Cli, cmd: &BrainCommand) -> anyhow::Result<()> {
    let data_dir = crate::data_dir(cli.data_dir.as_deref())?;
    match cmd {
        BrainCommand::Check => check(&data_dir),
        BrainCommand::Show => {
            let config = load_config(&data_dir)?;
            for p in &config.chain {
                println!(
                    "{}  {}  {}  key: {}",
                    p.name,
                    p.model,
                    p.base_url,
                    if p.api_key.is_some() { "set" } else { "none" }
                );
            }
            println!("{}  (always last)", OfflineBrain::NAME);
            Ok(())
        }
        BrainCommand::SetKey { provider } => {
            let mut key = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut key)
                .context("cannot read the key from stdin")?;
            let key = key.trim();
            if key.is_empty() {
                bail!("no key on stdin");
            }
            let store = SecretStore::new(&data_dir);
            match store.set(provider, key)? {
                panelist_llm::Backend::Keychain => {
                    println!("stored the {provider} key in the OS keychain")
                }
                panelist_llm::Backend::File => println!(
                    "stored the {provider} key in {} (mode 0600; no keychain here)",
                    store.file_path().display()
                ),
            }
            Ok(())
        }
        BrainCommand::RemoveKey { provider } => {
            SecretStore::new(&data_dir).remove(provider)?;
            println!("removed the {provider} key");
            Ok(())
        }
    }
}

/// A request small enough for any model, in JSON mode like the real ones.
fn check(data_dir: &Path) -> anyhow::Result<()> {
    let config = load_config(data_dir)?;
    if config.chain.is_empty() {
        println!(
            "no LLM provider configured; interviews use {}",
            OfflineBrain::NAME
        );
        return Ok(());
    }
    let schema = serde_json::json!({
        "type": "object", "additionalProperties": false,
        "required": ["ok"], "properties": {"ok": {"type": "boolean"}},
    });
    let request = ChatRequest {
        system: "You answer with one JSON object only.",
        user: "Reply with {\"ok\": true}.",
        schema_name: "check",
        schema: &schema,
        max_tokens: 20,
    };
    let mut failures = 0;
    let stdout = std::io::stdout();
    for p in &config.chain {
        // One try per provider: a check reports what a turn would meet, without retries.
        let mut quick = p.clone();
        quick.max_retries = 0;
        let provider = Provider::new(quick)?;
        let started = Instant::now();
        let deadline = started + p.timeout.max(Duration::from_secs(1));
        let result = provider.chat(&request, deadline);
        let mut out = stdout.lock();
        match result {
            Ok(_) => writeln!(
                out,
                "{:<12} {:<36} ok     {} ms",
                p.name,
                p.model,
                started.elapsed().as_millis()
            )?,
            Err(e) => {
                failures += 1;
                writeln!(out, "{:<12} {:<36} error  {e}", p.name, p.model)?;
            }
        }
        out.flush()?;
    }
    if failures > 0 {
        bail!(
            "{failures} of {} provider(s) failed; interviews fall back along the chain to {}",
            config.chain.len(),
            OfflineBrain::NAME
        );
    }
    Ok(())
}
