//! What one exported report is made of.

use chrono::{DateTime, Utc};
use panelist_core::{InterviewId, Report, ScoreAdjustment};

/// Facts about the session that the report JSON does not carry, filled in by the service.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionFacts {
    pub interview_id: InterviewId,
    pub revision: u32,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The person who signed the report off, as printed (PDF footer, CSV column).
    pub reviewed_by: Option<String>,
    /// The human review, when the report has one: the JSON export carries it.
    pub review: Option<ReviewFacts>,
}

/// A report's sign-off and the score adjustments made before it. The report's scores
/// are already the ones in force; `adjustments` keeps the brain's originals.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewFacts {
    pub by: String,
    pub at: DateTime<Utc>,
    pub note: String,
    pub adjustments: Vec<ScoreAdjustment>,
}

/// One report to export, with its session facts.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportItem {
    pub report: Report,
    pub facts: SessionFacts,
}

impl ExportItem {
    /// When the interview took place: its start, or when the report was made if the
    /// session never recorded a start.
    pub fn date(&self) -> DateTime<Utc> {
        self.facts.started_at.unwrap_or(self.report.generated_by.at)
    }

    /// How long the interview lasted, start to end, in whole seconds; without both times
    /// it is the candidate's total answering time.
    pub fn duration_seconds(&self) -> u64 {
        match (self.facts.started_at, self.facts.ended_at) {
            (Some(start), Some(end)) if end >= start => (end - start).num_seconds().unsigned_abs(),
            _ => self
                .report
                .responses
                .iter()
                .map(|r| r.answer_seconds.max(0.0))
                .sum::<f64>()
                .round() as u64,
        }
    }

    /// A file name (without extension) that sorts by date, says whose report it is and
    /// cannot collide: the session id is part of it.
    pub fn file_stem(&self) -> String {
        let mut slug = String::new();
        for c in self.report.candidate.name.chars() {
            if c.is_alphanumeric() {
                slug.extend(c.to_lowercase());
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
            if slug.chars().count() >= 40 {
                break;
            }
        }
        let slug = slug.trim_end_matches('-');
        let slug = if slug.is_empty() { "candidate" } else { slug };
        format!(
            "{}_{}_{}",
            self.date().format("%Y-%m-%d"),
            slug,
            self.report.session_id
        )
    }
}

/// Formats seconds as `12 min 05 s` (or `45 s`).
pub(crate) fn format_duration(seconds: u64) -> String {
    let (m, s) = (seconds / 60, seconds % 60);
    if m == 0 {
        format!("{s} s")
    } else {
        format!("{m} min {s:02} s")
    }
}
