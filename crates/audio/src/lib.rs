//! Audio for Panelist: the candidate's spoken answer, as 16 kHz mono samples and a WAV
//! file.
//!
//! Why this crate exists: the interview loop needs each answer as audio that the
//! transcriber (whisper.cpp wants 16 kHz mono `f32`) and the report (a WAV per answer)
//! can use, whatever microphone the kiosk has — any device, rate, channel count or
//! sample type — and it must not lose an answer when the microphone is unplugged
//! mid-sentence. The rest of Panelist sees one seam, [`AudioSource`], with two
//! implementations:
//!
//! - [`Microphone`]: capture through cpal (ALSA on Linux, which also reaches PulseAudio
//!   and PipeWire through their ALSA plugins), device chosen by name from the settings
//!   or the system default; converted on a worker thread to 16 kHz mono, streamed to a
//!   16-bit PCM WAV file, with level-meter events ([`CaptureEvent::Level`], about 16 a
//!   second) for the UI. If the device vanishes or its stream fails mid-answer,
//!   [`AudioSource::stop`] returns [`AudioError::DeviceLost`] carrying what was
//!   captured, and the WAV file is finalised.
//! - [`WavFileSource`]: an answer read from a WAV file, for headless runs and tests.
//!
//! Also here: [`load_wav`] / [`decode_wav`] (any PCM or float WAV to 16 kHz mono, with
//! clear errors for empty, truncated and non-WAV files; never a panic), [`write_wav`],
//! the [`resample`] module (a tested windowed-sinc resampler; why not a crate is said
//! there), level helpers ([`rms_dbfs`], [`is_silent`] for "no speech was heard") and
//! [`list_input_devices`] for `panelist devices`.
//!
//! ```no_run
//! use panelist_audio::{AudioSource, CaptureEvent, CaptureOptions, Microphone};
//!
//! let mut mic = Microphone::open(None)?; // or Some("name or id from the settings")
//! let (tx, levels) = std::sync::mpsc::channel();
//! mic.start(CaptureOptions::new().wav_path("answer-1.wav").events_to(tx))?;
//! // ... the candidate speaks; a UI thread reads `levels` for the meter ...
//! let recording = match mic.stop() {
//!     Ok(r) => r,
//!     // The microphone failed mid-answer: keep what was said before.
//!     Err(e) => e.into_recording().ok_or("no audio")?,
//! };
//! if recording.is_silent() {
//!     println!("no speech was heard");
//! }
//! # drop(levels);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod level;
mod mic;
pub mod resample;
mod source;
mod wav;

pub use error::AudioError;
pub use level::{
    is_silent, is_silent_below, peak, rms, rms_dbfs, to_dbfs, Level, LevelMeter, MIN_DBFS,
    SILENCE_THRESHOLD_DBFS,
};
pub use mic::{list_input_devices, ConfigRange, InputDeviceInfo, Microphone};
pub use source::{
    AudioSource, CaptureEvent, CaptureOptions, EventSink, InputFormat, Recording, WavFileSource,
};
pub use wav::{
    answer_wav_spec, decode_wav, decode_wav_from, load_wav, write_wav, DecodedWav, WavFormat,
};

/// The sample rate of everything this crate hands out: 16 kHz.
pub const SAMPLE_RATE: u32 = 16_000;
