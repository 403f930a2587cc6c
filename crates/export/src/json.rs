//! The report as versioned JSON (design.md's shape with `schema_version`).

use panelist_core::report::review_json;
use panelist_core::{Report, ReportReview};

use crate::{ExportItem, Result};

/// The JSON Schema of the report JSON (`assets/report.schema.json`), for other systems and
/// for the tests that validate every export against it.
pub const REPORT_SCHEMA: &str = include_str!("../../../assets/report.schema.json");

/// The report as pretty-printed JSON with a trailing newline.
pub fn report_json(report: &Report) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(report)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// An exported report: the report JSON plus `review`, the human sign-off (null while the
/// report is a draft) with every score adjustment and the brain's original score.
pub fn item_json(item: &ExportItem) -> Result<Vec<u8>> {
    let mut value = serde_json::to_value(&item.report)?;
    let review = match &item.facts.review {
        None => serde_json::Value::Null,
        Some(r) => review_json(
            &ReportReview {
                session_id: item.report.session_id,
                by: r.by.clone(),
                at: r.at,
                note: r.note.clone(),
            },
            &r.adjustments,
        ),
    };
    if let serde_json::Value::Object(map) = &mut value {
        map.insert("review".into(), review);
    }
    let mut bytes = serde_json::to_vec_pretty(&value)?;
    bytes.push(b'\n');
    Ok(bytes)
}
