//! Where Panelist keeps its data.

use std::path::{Path, PathBuf};

use panelist_core::SessionId;

/// The database file inside a data directory.
pub const DATABASE_FILE: &str = "panelist.sqlite3";

/// The platform's data directory for Panelist (for example `~/.local/share/panelist`).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Panelist", "panelist")
        .map(|d| d.data_dir().to_path_buf())
}

/// The folder of answer recordings inside a data directory.
pub const ANSWERS_DIR: &str = "audio";

/// Where an answer's recording lives: `audio/<session>-q<question number>.wav` in the data
/// directory, whoever records it (the kiosk or the CLI). Erasure and retention find it by
/// its response row; the kiosk's start removes files of this folder no row names.
pub fn answer_audio_path(data_dir: &Path, session: SessionId, question: u32) -> PathBuf {
    data_dir
        .join(ANSWERS_DIR)
        .join(format!("{session}-q{question}.wav"))
}
