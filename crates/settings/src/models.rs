//! Whisper models by name: the one lookup the CLI, the kiosk and admin mode use.
//!
//! A model name is one of two things in a models folder:
//! - a CTranslate2 model folder `<name>/` (`model.bin`, `config.json`, `tokenizer.json`:
//!   `tiny.en-ct2`, `base-ct2`), which the CTranslate2 engine loads — the default engine;
//! - a whisper.cpp file `ggml-<name>.bin` (`tiny.en`, `tiny.en-q8_0`, `base`, `base-q5_1`, …).
//!
//! The folders searched: `models/` in the working directory, `models/` in
//! the data directory, the installed models next to the program
//! (`/usr/share/panelist/models` from the .deb), then, in debug builds only, the
//! repository's `models/`; the first that holds it wins. `models/fetch-model.sh NAME` makes them.
//!
//! Which model: an explicit choice (the CLI's `--model`), then `PANELIST_WHISPER_MODEL`
//! (a path, for tests and odd installs), then the `whisper_model` setting, then
//! [`DEFAULT_MODEL`]. An explicit choice or a setting may be a name or a path (a file or a folder);
//! a name that no folder holds is refused with the names that are there.

use std::path::{Path, PathBuf};

/// The model used when nothing names one: whisper base on the CTranslate2 engine, chosen
/// by measurement (README.md, "Which speech model"): the most accurate model here whose
/// wait after an answer ends is within the conversation's latency budget; multilingual,
/// so interviews in German, French or Spanish need no other model.
pub const DEFAULT_MODEL: &str = "base-ct2";

/// The environment variable that names a model file, ahead of any setting.
pub const MODEL_ENV: &str = "PANELIST_WHISPER_MODEL";

/// Longest model name accepted (names come from settings files and the admin form).
pub const MAX_NAME_LEN: usize = 64;

/// At most this many directory entries are looked at per folder when listing models.
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("'{0}' is not a model name: use letters, digits, '.', '-' or '_' (at most 64 characters), such as tiny.en or base-q8_0")]
    BadName(String),
    #[error("no whisper model named '{name}' (looked for the folder {name} or {file} in {looked_in}); {available}; models/fetch-model.sh {name} makes it if it is one it knows")]
    NotFound {
        name: String,
        file: String,
        looked_in: String,
        available: String,
    },
    #[error("the whisper model {0} does not exist (a ggml file or a CTranslate2 model folder)")]
    NoFile(PathBuf),
}

/// The file name of a model: `ggml-<name>.bin`.
pub fn file_name(name: &str) -> String {
    format!("ggml-{name}.bin")
}

/// Checks a model name: ASCII letters, digits, `.`, `-`, `_`, not starting with a dot,
/// at most [`MAX_NAME_LEN`] characters (so a name can never leave its folder).
pub fn check_name(name: &str) -> Result<&str, ModelError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(name)
    } else {
        Err(ModelError::BadName(
            name.chars().take(MAX_NAME_LEN).collect(),
        ))
    }
}

/// The folders searched for models, in order: `models/` in the working directory,
/// `models/` in the data directory (when there is one), the installed models next to the
/// program (`<prefix>/share/panelist/models` for `<prefix>/bin/panelist`: what the .deb
/// ships in `/usr/share/panelist/models`), and in debug builds (tests, development) the
/// repository's `models/`. A release build knows no path of the source tree.
pub fn search_dirs(data_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("models")];
    if let Some(d) = data_dir {
        dirs.push(d.join("models"));
    }
    if let Some(installed) = std::env::current_exe()
        .ok()
        .and_then(|exe| installed_dir(&exe))
    {
        dirs.push(installed);
    }
    #[cfg(debug_assertions)]
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"));
    dirs
}

/// The installed models' folder for a program at `exe`: `../share/panelist/models` from the
/// folder that holds it (`/usr/bin/panelist` → `/usr/share/panelist/models`).
pub fn installed_dir(exe: &Path) -> Option<PathBuf> {
    let prefix = exe.parent()?.parent()?;
    Some(prefix.join("share").join("panelist").join("models"))
}

/// Whether `path` is a CTranslate2 Whisper model folder (what faster-whisper loads, and
/// the CTranslate2 engine): `model.bin`, `config.json` and `tokenizer.json` inside.
pub fn is_ct2_folder(path: &Path) -> bool {
    path.join("model.bin").is_file()
        && path.join("config.json").is_file()
        && path.join("tokenizer.json").is_file()
}

