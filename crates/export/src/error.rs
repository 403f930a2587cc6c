use std::path::{Path, PathBuf};

/// Why an export failed. Nothing is left half-written when one of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{} already exists; choose another destination or allow overwriting", .0.display())]
    Exists(PathBuf),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("there are no reports to export")]
    Empty,
    #[error("cannot typeset the PDF: {0}")]
    Pdf(String),
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot encode the report as JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot write the zip file: {0}")]
    Zip(#[from] zip::result::ZipError),
}

impl ExportError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
