//! A hostile résumé: a 2 MB PDF whose page content inflates to 2 GiB (a decompression
//! bomb). The real extractor (`panelist __extract-pdf` in its limited child process)
//! must end in a clear error within the time limit, and the caller's memory must stay
//! flat. Alone in its test binary so that this process's peak memory is its own.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use panelist_resume::{Extractor, ResumeError, MAX_RESUME_BYTES};

/// This process's peak resident memory (VmHWM), in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// Writes the bomb with Python's zlib (C speed: compressing 2 GiB of spaces takes a
/// few seconds; the test build's Rust deflate would take much longer).
fn write_bomb(path: &Path) {
    let script = r#"
import sys, zlib
z = zlib.compressobj(9)
chunk = b" " * (1 << 20)
parts = [z.compress(chunk) for _ in range(2048)]
parts.append(z.flush())
stream = b"".join(parts)
objs = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>",
    b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
]
out = bytearray(b"%PDF-1.4\n")
offsets = []
for i, body in enumerate(objs, 1):
    offsets.append(len(out))
    out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offsets:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(sys.argv[1], "wb").write(out)
"#;
    let status = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .status()
        .expect("python3");
    assert!(status.success(), "could not write the bomb");
}

#[test]
fn a_decompression_bomb_is_refused_in_the_child_and_the_caller_stays_flat() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bomb = dir.path().join("resume.pdf");
    write_bomb(&bomb);
    let size = std::fs::metadata(&bomb).expect("bomb").len();
    // Small enough to pass the size check: the bomb is what the limits must stop.
    assert!(size < MAX_RESUME_BYTES, "{size} bytes");

    let timeout = Duration::from_secs(20);
    let extractor = Extractor {
        program: env!("CARGO_BIN_EXE_panelist").into(),
        args: vec!["__extract-pdf".into()],
        timeout,
    };
    let before = peak_kib();
    let started = Instant::now();
    let result = panelist_resume::load(&bomb, &extractor);
    let took = started.elapsed();
    let grew_mib = (peak_kib().saturating_sub(before)) / 1024;
    eprintln!(
        "bomb of {} KiB: {result:?} after {took:?}; this process grew by {grew_mib} MiB",
        size / 1024
    );
    match &result {
        Err(ResumeError::ExtractionFailed(_)) | Err(ResumeError::TimedOut(_)) => {}
        other => panic!("expected the bomb to be refused, got {other:?}"),
    }
    let message = result.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("could not be read") || message.contains("was stopped"),
        "{message}"
    );
    // It says why, not the parser's last words.
    assert!(
        message.contains("more memory than a résumé may use") || message.contains("was stopped"),
        "{message}"
    );
    assert!(took <= timeout + Duration::from_secs(5), "{took:?}");
    // The file is read once here (2 MB) and the child's output is capped: the caller
    // never holds the inflated 2 GiB.
    assert!(grew_mib < 64, "the caller grew by {grew_mib} MiB");
}
