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
