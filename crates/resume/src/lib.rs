//! Résumé intake.
//!
//! A résumé is untrusted input from a stranger at a kiosk. This crate refuses what it
//! cannot handle before touching it (size, type by magic bytes, encryption), and runs
//! PDF text extraction in a child process with a time limit, because the PDF parser is
//! known to panic and to hang on some files. A failed extraction is an error the caller
//! reports and moves past: the interview goes on without a résumé question.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Résumés larger than this are refused.
pub const MAX_RESUME_BYTES: u64 = 10 * 1024 * 1024;

/// Extracted text is cut to this many characters (a résumé is a few pages).
pub const MAX_TEXT_CHARS: usize = 40_000;

/// The extraction child's address space. A 10 MB PDF whose streams inflate to gigabytes
/// (a decompression bomb) fails to allocate inside the child instead of filling the
/// machine; real résumés need a few tens of MB.
pub const CHILD_MEMORY_BYTES: u64 = 768 * 1024 * 1024;

/// Bytes of text read back from the child: more than any résumé (the text is cut to
/// [`MAX_TEXT_CHARS`] afterwards); a child that writes more is stopped.
pub const MAX_CHILD_OUTPUT_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ResumeError {
    #[error("cannot read the résumé file {path}: {detail}")]
    Unreadable { path: String, detail: String },
    #[error("the résumé is {size} bytes; the limit is 10 MB")]
    TooLarge { size: u64 },
    #[error("the résumé file is empty")]
    Empty,
    #[error("the résumé is not a PDF or plain text file (it looks like {looks_like})")]
    UnsupportedType { looks_like: &'static str },
    #[error(
        "the résumé is a password-protected (encrypted) PDF; please provide an unprotected copy"
    )]
    Encrypted,
    #[error("the résumé text is not valid UTF-8")]
    NotUtf8,
    #[error("the PDF could not be read: {0}")]
    ExtractionFailed(String),
    #[error("reading the PDF took longer than {0:?} and was stopped")]
    TimedOut(Duration),
    #[error("the PDF produced more text than a résumé holds and was stopped")]
    TooMuchText,
    #[error("the PDF contains no extractable text (is it a scanned image?)")]
    NoText,
}

/// What a file is, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Text,
}

/// Decides the file type by magic bytes, never by the file name.
pub fn sniff(bytes: &[u8]) -> Result<FileKind, ResumeError> {
    if bytes.is_empty() {
        return Err(ResumeError::Empty);
    }
    // A PDF header may follow a few bytes of junk; the spec allows it within 1 KB.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(FileKind::Pdf);
    }
    let signatures: &[(&[u8], &'static str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"PK\x03\x04", "a ZIP archive or Office document"),
        (b"\xD0\xCF\x11\xE0", "an old Office document"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
        (b"RIFF", "a RIFF (WAV/WebP) file"),
        (b"\x7FELF", "a program"),
        (b"{\\rtf", "an RTF document"),
    ];
    for (magic, what) in signatures {
        if bytes.starts_with(magic) {
            return Err(ResumeError::UnsupportedType { looks_like: what });
        }
    }
    if bytes.contains(&0) {
        return Err(ResumeError::UnsupportedType {
            looks_like: "a binary file",
        });
    }
    Ok(FileKind::Text)
}

/// Whether a PDF declares encryption (an `/Encrypt` entry in its trailer).
pub fn is_encrypted_pdf(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

/// Extracts text from PDF bytes in this process. Only for the isolated child process:
/// the parser may panic or loop forever on hostile files.
pub fn extract_pdf_text_unisolated(bytes: &[u8]) -> Result<String, ResumeError> {
    pdf_extract::extract_text_from_mem(bytes)
        .map_err(|e| ResumeError::ExtractionFailed(e.to_string()))
}

/// How to run the isolated extractor: a program (normally the `panelist` binary itself)
/// and the arguments before the PDF path.
#[derive(Debug, Clone)]
pub struct Extractor {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub timeout: Duration,
}

impl Extractor {
    /// Runs the extractor on a PDF file and returns its text.
    ///
    /// The child is a stranger's file's reader, so it gets nothing it does not need: an
    /// empty environment (no API keys, no proxy settings), [`CHILD_MEMORY_BYTES`] of
    /// address space, CPU seconds just past the time limit, no files written and no core
    /// dumps; the wall-clock limit still applies on top.
    pub fn extract(&self, pdf: &Path) -> Result<String, ResumeError> {
        let cpu_seconds = self.timeout.as_secs() + 1;
        let mut command = Command::new(&self.program);
        command
            .args(&self.args)
            .arg(pdf)
            .env_clear()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // SAFETY: the closure runs in the forked child before exec and only calls
        // setrlimit(2), which is async-signal-safe; it allocates nothing and touches no
        // lock.
        #[allow(unsafe_code)]
        unsafe {
            command.pre_exec(move || limit_child(cpu_seconds));
        }
        let mut child = command.spawn().map_err(|e| {
            ResumeError::ExtractionFailed(format!("cannot start the extractor: {e}"))
        })?;
        // Read both pipes on threads so a chatty child never blocks on a full pipe.
        let mut stdout = child.stdout.take();
        let mut stderr = child.stderr.take();
        let overflowed = Arc::new(AtomicBool::new(false));
        let out = std::thread::spawn({
            let overflowed = Arc::clone(&overflowed);
            move || {
                let mut buf = Vec::new();
                if let Some(s) = stdout.as_mut() {
                    let _ = s.take(MAX_CHILD_OUTPUT_BYTES + 1).read_to_end(&mut buf);
                }
                if buf.len() as u64 > MAX_CHILD_OUTPUT_BYTES {
                    overflowed.store(true, Ordering::SeqCst);
                }
                buf
            }
        });
        let err = std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stderr.as_mut() {
                let _ = s.take(64 * 1024).read_to_end(&mut buf);
            }
            buf
        });
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if overflowed.load(Ordering::SeqCst) => {
                    // Over the cap: nobody reads the pipe any more, so the child would
                    // block on it until the time limit.
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(ResumeError::TooMuchText);
                }
                Ok(None) if started.elapsed() >= self.timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(ResumeError::TimedOut(self.timeout));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(e) => return Err(ResumeError::ExtractionFailed(e.to_string())),
            }
        };
        let out = out.join().unwrap_or_default();
        let err = err.join().unwrap_or_default();
        if out.len() as u64 > MAX_CHILD_OUTPUT_BYTES {
            return Err(ResumeError::TooMuchText);
        }
        if !status.success() {
            return Err(ResumeError::ExtractionFailed(failure_reason(&err, &status)));
        }
        String::from_utf8(out)
            .map_err(|_| ResumeError::ExtractionFailed("the parser produced invalid text".into()))
    }
}

