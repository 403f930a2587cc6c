//! The report as versioned JSON (design.md's shape with `schema_version`).

use panelist_core::Report;

use crate::Result;

/// The JSON Schema of the report JSON (`assets/report.schema.json`), for other systems and
/// for the tests that validate every export against it.
pub const REPORT_SCHEMA: &str = include_str!("../../../assets/report.schema.json");

/// The report as pretty-printed JSON with a trailing newline.
pub fn report_json(report: &Report) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(report)?;
    bytes.push(b'\n');
    Ok(bytes)
}
