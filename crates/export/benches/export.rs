//! Prints the time and peak memory of exporting one PDF and of a bulk export of 500
//! reports (PDF into a folder, and PDF, CSV and JSON into zips).
//! Targets (issue 8): one PDF ≤ 150 ms; 500 PDFs ≤ 60 s on the 2-core reference machine.
//!
//! Run with `cargo bench -p panelist-export` (release build).

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use panelist_core::report::{
    AnswerQuality, GeneratedBy, OverallAssessment, Recommendation, ReportCandidate,
    ReportInterview, ReportResponse, Scores, REPORT_SCHEMA_VERSION,
};
use panelist_core::{Difficulty, InterviewId, QuestionType, Report, SessionId};
use panelist_export::{
    export_bulk, render_pdf, Destination, ExportItem, ExportOptions, Format, Paper, SessionFacts,
};

const NAMES: [&str; 4] = ["José Müller", "Zoë Ångström", "李雷", "Jane Doe"];

/// A realistic report: five presets with a follow-up each, answers of about 150 words.
fn item(n: usize) -> ExportItem {
    let answer = "I would start from the business question, check the data for leakage, \
                  and compare the model against a simple baseline before tuning anything. "
        .repeat(6);
    let mut responses = Vec::new();
    for q in 1..=5 {
        for (label, kind) in [
            (format!("Q{q}"), QuestionType::Preset),
            (format!("Q{q} Follow-up 1"), QuestionType::FollowUp),
        ] {
            let score = ((n * 7 + q * 13) % 100) as u8;
            responses.push(ReportResponse {
                display_label: label,
                question_type: kind,
                question_text: "How do you validate a model before it reaches production?".into(),
                candidate_answer: answer.clone(),
                key_points: vec![
                    "cross-validation".into(),
                    "leakage".into(),
                    "baseline".into(),
                ],
                matched: vec![
                    "cross-validation (said: \"k-fold\")".into(),
                    "baseline".into(),
                ],
                missed: vec!["leakage".into()],
                answer_quality: AnswerQuality::from_score(score, false),
                improvement: "Say how you keep test data out of training.".into(),
                score,
                evidence: vec![
                    "matched: cross-validation".into(),
                    "missed: leakage".into(),
                    "pace: 140 words per minute".into(),
                ],
                answer_seconds: 65.0,
            });
        }
    }
    let at = Utc
        .with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .unwrap_or_default()
        + chrono::Duration::minutes(n as i64);
    ExportItem {
        report: Report {
            schema_version: REPORT_SCHEMA_VERSION,
            session_id: SessionId::new(),
            interview: ReportInterview {
                job_role: "Data Scientist".into(),
                difficulty: Difficulty::Hard,
                focus_areas: vec!["ML".into(), "Python".into()],
                language: Default::default(),
            },
            candidate: ReportCandidate {
                name: format!("{} {n}", NAMES[n % NAMES.len()]),
                email: format!("candidate{n}@example.com"),
                phone: None,
            },
            scores: Scores {
                communication: 70,
                technical: 64,
                problem_solving: 58,
                overall: 66,
            },
            responses,
            overall_assessment: OverallAssessment {
                recommendation: Recommendation::Recommend,
                strengths: vec!["Validation".into()],
                areas_for_improvement: vec!["Leakage".into()],
                summary: "Solid fundamentals with gaps in data hygiene.".into(),
            },
            generated_by: GeneratedBy {
                brain: "offline-rules v1".into(),
                at,
            },
        },
        facts: SessionFacts {
            interview_id: InterviewId::new(),
            revision: 1,
            started_at: Some(at),
            ended_at: Some(at + chrono::Duration::minutes(14)),
            reviewed_by: None,
            review: None,
        },
    }
}

/// Peak resident memory of this process so far (VmHWM), in MiB.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    // `cargo test --benches` runs benches with `--bench`-less arguments; keep that quick.
    let quick = std::env::args().any(|a| a == "--test");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("panelist-export bench ({cores} cores available)");

    let one = item(0);
    let start = Instant::now();
    let first = render_pdf(&one, Paper::A4).expect("render");
    let cold = start.elapsed();
    let runs = if quick { 2 } else { 20 };
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let _ = render_pdf(&one, Paper::A4).expect("render");
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "one PDF (10 answers, {} KiB): first {:.1} ms (parses the fonts), median {:.1} ms, max {:.1} ms [target <= 150 ms]; peak RSS {:.1} MiB",
        first.len() / 1024,
        ms(cold),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        peak_mib()
    );
    if quick {
        return;
    }

    let items: Vec<ExportItem> = (0..500).map(item).collect();
    let dir = tempfile::tempdir().expect("temp dir");
    for (label, format, dest) in [
        (
            "500 PDFs to a folder",
            Format::Pdf,
            Destination::Dir(dir.path().join("pdf")),
        ),
        (
            "500 PDFs to a zip",
            Format::Pdf,
            Destination::Zip(dir.path().join("pdf.zip")),
        ),
        (
            "500 JSON to a zip",
            Format::Json,
            Destination::Zip(dir.path().join("json.zip")),
        ),
        (
            "500 rows to one CSV",
            Format::Csv,
            Destination::Dir(dir.path().join("csv")),
        ),
    ] {
        let start = Instant::now();
        let summary = export_bulk(&items, &ExportOptions::new(format), &dest).expect("export");
        let took = start.elapsed();
        println!(
            "{label}: {:.2} s ({:.1} ms per report), {:.1} MiB written; peak RSS so far {:.1} MiB{}",
            took.as_secs_f64(),
            ms(took) / 500.0,
            summary.bytes as f64 / (1024.0 * 1024.0),
            peak_mib(),
            if format == Format::Pdf { " [target <= 60 s]" } else { "" }
        );
    }
}
