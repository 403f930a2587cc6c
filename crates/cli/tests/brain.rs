//! `--brain` and `panelist brain …` against a local OpenAI-compatible server.

#![allow(clippy::unwrap_used)]

#[allow(dead_code)] // The CLI tests use only part of the fake provider.
#[path = "../../llm/tests/llm/fake.rs"]
mod fake;

use std::io::Write;
use std::process::{Command, Stdio};

use fake::{FakeProvider, Quirk};

const BIN: &str = env!("CARGO_BIN_EXE_panelist");

/// Provider variables that must not leak in from the machine running the tests.
const PROVIDER_VARS: [&str; 6] = [
    "GROQ_API_KEY",
    "OPENROUTER_API_KEY",
    "GOOGLE_API_KEY",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OLLAMA_BASE_URL",
];

fn panelist(
    dir: &std::path::Path,
    env: &[(&str, &str)],
    args: &[&str],
    stdin: Option<&str>,
) -> (i32, String, String) {
    let mut cmd = Command::new(BIN);
    for v in PROVIDER_VARS {
        cmd.env_remove(v);
    }
    cmd.env("PANELIST_DATA_DIR", dir)
        .env("PANELIST_KEYCHAIN", "off")
        .envs(env.iter().copied())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

#[test]
fn brain_check_prints_latency_or_error_per_provider() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = panelist(dir.path(), &[], &["brain", "check"], None);
    assert_eq!(code, 0);
    assert!(out.contains("no LLM provider configured"), "{out}");

    let server = FakeProvider::start(Quirk::Normal);
    let dead = closed_port_url();
    let env = [
        ("OPENAI_API_KEY", "sk-check"),
        ("OPENAI_BASE_URL", server.base_url.as_str()),
        ("OLLAMA_BASE_URL", dead.as_str()),
    ];
    let (code, out, err) = panelist(dir.path(), &env, &["brain", "check"], None);
    assert_eq!(code, 1, "a failing provider is reported: {err}");
    let openai = out.lines().find(|l| l.starts_with("openai")).unwrap();
    assert!(openai.contains(" ok ") && openai.ends_with(" ms"), "{out}");
    let ollama = out.lines().find(|l| l.starts_with("ollama")).unwrap();
    assert!(
        ollama.contains("error") && ollama.contains("cannot reach"),
        "{out}"
    );
    assert!(err.contains("1 of 2 provider(s) failed"), "{err}");
    assert_eq!(server.request_count(), 1);
    assert!(!out.contains("sk-check") && !err.contains("sk-check"));
}

