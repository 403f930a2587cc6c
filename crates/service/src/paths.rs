//! Where Panelist keeps its data.

use std::path::PathBuf;

/// The database file inside a data directory.
pub const DATABASE_FILE: &str = "panelist.sqlite3";

/// The platform's data directory for Panelist (for example `~/.local/share/panelist`).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Panelist", "panelist")
        .map(|d| d.data_dir().to_path_buf())
}
