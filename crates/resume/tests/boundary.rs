//! The extraction boundary: a child that hangs is killed, one that crashes is an error.

use std::path::Path;
use std::time::{Duration, Instant};

use panelist_resume::{Extractor, ResumeError};

fn shell(script: &str, timeout: Duration) -> Extractor {
    Extractor {
        program: "sh".into(),
        args: vec!["-c".into(), script.into(), "extractor".into()],
        timeout,
    }
}

#[test]
fn a_hanging_parser_is_stopped_at_the_time_limit() {
    let started = Instant::now();
    let result = shell("sleep 30", Duration::from_millis(300)).extract(Path::new("x.pdf"));
    assert_eq!(
        result,
        Err(ResumeError::TimedOut(Duration::from_millis(300)))
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_panicking_parser_is_a_clear_error() {
    let result = shell(
        "echo 'thread main panicked at src/lib.rs: index out of bounds' >&2; exit 101",
        Duration::from_secs(5),
    )
    .extract(Path::new("x.pdf"));
    match result {
        Err(ResumeError::ExtractionFailed(line)) => assert!(line.contains("panicked"), "{line}"),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn a_large_output_does_not_block_the_child() {
    // 2 MB on stdout: more than a pipe holds, so both ends must keep reading.
    let text = shell(
        "head -c 2000000 /dev/zero | tr '\\0' a",
        Duration::from_secs(20),
    )
    .extract(Path::new("x.pdf"))
    .expect("text");
    assert_eq!(text.len(), 2_000_000);
}

#[test]
fn the_child_inherits_no_environment() {
    // Set for this process only: the child must not see it (API keys live in the
    // kiosk's environment when a cloud provider is configured).
    std::env::set_var("PANELIST_TEST_OPENAI_API_KEY", "sk-secret-from-the-parent");
    let seen = shell("env", Duration::from_secs(10))
        .extract(Path::new("x.pdf"))
        .expect("env output");
    assert!(!seen.contains("sk-secret-from-the-parent"), "{seen}");
    assert!(!seen.contains("API_KEY"), "{seen}");
    assert!(!seen.contains("HOME="), "{seen}");
}

#[test]
fn the_child_cannot_take_more_memory_than_its_limit() {
    // 2 GiB is far past the child's address-space limit: the allocation fails inside
    // the child, which is a clear error here.
    let result = shell(
        "exec python3 -c 'b = bytearray(2 * 1024 ** 3); print(len(b))'",
        Duration::from_secs(20),
    )
    .extract(Path::new("x.pdf"));
    match result {
        Err(ResumeError::ExtractionFailed(line)) => {
            assert!(line.contains("MemoryError"), "{line}")
        }
        other => panic!("expected the allocation to fail, got {other:?}"),
    }
    const { assert!(panelist_resume::CHILD_MEMORY_BYTES < 2 * 1024 * 1024 * 1024) };
}

#[test]
fn a_child_that_writes_without_end_is_stopped_at_the_output_cap() {
    let started = Instant::now();
    let result = shell("exec yes résumé", Duration::from_secs(60)).extract(Path::new("x.pdf"));
    assert_eq!(result, Err(ResumeError::TooMuchText));
    // Stopped when the cap was reached, not at the 60 s time limit.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_child_writes_no_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("dropped.txt");
    let script = format!("echo data > '{}'; echo done", target.display());
    let _ = shell(&script, Duration::from_secs(10)).extract(Path::new("x.pdf"));
    let written = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
    assert_eq!(written, 0, "the child wrote {written} bytes to a file");
}