#[test]
fn an_interview_runs_on_the_llm_chain_and_the_report_names_the_provider() {
    let dir = tempfile::tempdir().unwrap();
    let server = FakeProvider::start(Quirk::Prose);
    let env = [
        ("OPENAI_API_KEY", "sk-cli"),
        ("OPENAI_BASE_URL", server.base_url.as_str()),
    ];
    let args = [
        "interview",
        "create",
        "--role",
        "Backend Engineer",
        "--focus",
        "Python",
        "--questions",
        "2",
        "--minutes",
        "10",
        "--brain",
        "llm",
    ];
    let (code, out, err) = panelist(dir.path(), &env, &args, None);
    assert_eq!(code, 0, "{err}");
    let id = out.trim().to_string();
    let (_, shown, _) = panelist(dir.path(), &env, &["interview", "show", &id], None);
    assert!(shown.contains("Generated question 1"), "{shown}");
    let (code, _, err) = panelist(dir.path(), &env, &["interview", "publish", &id], None);
    assert_eq!(code, 0, "{err}");
    let answers = dir.path().join("answers.txt");
    std::fs::write(
        &answers,
        "I test with pytest and unit test fixtures in CI.\nI profile first, then fix the hot loop.\n",
    )
    .unwrap();
    let run = [
        "interview",
        "run",
        &id,
        "--name",
        "Kim Lee",
        "--email",
        "kim@example.com",
        "--answers",
        answers.to_str().unwrap(),
        "--brain",
        "llm",
    ];
    let (code, out, err) = panelist(dir.path(), &env, &run, None);
    assert_eq!(code, 0, "{err}");
    let session = out.lines().last().unwrap().trim().to_string();
    let (code, report, err) = panelist(
        dir.path(),
        &env,
        &["report", "show", &session, "--json"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(
        report["generated_by"]["brain"],
        "openai-compatible:openai/gpt-4o-mini"
    );
    assert_eq!(report["responses"].as_array().unwrap().len(), 2);
}

#[test]
fn brain_llm_without_a_provider_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "interview",
        "create",
        "--role",
        "Engineer",
        "--brain",
        "llm",
    ];
    let (code, _, err) = panelist(dir.path(), &[], &args, None);
    assert_eq!(code, 1);
    assert!(err.contains("no LLM provider is configured"), "{err}");
    // `auto` falls back to the offline brain.
    let args = [
        "interview",
        "create",
        "--role",
        "Engineer",
        "--focus",
        "Python",
        "--brain",
        "auto",
    ];
    let (code, _, err) = panelist(dir.path(), &[], &args, None);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn set_key_stores_the_key_for_the_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = panelist(
        dir.path(),
        &[],
        &["brain", "set-key", "groq"],
        Some("gsk-stored-key\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("mode 0600"), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("secrets.toml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let (code, out, _) = panelist(dir.path(), &[], &["brain", "show"], None);
    assert_eq!(code, 0);
    assert!(out.starts_with("groq  llama-3.1-8b-instant"), "{out}");
    assert!(out.contains("key: set") && !out.contains("gsk-stored-key"));
    let (code, _, _) = panelist(dir.path(), &[], &["brain", "remove-key", "groq"], None);
    assert_eq!(code, 0);
    let (_, out, _) = panelist(dir.path(), &[], &["brain", "show"], None);
    assert!(!out.contains("groq"), "{out}");
}

#[test]
fn brain_check_passes_against_llama_cpp_python_refusing_schema_mode() {
    // A local server in its default JSON-schema mode, with no configuration: the 500
    // refusal is recognised and the check asks again in JSON-object mode.
    let dir = tempfile::tempdir().unwrap();
    let server = FakeProvider::start(Quirk::LlamaCppPython);
    let env = [("OLLAMA_BASE_URL", server.base_url.as_str())];
    let (code, out, err) = panelist(dir.path(), &env, &["brain", "check"], None);
    assert_eq!(code, 0, "{out}{err}");
    let ollama = out.lines().find(|l| l.starts_with("ollama")).unwrap();
    assert!(ollama.contains(" ok "), "{out}");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].body["response_format"]["type"], "json_object");
}

#[test]
fn interview_create_with_two_hanging_providers_takes_one_generation_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let first = FakeProvider::start(Quirk::Hang);
    let second = FakeProvider::start(Quirk::Hang);
    let deadline_ms = 3000;
    std::fs::write(
        dir.path().join("config.toml"),
        format!("[llm]\ngeneration_deadline_ms = {deadline_ms}\n"),
    )
    .unwrap();
    let env = [
        ("OPENAI_API_KEY", "sk-hang"),
        ("OPENAI_BASE_URL", first.base_url.as_str()),
        ("OLLAMA_BASE_URL", second.base_url.as_str()),
    ];
    let args = [
        "interview",
        "create",
        "--role",
        "Backend Engineer",
        "--focus",
        "Python",
        "--brain",
        "auto",
    ];
    let started = std::time::Instant::now();
    let (code, _, err) = panelist(dir.path(), &env, &args, None);
    let took = started.elapsed();
    assert_eq!(code, 0, "{err}");
    assert!(
        took <= std::time::Duration::from_millis(deadline_ms + 1000),
        "took {took:?} for a chain deadline of {deadline_ms} ms"
    );
    // Both providers were asked within the one deadline.
    assert_eq!(first.request_count(), 1);
    assert_eq!(second.request_count(), 1);
}
