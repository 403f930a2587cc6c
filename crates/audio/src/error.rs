//! The one error type of this crate.

use std::path::PathBuf;

use crate::Recording;

/// Everything that can go wrong while capturing or loading audio.
///
/// Two variants still carry the audio of the answer: [`AudioError::DeviceLost`] and
/// [`AudioError::WavWriteFailed`] happen mid-answer, after part of it was captured;
/// [`AudioError::recording`] / [`AudioError::into_recording`] give that part back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AudioError {
    /// There is no usable input device (no sound card, or the default device cannot
    /// record).
    #[error("no audio input device is available ({reason}); connect a microphone or choose a device in the settings")]
    NoInputDevice {
        /// What the audio system said.
        reason: String,
    },

    /// The device named in the settings does not exist.
    #[error(
        "audio input device {name:?} was not found; available input devices: {}",
        list_or_none(available)
    )]
    DeviceNotFound {
        /// The name that was asked for.
        name: String,
        /// The names of the input devices that do exist.
        available: Vec<String>,
    },

    /// The device exists but could not be opened or started.
    #[error("audio input device {device:?} cannot record: {reason}")]
    DeviceUnavailable {
        /// The device's name.
        device: String,
        /// What the audio system said.
        reason: String,
    },

    /// The device disappeared or its stream failed mid-answer. The audio captured before
    /// that is in `partial` (and in its WAV file, which was finalised).
    #[error("audio input device {device:?} stopped working {:.1} s into the answer: {reason}; the audio captured until then was kept", partial.duration().as_secs_f64())]
    DeviceLost {
        /// The device's name.
        device: String,
        /// What the audio system said (or that it stopped delivering audio).
        reason: String,
        /// The audio captured before the failure.
        partial: Box<Recording>,
    },

    /// The answer's WAV file could not be created.
    #[error("cannot create the answer's WAV file {}: {source}", path.display())]
    WavCreate {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: hound::Error,
    },

    /// Writing the answer's WAV file failed mid-answer (disk full, ...). The audio was
    /// still captured in memory and is in `recording`; the file holds what was written.
    #[error("writing the answer's WAV file {} failed: {reason}; the audio is kept in memory", path.display())]
    WavWriteFailed {
        /// The file.
        path: PathBuf,
        /// The cause.
        reason: String,
        /// The whole answer's audio.
        recording: Box<Recording>,
    },

    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },

    /// The file is not a WAV file (no RIFF/WAVE header).
    #[error("{} is not a WAV file ({reason})", path.display())]
    NotWav {
        /// The file.
        path: PathBuf,
        /// What is wrong with the header.
        reason: String,
    },

    /// A WAV file with an encoding this crate does not decode (compressed, 64-bit float,
    /// an absurd sample rate, ...).
    #[error("{} uses an unsupported WAV encoding: {reason}", path.display())]
    UnsupportedWav {
        /// The file.
        path: PathBuf,
        /// Which encoding.
        reason: String,
    },

    /// A WAV file without a single sample (header only, or cut off before its data).
    #[error("{} contains no audio samples", path.display())]
    EmptyWav {
        /// The file.
        path: PathBuf,
    },

    /// `start` was called while an answer was already being captured.
    #[error("an answer is already being captured")]
    AlreadyCapturing,

    /// `stop` was called without a capture in progress.
    #[error("no answer is being captured")]
    NotCapturing,
}

impl AudioError {
    /// The audio that was still captured when this error happened mid-answer.
    pub fn recording(&self) -> Option<&Recording> {
        match self {
            Self::DeviceLost { partial, .. } => Some(partial),
            Self::WavWriteFailed { recording, .. } => Some(recording),
            _ => None,
        }
    }

    /// Takes the audio that was still captured when this error happened mid-answer.
    pub fn into_recording(self) -> Option<Recording> {
        match self {
            Self::DeviceLost { partial, .. } => Some(*partial),
            Self::WavWriteFailed { recording, .. } => Some(*recording),
            _ => None,
        }
    }
}

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}
