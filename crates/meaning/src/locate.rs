//! Where the meaning model is found: the folder [`MODEL_DIR`] in `models/` of the working
//! directory, of the data directory, in the installed models next to the program, then
//! (debug builds) in the repository: the same places as the whisper models.
//! `PANELIST_MEANING_MODEL` names the folder itself, or `off` to score without it.

use std::path::{Path, PathBuf};

/// The model's folder name inside a `models/` folder.
pub const MODEL_DIR: &str = "all-MiniLM-L6-v2";
/// The environment variable that names the model's folder, or `off`.
pub const ENV: &str = "PANELIST_MEANING_MODEL";

/// The `models/` folders searched, in order — the same places as the whisper models
/// (`panelist_transcribe::models::search_dirs`): `models/` in the working directory,
/// `models/` in the data directory, the installed models next to the program
/// (`<prefix>/share/panelist/models`: `/usr/share/panelist/models` from the .deb), and in
/// debug builds (tests, development) the repository's `models/`. A release build knows no
/// path of the source tree.
pub fn search_dirs(data_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("models")];
    if let Some(d) = data_dir {
        dirs.push(d.join("models"));
    }
    if let Some(prefix) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent()?.parent().map(Path::to_path_buf))
    {
        dirs.push(prefix.join("share").join("panelist").join("models"));
    }
    #[cfg(debug_assertions)]
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