/// Whether `path` is a model either engine loads: a ggml file or a CTranslate2 folder.
pub fn is_model(path: &Path) -> bool {
    (path.is_file() && is_ggml(path)) || is_ct2_folder(path)
}

/// Whether a file starts with ggml's magic (0x67676d6c, little-endian).
fn is_ggml(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .map(|()| magic == *b"lmgg")
        .unwrap_or(false)
}

/// The names of the models the folders hold (`ggml-<name>.bin` files with ggml's magic,
/// and CTranslate2 model folders), sorted and without repeats.
pub fn available(dirs: &[PathBuf]) -> Vec<String> {
    let mut names = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.take(MAX_ENTRIES).flatten() {
            let file = entry.file_name();
            let Some(file) = file.to_str() else {
                continue;
            };
            let path = entry.path();
            if check_name(file).is_ok() && is_ct2_folder(&path) {
                names.push(file.to_string());
                continue;
            }
            let Some(name) = file
                .strip_prefix("ggml-")
                .and_then(|f| f.strip_suffix(".bin"))
            else {
                continue;
            };
            if check_name(name).is_ok() && path.is_file() && is_ggml(&path) {
                names.push(name.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The model called `name` in the first folder that holds it: its CTranslate2 folder
/// `<name>/` or its file `ggml-<name>.bin`.
pub fn find(name: &str, dirs: &[PathBuf]) -> Result<PathBuf, ModelError> {
    let name = check_name(name)?;
    let file = file_name(name);
    for dir in dirs {
        let folder = dir.join(name);
        if is_ct2_folder(&folder) {
            return Ok(folder);
        }
        let path = dir.join(&file);
        if path.is_file() {
            return Ok(path);
        }
    }
    let names = available(dirs);
    Err(ModelError::NotFound {
        name: name.to_string(),
        file,
        looked_in: dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        available: if names.is_empty() {
            "there are no models there".to_string()
        } else {
            format!("models there: {}", names.join(", "))
        },
    })
}

/// A model given as a path (to a file, or to a CTranslate2 folder) or as a name: an
/// existing file or model folder is taken as it is, anything else must be a name the
/// folders hold.
pub fn find_arg(arg: &str, dirs: &[PathBuf]) -> Result<PathBuf, ModelError> {
    let path = Path::new(arg);
    if path.is_file() || (arg.contains('/') && is_ct2_folder(path)) {
        return Ok(path.to_path_buf());
    }
    if arg.contains(std::path::MAIN_SEPARATOR) || arg.contains('/') || arg.ends_with(".bin") {
        return Err(ModelError::NoFile(path.to_path_buf()));
    }
    find(arg, dirs)
}

/// The model file to load: `explicit` (a path or a name), then `PANELIST_WHISPER_MODEL`
/// (a path, taken as it is), then `setting` (a path or a name), then [`DEFAULT_MODEL`],
/// looked up in [`search_dirs`] for `data_dir`.
pub fn resolve(
    explicit: Option<&str>,
    setting: Option<&str>,
    data_dir: Option<&Path>,
) -> Result<PathBuf, ModelError> {
    let dirs = search_dirs(data_dir);
    if let Some(arg) = explicit {
        return find_arg(arg, &dirs);
    }
    if let Some(path) = std::env::var_os(MODEL_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    find_arg(setting.unwrap_or(DEFAULT_MODEL), &dirs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_file(dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(file_name(name));
        std::fs::write(&path, b"lmgg and the rest").expect("write");
        path
    }

    #[test]
    fn an_installed_program_finds_the_models_its_package_ships() {
        assert_eq!(
            installed_dir(Path::new("/usr/bin/panelist-kiosk")),
            Some(PathBuf::from("/usr/share/panelist/models"))
        );
        assert_eq!(
            installed_dir(Path::new("/opt/panelist/bin/panelist")),
            Some(PathBuf::from("/opt/panelist/share/panelist/models"))
        );
        assert_eq!(installed_dir(Path::new("panelist")), None);
        // This test binary's own prefix is among the folders searched.
        let exe = std::env::current_exe().expect("test binary");
        let dirs = search_dirs(None);
        assert!(dirs.contains(&installed_dir(&exe).expect("prefix")));
    }

    #[test]
    fn names_are_bounded_and_cannot_leave_their_folder() {
        for good in ["tiny.en", "tiny.en-q8_0", "base", "base-q5_1", "large_v3"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        let long = "a".repeat(MAX_NAME_LEN + 1);
        for bad in [
            "",
            "../base",
            "a/b",
            ".hidden",
            "tiny en",
            "tiny\0",
            long.as_str(),
        ] {
            assert!(
                matches!(check_name(bad), Err(ModelError::BadName(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn lookup_by_name_first_folder_wins_and_unknown_names_list_what_exists() {
        let a = tempfile::tempdir().expect("tempdir");
        let b = tempfile::tempdir().expect("tempdir");
        let tiny_a = model_file(a.path(), "tiny.en");
        model_file(b.path(), "tiny.en");
        let base_b = model_file(b.path(), "base-q8_0");
        // Not models: wrong magic, wrong prefix, a folder with the right name.
        std::fs::write(b.path().join("ggml-fake.bin"), b"not a model").expect("write");
        std::fs::write(b.path().join("tiny.bin"), b"lmgg").expect("write");
        std::fs::create_dir(b.path().join("ggml-dir.bin")).expect("mkdir");
        let dirs = vec![a.path().to_path_buf(), b.path().to_path_buf()];

        assert_eq!(available(&dirs), ["base-q8_0", "tiny.en"]);
        assert_eq!(find("tiny.en", &dirs).expect("tiny.en"), tiny_a);
        assert_eq!(find("base-q8_0", &dirs).expect("base-q8_0"), base_b);
        let err = find("small", &dirs).expect_err("small is not there");
        let text = err.to_string();
        assert!(matches!(err, ModelError::NotFound { .. }), "{err:?}");
        assert!(text.contains("'small'"), "{text}");
        assert!(text.contains("ggml-small.bin"), "{text}");
        assert!(text.contains("models there: base-q8_0, tiny.en"), "{text}");
        let none = find("base", &[]).expect_err("no folders");
        assert!(
            none.to_string().contains("there are no models there"),
            "{none}"
        );
    }

    fn ct2_folder(dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir(&path).expect("mkdir");
        for f in ["model.bin", "config.json", "tokenizer.json"] {
            std::fs::write(path.join(f), b"{}").expect("write");
        }
        path
    }

    #[test]
    fn ctranslate2_folders_are_models_by_their_folder_name() {
        let a = tempfile::tempdir().expect("tempdir");
        let b = tempfile::tempdir().expect("tempdir");
        let tiny = ct2_folder(b.path(), "tiny.en-ct2");
        model_file(a.path(), "tiny.en");
        // Not models: a folder without the tokenizer, a hidden folder, a bad name.
        let partial = a.path().join("base-ct2");
        std::fs::create_dir(&partial).expect("mkdir");
        std::fs::write(partial.join("model.bin"), b"x").expect("write");
        std::fs::write(partial.join("config.json"), b"{}").expect("write");
        ct2_folder(a.path(), ".base-ct2.partial");
        ct2_folder(a.path(), "two words");
        let dirs = vec![a.path().to_path_buf(), b.path().to_path_buf()];

        assert_eq!(available(&dirs), ["tiny.en", "tiny.en-ct2"]);
        assert_eq!(find("tiny.en-ct2", &dirs).expect("folder"), tiny);
        assert!(is_model(&tiny) && !is_model(&partial));
        let err = find("base-ct2", &dirs).expect_err("incomplete folder");
        assert!(err.to_string().contains("the folder base-ct2"), "{err}");
        // A path to the folder is taken as it is; a path to a folder that is not a
        // model is refused.
        let arg = tiny.to_str().expect("utf-8");
        assert_eq!(find_arg(arg, &dirs).expect("path"), tiny);
        assert!(matches!(
            find_arg(partial.to_str().expect("utf-8"), &dirs),
            Err(ModelError::NoFile(_))
        ));
    }

    #[test]
    fn an_argument_is_a_file_or_a_name() {
        let a = tempfile::tempdir().expect("tempdir");
        let custom = a.path().join("my-model.bin");
        std::fs::write(&custom, b"lmgg").expect("write");
        let base = model_file(a.path(), "base");
        let dirs = vec![a.path().to_path_buf()];
        let custom_arg = custom.to_str().expect("utf-8 path");
        assert_eq!(find_arg(custom_arg, &dirs).expect("path"), custom);
        assert_eq!(find_arg("base", &dirs).expect("name"), base);
        let missing = a.path().join("gone.bin");
        assert!(matches!(
            find_arg(missing.to_str().expect("utf-8"), &dirs),
            Err(ModelError::NoFile(p)) if p == missing
        ));
        assert!(matches!(
            find_arg("gone.bin", &dirs),
            Err(ModelError::NoFile(_))
        ));
        assert!(matches!(
            find_arg("tiny.en", &dirs),
            Err(ModelError::NotFound { .. })
        ));
    }
}
