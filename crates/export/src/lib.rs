//! Reports as files, for HR: a typeset PDF with a chart of the competency scores, a CSV
//! that compares candidates (one row per session), the versioned report JSON, and bulk
//! export of many reports into a folder or one zip file.
//!
//! The library is handed [`ExportItem`]s (a report plus the session facts a report does not
//! hold) and never touches the database: the service layer selects and loads reports and
//! calls these functions, so the CLI and the admin UI share one implementation.
//!
//! Files are written whole or not at all (beside the destination, then renamed), and an
//! existing file is never replaced unless the caller asks for it.

mod bulk;
mod csv_export;
mod error;
mod files;
mod item;
mod json;
pub mod pdf;

pub use bulk::{
    export_bulk, export_one, Destination, ExportOptions, ExportSummary, Format, UnknownFormat,
    WrittenFile, CSV_FILE_NAME,
};
pub use csv_export::{csv_rows, neutralise_cell, write_csv, CsvRow, CSV_HEADER};
pub use error::ExportError;
pub use item::{ExportItem, ReviewFacts, SessionFacts};
pub use json::{item_json, report_json, REPORT_SCHEMA};
pub use pdf::{render_pdf, Paper};

/// The version of Panelist that generates files, printed in PDF footers.
pub const GENERATOR: &str = concat!("Panelist ", env!("CARGO_PKG_VERSION"));

pub type Result<T, E = ExportError> = std::result::Result<T, E>;
