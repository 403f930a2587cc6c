//! One CSV row per session, for comparing candidates in a spreadsheet.
//!
//! RFC 4180: comma separated, CRLF line ends, fields quoted when they hold a comma, a quote
//! or a line break. UTF-8, with an optional byte-order mark because some spreadsheet apps
//! only detect UTF-8 with one. Text cells that a spreadsheet would run as a formula are
//! neutralised (OWASP's advice: prefix them with an apostrophe).

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::{ExportItem, Result};

/// The header row, in column order.
pub const CSV_HEADER: [&str; 16] = [
    "Session",
    "Candidate",
    "Email",
    "Phone",
    "Interview",
    "Interview ID",
    "Language",
    "Date (UTC)",
    "Duration (s)",
    "Overall",
    "Technical",
    "Communication",
    "Problem solving",
    "Answers",
    "Recommendation",
    "Reviewed by",
];

/// One session's row. Text fields hold the neutralised cell text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CsvRow {
    #[serde(rename = "Session")]
    pub session: String,
    #[serde(rename = "Candidate")]
    pub candidate: String,
    #[serde(rename = "Email")]
    pub email: String,
    #[serde(rename = "Phone")]
    pub phone: String,
    #[serde(rename = "Interview")]
    pub interview: String,
    #[serde(rename = "Interview ID")]
    pub interview_id: String,
    /// The interview's language, by name ("German").
    #[serde(rename = "Language")]
    pub language: String,
    #[serde(rename = "Date (UTC)")]
    pub date: String,
    #[serde(rename = "Duration (s)")]
    pub duration_seconds: u64,
    #[serde(rename = "Overall")]
    pub overall: u8,
    #[serde(rename = "Technical")]
    pub technical: u8,
    #[serde(rename = "Communication")]
    pub communication: u8,
    #[serde(rename = "Problem solving")]
    pub problem_solving: u8,
    #[serde(rename = "Answers")]
    pub answers: usize,
    #[serde(rename = "Recommendation")]
    pub recommendation: String,
    /// Who signed the report off; empty while it waits for a human review.
    #[serde(rename = "Reviewed by")]
    pub reviewed_by: String,
}

/// Makes a text cell safe to open in a spreadsheet: a cell that begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return would be read as a formula (or hide one), so it gets a
/// leading apostrophe, which spreadsheets show as text and do not evaluate.
pub fn neutralise_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// The rows for some reports, in the order given.
pub fn csv_rows(items: &[ExportItem]) -> Vec<CsvRow> {
    items
        .iter()
        .map(|item| {
            let r = &item.report;
            CsvRow {
                session: r.session_id.to_string(),
                candidate: neutralise_cell(&r.candidate.name),
                email: neutralise_cell(&r.candidate.email),
                phone: neutralise_cell(r.candidate.phone.as_deref().unwrap_or("")),
                interview: neutralise_cell(&r.interview.job_role),
                interview_id: item.facts.interview_id.to_string(),
                language: r.interview.language.name().to_string(),
                date: item.date().format("%Y-%m-%d %H:%M:%S").to_string(),
                duration_seconds: item.duration_seconds(),
                overall: r.scores.overall,
                technical: r.scores.technical,
                communication: r.scores.communication,
                problem_solving: r.scores.problem_solving,
                answers: r.responses.len(),
                recommendation: r.overall_assessment.recommendation.as_str().to_string(),
                reviewed_by: neutralise_cell(item.facts.reviewed_by.as_deref().unwrap_or("")),
            }
        })
        .collect()
}

/// Writes the CSV of some reports (the header row even when there are none).
pub fn write_csv(items: &[ExportItem], bom: bool, out: impl Write) -> Result<()> {
    let mut out = out;
    if bom {
        out.write_all("\u{feff}".as_bytes())
            .map_err(csv::Error::from)?;
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .has_headers(false)
        .from_writer(out);
    writer.write_record(CSV_HEADER)?;
    for row in csv_rows(items) {
        writer.serialize(row)?;
    }
    writer.flush().map_err(csv::Error::from)?;
    Ok(())
}
