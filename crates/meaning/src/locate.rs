//! Where the meaning model is found: the folder [`MODEL_DIR`] in `models/` beside the
//! program, in the working directory, in the data directory, then in the repository (a
//! program run from a checkout), the same places as the whisper models.
//! `PANELIST_MEANING_MODEL` names the folder itself, or `off` to score without it.

use std::path::{Path, PathBuf};

/// The model's folder name inside a `models/` folder.
pub const MODEL_DIR: &str = "all-MiniLM-L6-v2";
/// The environment variable that names the model's folder, or `off`.
pub const ENV: &str = "PANELIST_MEANING_MODEL";

/// The `models/` folders searched, in order.
pub fn search_dirs(data_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(bin) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        dirs.push(bin.join("models"));
    }
    dirs.push(PathBuf::from("models"));
    if let Some(d) = data_dir {
        dirs.push(d.join("models"));
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"));
    dirs
}

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