/// One line that says why the child failed, from its stderr and exit status.
fn failure_reason(stderr: &[u8], status: &std::process::ExitStatus) -> String {
    let message = String::from_utf8_lossy(stderr);
    if message.contains("memory allocation of") {
        return format!(
            "it needs more memory than a résumé may use ({} MB); it may be built to exhaust memory",
            CHILD_MEMORY_BYTES / (1024 * 1024)
        );
    }
    let line = message
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("note: run with `RUST_BACKTRACE"));
    match (line, std::os::unix::process::ExitStatusExt::signal(status)) {
        (Some(line), _) => line.to_string(),
        (None, Some(signal)) => {
            format!("the parser was stopped (signal {signal}), at its memory or CPU limit")
        }
        (None, None) => "the parser failed".to_string(),
    }
}

/// Applied in the child between fork and exec.
fn limit_child(cpu_seconds: u64) -> std::io::Result<()> {
    let limits = [
        (libc::RLIMIT_AS, CHILD_MEMORY_BYTES),
        (libc::RLIMIT_CPU, cpu_seconds),
        // The reader writes nothing but its pipe.
        (libc::RLIMIT_FSIZE, 0),
        (libc::RLIMIT_CORE, 0),
    ];
    for (resource, value) in limits {
        let limit = libc::rlimit {
            rlim_cur: value,
            rlim_max: value,
        };
        // SAFETY: a plain system call on a stack value.
        #[allow(unsafe_code)]
        let rc = unsafe { libc::setrlimit(resource, &limit) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Reads a résumé file: checks size and type, extracts PDF text through `extractor`,
/// and returns normalised text.
pub fn load(path: &Path, extractor: &Extractor) -> Result<String, ResumeError> {
    let unreadable = |e: std::io::Error| ResumeError::Unreadable {
        path: path.display().to_string(),
        detail: e.to_string(),
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_RESUME_BYTES {
        return Err(ResumeError::TooLarge { size });
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    let text = match sniff(&bytes)? {
        FileKind::Text => String::from_utf8(bytes).map_err(|_| ResumeError::NotUtf8)?,
        FileKind::Pdf => {
            if is_encrypted_pdf(&bytes) {
                return Err(ResumeError::Encrypted);
            }
            extractor.extract(path)?
        }
    };
    let text = normalise(&text);
    if text.is_empty() {
        return Err(ResumeError::NoText);
    }
    Ok(text)
}

/// Collapses runs of blank space, keeps line breaks, drops control characters, caps length.
pub fn normalise(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            l.chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n").chars().take(MAX_TEXT_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_goes_by_content_not_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Ok(FileKind::Pdf));
        assert_eq!(sniff("Jane Doe — Rust".as_bytes()), Ok(FileKind::Text));
        assert!(matches!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0"),
            Err(ResumeError::UnsupportedType {
                looks_like: "a PNG image"
            })
        ));
        assert_eq!(sniff(b""), Err(ResumeError::Empty));
        assert!(sniff(b"abc\0def").is_err());
    }

    #[test]
    fn encryption_is_detected() {
        assert!(is_encrypted_pdf(b"%PDF-1.4 trailer << /Encrypt 5 0 R >>"));
        assert!(!is_encrypted_pdf(b"%PDF-1.4 trailer << /Root 1 0 R >>"));
    }

    #[test]
    fn text_is_normalised() {
        assert_eq!(normalise("  a \t b\n\n\u{7}c  \n"), "a b\nc");
    }
}
