//! Where the meaning model is found: the folder [`MODEL_DIR`] in `models/` of the working
//! directory, of the data directory, in the installed models next to the program, then
//! (debug builds) in the repository: the same places as the whisper models.
//! `PANELIST_MEANING_MODEL` names the folder itself, or `off` to score without it.

use std::path::{Path, PathBuf};

/// The model's folder name inside a `models/` folder.
pub const MODEL_DIR: &str = "all-MiniLM-L6-v2";
/// The environment variable that names the model's folder, or `off`.
pub const ENV: &str = "PANELIST_MEANING_MODEL";

/// The `models/` folders searched, in order: the same places as the whisper models, by the
/// one locator in `panelist_settings::models::search_dirs` (`models/` in the working
/// directory, in the data directory, the installed models next to the program, and in debug
/// builds the repository's `models/`).
pub use panelist_settings::models::search_dirs;

/// Whether a folder holds the three files the model needs.
pub fn is_model_dir(dir: &Path) -> bool {
    ["model.safetensors", "config.json", "tokenizer.json"]
        .iter()
        .all(|f| dir.join(f).is_file())
}

/// The model's folder: `PANELIST_MEANING_MODEL` when set (`off`: none), else the first
/// `models/all-MiniLM-L6-v2` in [`search_dirs`] that holds the model.
pub fn find(data_dir: Option<&Path>) -> Option<PathBuf> {
    match std::env::var_os(ENV) {
        Some(v) if v == "off" || v.is_empty() => None,
        Some(v) => Some(PathBuf::from(v)),
        None => search_dirs(data_dir)
            .into_iter()
            .map(|d| d.join(MODEL_DIR))
            .find(|d| is_model_dir(d)),
    }
}
