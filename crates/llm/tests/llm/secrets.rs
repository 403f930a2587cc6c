//! API keys: the 0600 file fallback, and keys kept out of SQLite, logs and reports.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

use panelist_llm::{ApiKey, Backend, SecretError, SecretStore};

use crate::fake::{FakeProvider, Quirk};
use crate::{chain, provider, run_interview, HONEST};

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn keys_go_to_a_file_only_the_owner_can_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = SecretStore::file_only(dir.path());
    assert_eq!(store.get("groq").unwrap(), None);
    assert_eq!(store.set("groq", "gsk-one\n").unwrap(), Backend::File);
    assert_eq!(store.set("openrouter", "sk-or-two").unwrap(), Backend::File);
    #[cfg(unix)]
    assert_eq!(mode(store.file_path()), 0o600);
    assert_eq!(store.get("groq").unwrap().as_deref(), Some("gsk-one"));
    store.remove("groq").unwrap();
    assert_eq!(store.get("groq").unwrap(), None);
    assert_eq!(
        store.get("openrouter").unwrap().as_deref(),
        Some("sk-or-two")
    );
    assert!(matches!(
        store.set("../etc", "x"),
        Err(SecretError::BadName)
    ));
}

#[cfg(unix)]
#[test]
fn a_secrets_file_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let store = SecretStore::file_only(dir.path());
    store.set("groq", "gsk-one").unwrap();
    std::fs::set_permissions(store.file_path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(matches!(
        store.get("groq"),
        Err(SecretError::TooOpen { .. })
    ));
    // Writing again restores the owner-only mode rather than keeping the loose one.
    std::fs::set_permissions(store.file_path(), std::fs::Permissions::from_mode(0o600)).unwrap();
    store.set("gemini", "AIza-x").unwrap();
    assert_eq!(mode(store.file_path()), 0o600);
}

#[test]
fn a_key_never_shows_in_debug_output() {
    let key = ApiKey::new("sk-very-secret");
    assert!(!format!("{key:?}").contains("very-secret"));
    let mut p = provider("x", "http://127.0.0.1:9/v1");
    p.api_key = Some(key);
    assert!(!format!("{p:?}").contains("very-secret"));
}

/// Everything logged by this test binary. A global subscriber, installed once, because
/// tracing caches per-callsite interest across threads: a thread-local subscriber can
/// miss events when other tests run in parallel.
fn captured_logs() -> &'static Mutex<Vec<u8>> {
    static LOGS: OnceLock<&'static Mutex<Vec<u8>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs: &'static Mutex<Vec<u8>> = Box::leak(Box::new(Mutex::new(Vec::new())));
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || Captured(logs))
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        logs
    })
}

/// A writer for the log subscriber that keeps everything written.
struct Captured(&'static Mutex<Vec<u8>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn keys_never_reach_sqlite_logs_or_reports() {
    const KEY: &str = "sk-panelist-test-5EcReT-4f9a";
    let server = FakeProvider::start(Quirk::ServerError);
    let mut p = provider("keyed", &server.base_url);
    p.api_key = Some(ApiKey::new(KEY));
    let logs = captured_logs();
    let outcome = run_interview(Box::new(chain(vec![p], 4000)), &HONEST, None);

    // The key was used…
    let requests = server.requests();
    assert!(requests
        .iter()
        .all(|r| r.header("authorization") == Some(&format!("Bearer {KEY}")[..])));
    // …every call was logged with provider, model, latency and outcome…
    let logs = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("llm call"), "{logs}");
    assert!(logs.contains("provider=keyed") && logs.contains("model=fake-model"));
    assert!(logs.contains("latency_ms=") && logs.contains("outcome=ok"));
    // …and it is nowhere at rest or in the output.
    assert!(!logs.contains("5EcReT"));
    let report = serde_json::to_string(&outcome.report).unwrap();
    assert!(!report.contains("5EcReT"));
    for entry in std::fs::read_dir(outcome.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes.windows(6).any(|w| w == b"5EcReT"),
                "the key is in {}",
                path.display()
            );
        }
    }
}

#[test]
fn a_key_echoed_in_a_provider_error_is_masked() {
    const KEY: &str = "sk-panelist-echo-7Hq2Zr";
    let server = FakeProvider::start(Quirk::Unauthorized);
    let mut p = provider("echoing", &server.base_url);
    p.api_key = Some(ApiKey::new(KEY));
    let logs = captured_logs();
    let outcome = run_interview(Box::new(chain(vec![p], 2000)), &HONEST, None);
    assert_eq!(
        outcome.report.generated_by.brain,
        panelist_brain::OfflineBrain::WORDS_ONLY
    );
    let logs = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("provider=echoing") && logs.contains("Incorrect API key provided: ***"),
        "{logs}"
    );
    assert!(!logs.contains("7Hq2Zr"));
}
