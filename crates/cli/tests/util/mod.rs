//! A small harness: a fresh data directory per test and helpers to run the binary.
#![allow(dead_code)] // Each test binary uses a different part of the harness.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_panelist");

pub const RESUME: &str = "Jane Doe\nSenior Engineer at Acme Robotics, 2019-2023\n\
Built data pipelines in Python and PostgreSQL on Kubernetes.\n\
Project: Fleet Tracker - real-time GPS dashboard\n";

/// Evasive one-liners.
pub const WEAK_ANSWERS: &str = "I have done that before.\nIt depends.\nNot sure, it is fine.\n\
I would google it.\nMaybe.\nI think so.\nYes.\nIt works.\nI don't know.\nPass.\n";

/// The default speech model (tiny.en on CTranslate2), fetched by `models/fetch-model.sh`.
pub fn model_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/tiny.en-ct2")
}

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// Runs the binary on this data directory: (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(BIN)
            .env("PANELIST_DATA_DIR", self.dir.path())
            .env("PANELIST_WHISPER_MODEL", model_path())
            .args(args)
            .output()
            .expect("run panelist");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs with `input` on standard input: (exit code, stdout, stderr).
    pub fn run_with_stdin(&self, args: &[&str], input: &str) -> (i32, String, String) {
        use std::io::Write;
        let mut child = Command::new(BIN)
            .env("PANELIST_DATA_DIR", self.dir.path())
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run panelist");
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(input.as_bytes()).expect("stdin");
        }
        let out = child.wait_with_output().expect("wait");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs and requires success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "panelist {args:?} failed: {err}");
        out
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join("inputs").join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, bytes).expect("write");
        path
    }

    /// Creates and publishes an interview; returns its id.
    pub fn published_interview(
        &self,
        role: &str,
        description: &str,
        difficulty: &str,
        focus: &str,
        minutes: u32,
        questions: u32,
    ) -> String {
        let id = self
            .ok(&[
                "interview",
                "create",
                "--role",
                role,
                "--description",
                description,
                "--difficulty",
                difficulty,
                "--focus",
                focus,
                "--minutes",
                &minutes.to_string(),
                "--questions",
                &questions.to_string(),
            ])
            .trim()
            .to_string();
        self.ok(&["interview", "publish", &id]);
        id
    }

    /// Runs interview `code` (an id or kiosk code) for a candidate with the answers in
    /// `answers`, one a line; returns the session id.
    pub fn run_interview(&self, code: &str, name: &str, email: &str, answers: &Path) -> String {
        let answers = answers.to_str().expect("answers path");
        let out = self.ok(&[
            "interview",
            "run",
            code,
            "--name",
            name,
            "--email",
            email,
            "--answers",
            answers,
        ]);
        out.lines().last().unwrap_or_default().trim().to_string()
    }

    pub fn store(&self) -> panelist_store::Store {
        panelist_store::Store::open(&self.dir.path().join("panelist.sqlite3")).expect("open store")
    }
}

/// An answer that covers every key point of a question, with an example and reasons,
/// the way a well-prepared candidate would speak.
pub fn strong_answer(question: &Value) -> String {
    let mut s = String::from("First, let me explain the idea. ");
    for kp in question["key_points"].as_array().into_iter().flatten() {
        let term = kp["terms"][0].as_str().unwrap_or_default();
        let label = kp["label"].as_str().unwrap_or_default();
        let _ = label;
        s.push_str(&format!("One thing I always consider is {term}. "));
    }
    s.push_str(
        "For example, in my last project we measured latency before and after the change and it \
         improved by 40 percent, because we compared the options and chose the simpler one. \
         Finally, I would test it again in production.",
    );
    s
}

/// A one-page PDF with one line of text in Helvetica, with a correct cross-reference table.
pub fn minimal_pdf(text: &str) -> Vec<u8> {
    pdf_with_lines(&[text])
}

/// A one-page PDF with one line of Helvetica text per item, top to bottom, as a word
/// processor would write it (each line moved down with `Td`).
pub fn pdf_with_lines(lines: &[&str]) -> Vec<u8> {
    let mut stream = String::from("BT /F1 11 Tf 72 760 Td");
    for (i, line) in lines.iter().enumerate() {
        let escaped = line
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        if i > 0 {
            stream.push_str(" 0 -14 Td");
        }
        stream.push_str(&format!(" ({escaped}) Tj"));
    }
    stream.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// The password of the accounts `staff_accounts` creates.
pub const STAFF_PASSWORD: &str = "a long enough passphrase";

/// Admin mode's accounts on this data directory: root@ (admin), rita@ (recruiter),
/// hugo@ (hr), all at example.com.
pub fn staff_accounts(env: &Env) {
    let app = panelist_service::Panelist::open(
        env.dir.path(),
        panelist_resume::Extractor {
            program: "false".into(),
            args: vec![],
            timeout: std::time::Duration::from_secs(1),
        },
    )
    .expect("open");
    let mut admin = panelist_admin::Admin::new(app);
    admin
        .create_first_admin("root@example.com", "Root", STAFF_PASSWORD)
        .expect("admin");
    for (email, name, role) in [
        ("rita@example.com", "Rita", panelist_core::Role::Recruiter),
        ("hugo@example.com", "Hugo", panelist_core::Role::Hr),
    ] {
        admin
            .create_user(email, name, role, STAFF_PASSWORD)
            .expect("account");
    }
}
