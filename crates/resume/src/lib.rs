//! Résumé intake.
//!
//! A résumé is untrusted input from a stranger at a kiosk. This crate refuses what it
//! cannot handle before touching it (size, type by magic bytes, encryption), and runs
//! PDF text extraction in a child process with a time limit, because the PDF parser is
//! known to panic and to hang on some files. A failed extraction is an error the caller
//! reports and moves past: the interview goes on without a résumé question.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Résumés larger than this are refused.
pub const MAX_RESUME_BYTES: u64 = 10 * 1024 * 1024;

/// Extracted text is cut to this many characters (a résumé is a few pages).
pub const MAX_TEXT_CHARS: usize = 40_000;

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
    pub fn extract(&self, pdf: &Path) -> Result<String, ResumeError> {
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .arg(pdf)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                ResumeError::ExtractionFailed(format!("cannot start the extractor: {e}"))
            })?;
        // Read both pipes on threads so a chatty child never blocks on a full pipe.
        let mut stdout = child.stdout.take();
        let mut stderr = child.stderr.take();
        let out = std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stdout.as_mut() {
                let _ = s.take(64 * 1024 * 1024).read_to_end(&mut buf);
            }
            buf
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
        if !status.success() {
            let message = String::from_utf8_lossy(&err);
            let line = message
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("the parser failed")
                .trim()
                .to_string();
            return Err(ResumeError::ExtractionFailed(line));
        }
        String::from_utf8(out)
            .map_err(|_| ResumeError::ExtractionFailed("the parser produced invalid text".into()))
    }
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
