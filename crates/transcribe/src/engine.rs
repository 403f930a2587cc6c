//! Which engine a model is for, and loading it: the one way the kiosk, the CLI and the
//! tests turn a model (as [`crate::models`] finds it) into a [`Transcriber`].
//!
//! A CTranslate2 model folder (`tiny.en-ct2`, `base-ct2`: the default) is loaded by
//! [`crate::Ct2Transcriber`], a ggml file (`ggml-tiny.en.bin`, …) by
//! [`WhisperTranscriber`].

use std::path::Path;

use crate::{TranscribeError, Transcriber, WhisperConfig, WhisperTranscriber};

/// The speech engines a model can be for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// CTranslate2 (faster-whisper's engine), int8: a model folder.
    CTranslate2,
    /// whisper.cpp: a ggml file.
    WhisperCpp,
}

impl Engine {
    /// The engine for `model`: a folder is a CTranslate2 model, a file a ggml one. A path
    /// that does not exist is judged by its name (`.bin` is ggml), so the error that
    /// follows names the right kind of model.
    pub fn of(model: &Path) -> Self {
        let ggml_name = model.extension().is_some_and(|e| e == "bin");
        if model.is_dir() || (!model.exists() && !ggml_name) {
            Self::CTranslate2
        } else {
            Self::WhisperCpp
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::CTranslate2 => "CTranslate2",
            Self::WhisperCpp => "whisper.cpp",
        }
    }
}

/// Loads `model` with the engine it is for, on `threads` CPU threads (each engine's own
/// default, 2, when `None`).
pub fn load(
    model: &Path,
    threads: Option<usize>,
) -> Result<Box<dyn Transcriber + Send>, TranscribeError> {
    match Engine::of(model) {
        Engine::WhisperCpp => {
            let mut config = WhisperConfig::new(model);
            if let Some(threads) = threads {
                config.threads = threads.max(1);
            }
            Ok(Box::new(WhisperTranscriber::load(config)?))
        }
        Engine::CTranslate2 => load_ct2(model, threads),
    }
}

#[cfg(feature = "ct2")]
fn load_ct2(
    model: &Path,
    threads: Option<usize>,
) -> Result<Box<dyn Transcriber + Send>, TranscribeError> {
    let mut config = crate::Ct2Config::new(model);
    if let Some(threads) = threads {
        config.threads = threads.max(1);
    }
    Ok(Box::new(crate::Ct2Transcriber::load(config)?))
}

#[cfg(not(feature = "ct2"))]
fn load_ct2(
    model: &Path,
    _threads: Option<usize>,
) -> Result<Box<dyn Transcriber + Send>, TranscribeError> {
    Err(TranscribeError::ModelInvalid {
        path: model.display().to_string(),
        detail: "this build has no CTranslate2 engine (the `ct2` feature of panelist-transcribe); choose a ggml model such as tiny.en".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_ctranslate2_files_are_whisper_cpp_missing_paths_by_their_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("ggml-tiny.en.bin");
        std::fs::write(&file, b"lmgg").expect("write");
        assert_eq!(Engine::of(dir.path()), Engine::CTranslate2);
        assert_eq!(Engine::of(&file), Engine::WhisperCpp);
        assert_eq!(
            Engine::of(&dir.path().join("tiny.en-ct2")),
            Engine::CTranslate2
        );
        assert_eq!(
            Engine::of(&dir.path().join("ggml-base.bin")),
            Engine::WhisperCpp
        );
    }

    #[test]
    fn a_missing_model_is_an_error_naming_it_for_either_engine() {
        let dir = tempfile::tempdir().expect("tempdir");
        for missing in ["gone-ct2", "ggml-gone.bin"] {
            let path = dir.path().join(missing);
            match load(&path, None) {
                Err(TranscribeError::ModelMissing { path: p }) => assert!(p.ends_with(missing)),
                Err(e) => panic!("{missing}: {e}"),
                Ok(_) => panic!("{missing} loaded"),
            }
        }
        // A folder that is not a CTranslate2 model is refused, not guessed at.
        match load(dir.path(), Some(1)) {
            Err(TranscribeError::ModelMissing { .. }) => {}
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("an empty folder loaded"),
        }
    }
}
