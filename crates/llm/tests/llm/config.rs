//! Configuration: the default chain from the original system's variables, config.toml,
//! keys from the secret store.

use std::collections::HashMap;
use std::time::Duration;

use panelist_llm::{JsonMode, LlmConfig, SecretStore};

fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name: &str| map.get(name).cloned()
}

fn names(config: &LlmConfig) -> Vec<&str> {
    config.chain.iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn no_keys_means_only_the_offline_brain() {
    let dir = tempfile::tempdir().unwrap();
    let config =
        LlmConfig::load(dir.path(), &env(&[]), &SecretStore::file_only(dir.path())).unwrap();
    assert!(config.chain.is_empty());
    assert_eq!(config.turn_deadline, Duration::from_secs(2));
}

#[test]
fn the_default_chain_follows_the_original_order_for_the_keys_present() {
    let dir = tempfile::tempdir().unwrap();
    let vars = env(&[
        ("GROQ_API_KEY", "gsk"),
        ("OPENROUTER_API_KEY", "sk-or"),
        ("GOOGLE_API_KEY", "AIza"),
        ("OPENAI_API_KEY", "sk-oa"),
        ("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1/"),
        ("OLLAMA_BASE_URL", "http://localhost:11434"),
    ]);
    let config = LlmConfig::load(dir.path(), &vars, &SecretStore::file_only(dir.path())).unwrap();
    assert_eq!(
        names(&config),
        ["openrouter", "gemini", "groq", "openai", "ollama"]
    );
    let by = |n: &str| config.chain.iter().find(|p| p.name == n).unwrap();
    assert_eq!(by("groq").api_key.as_ref().unwrap().expose(), "gsk");
    assert_eq!(by("groq").base_url, "https://api.groq.com/openai/v1");
    assert_eq!(by("openai").base_url, "http://127.0.0.1:8000/v1");
    assert_eq!(by("ollama").base_url, "http://localhost:11434/v1");
    assert!(by("ollama").api_key.is_none());
    assert_eq!(
        by("groq").label(),
        "openai-compatible:groq/llama-3.1-8b-instant"
    );
}

#[test]
fn keys_come_from_the_secret_store_when_the_environment_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = SecretStore::file_only(dir.path());
    secrets.set("gemini", "AIza-stored").unwrap();
    let config = LlmConfig::load(dir.path(), &env(&[]), &secrets).unwrap();
    assert_eq!(names(&config), ["gemini"]);
    assert_eq!(
        config.chain[0].api_key.as_ref().unwrap().expose(),
        "AIza-stored"
    );
}

#[test]
fn config_toml_sets_the_order_models_deadlines_and_custom_servers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        r#"
[llm]
chain = ["lmstudio", "groq", "openrouter", "offline"]
turn_deadline_ms = 1500
evaluation_deadline_ms = 20000

[llm.providers.groq]
model = "llama-3.3-70b-versatile"
timeout_ms = 8000
json_mode = "schema"

[llm.providers.lmstudio]
base_url = "http://127.0.0.1:1234/v1"
model = "qwen2.5-7b-instruct"
json_mode = "none"
"#,
    )
    .unwrap();
    let vars = env(&[("GROQ_API_KEY", "gsk")]);
    let config = LlmConfig::load(dir.path(), &vars, &SecretStore::file_only(dir.path())).unwrap();
    // OpenRouter has no key, so it is left out; "offline" is always last anyway.
    assert_eq!(names(&config), ["lmstudio", "groq"]);
    assert_eq!(config.turn_deadline, Duration::from_millis(1500));
    assert_eq!(config.evaluation_deadline, Duration::from_secs(20));
    assert_eq!(config.chain[0].json_mode, JsonMode::None);
    assert_eq!(config.chain[1].model, "llama-3.3-70b-versatile");
    assert_eq!(config.chain[1].timeout, Duration::from_secs(8));
    assert_eq!(config.chain[1].json_mode, JsonMode::Schema);
}

#[test]
fn a_bad_config_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = SecretStore::file_only(dir.path());
    for (text, expected) in [
        ("[llm]\nchain = [\"nobody\"]\n", "unknown provider"),
        ("[llm]\nturn_deadline = 3\n", "unknown field"),
        ("[llm.providers.mine]\nmodel = \"m\"\n", "needs a base_url"),
        (
            "[llm.providers.groq]\napi_key = \"gsk-in-plain-text\"\n",
            "unknown field",
        ),
    ] {
        std::fs::write(dir.path().join("config.toml"), text).unwrap();
        let err = LlmConfig::load(dir.path(), &env(&[]), &secrets).unwrap_err();
        assert!(err.to_string().contains(expected), "{text}: {err}");
        assert!(err.to_string().contains("config.toml"));
    }
}
