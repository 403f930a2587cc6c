//! The [`AudioSource`] seam, what a capture is asked to do ([`CaptureOptions`]), what it
//! reports while it runs ([`CaptureEvent`]) and what it gives back ([`Recording`]); and
//! the WAV-file source used headless and in tests.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::level::{samples_to_duration, Level, LevelMeter};
use crate::resample::{downmix_into, Resampler};
use crate::wav::{decode_wav, WavSink};
use crate::{AudioError, SAMPLE_RATE};

/// Where the audio of one answer comes from: a microphone ([`crate::Microphone`]) or a
/// WAV file ([`WavFileSource`]). Whatever the device or file, the samples are 16 kHz
/// mono `f32` in [-1, 1].
///
/// One answer is `start` → (meter events, [`samples_since`](Self::samples_since) for
/// live transcription) → `stop`. A source is reused for the next answer.
pub trait AudioSource: Send {
    /// What the audio comes from (device name or file path), for logs and errors.
    fn name(&self) -> String;

    /// Starts capturing one answer. Fails with [`AudioError::AlreadyCapturing`] while a
    /// capture runs, or with a device/file error before anything is captured.
    fn start(&mut self, options: CaptureOptions) -> Result<(), AudioError>;

    /// True between a successful `start` and the following `stop`.
    fn is_capturing(&self) -> bool;

    /// The 16 kHz mono samples captured so far in this answer, from index `from` on
    /// (empty when `from` is past the end or nothing is being captured). For live
    /// partial transcripts from a sliding window.
    fn samples_since(&self, from: usize) -> Vec<f32>;

    /// Ends the answer: stops the device, finalises the WAV file and returns the audio.
    ///
    /// If the device failed mid-answer this is [`AudioError::DeviceLost`] carrying the
    /// audio captured before the failure ([`AudioError::into_recording`]); the WAV file
    /// holds the same audio and is finalised.
    fn stop(&mut self) -> Result<Recording, AudioError>;
}

/// Something that happened during a capture, delivered to
/// [`CaptureOptions::on_event`] (from a background thread).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CaptureEvent {
    /// A level-meter reading, every [`CaptureOptions::level_interval`] of audio.
    Level(Level),
    /// The device failed or vanished; nothing more will be captured in this answer.
    /// `stop` will return [`AudioError::DeviceLost`] with what was captured.
    Interrupted {
        /// What the audio system said.
        reason: String,
    },
}

/// A callback receiving [`CaptureEvent`]s.
pub type EventSink = Box<dyn FnMut(CaptureEvent) + Send>;

/// How to capture one answer.
pub struct CaptureOptions {
    /// Where to write the answer as a 16-bit PCM, 16 kHz, mono WAV file (streamed while
    /// it is captured; the header is brought up to date every second).
    pub wav_path: Option<PathBuf>,
    /// How often a [`CaptureEvent::Level`] is sent (default 64 ms, about 16 per second).
    pub level_interval: Duration,
    /// A microphone that delivers nothing for this long is treated as lost
    /// (default 3 s).
    pub stall_timeout: Duration,
    pub(crate) on_event: Option<EventSink>,
}

impl Default for CaptureOptions {
    fn default() -> Self {
        Self {
            wav_path: None,
            level_interval: Duration::from_millis(64),
            stall_timeout: Duration::from_secs(3),
            on_event: None,
        }
    }
}

impl fmt::Debug for CaptureOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CaptureOptions")
            .field("wav_path", &self.wav_path)
            .field("level_interval", &self.level_interval)
            .field("stall_timeout", &self.stall_timeout)
            .field("on_event", &self.on_event.as_ref().map(|_| "callback"))
            .finish()
    }
}

impl CaptureOptions {
    /// Defaults: no WAV file, no events.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes the answer to `path` (16-bit PCM, 16 kHz, mono).
    pub fn wav_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.wav_path = Some(path.into());
        self
    }

    /// Sets the level-meter interval.
    pub fn level_interval(mut self, interval: Duration) -> Self {
        self.level_interval = interval;
        self
    }

    /// Sets how long a silent device (no callbacks at all) may stall before it counts as
    /// lost.
    pub fn stall_timeout(mut self, timeout: Duration) -> Self {
        self.stall_timeout = timeout;
        self
    }

    /// Calls `f` for every [`CaptureEvent`] (from a background thread; keep it short).
    pub fn on_event(mut self, f: impl FnMut(CaptureEvent) + Send + 'static) -> Self {
        self.on_event = Some(Box::new(f));
        self
    }

    /// Sends every [`CaptureEvent`] to `tx` (a closed receiver is ignored).
    pub fn events_to(self, tx: mpsc::Sender<CaptureEvent>) -> Self {
        self.on_event(move |e| {
            let _ = tx.send(e);
        })
    }
}

/// The format a device or file delivered before conversion to 16 kHz mono.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFormat {
    /// Frames per second.
    pub sample_rate: u32,
    /// Interleaved channels.
    pub channels: u16,
    /// Sample encoding, e.g. `f32`, `i16`, `u8`.
    pub sample_format: String,
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} Hz, {} ch, {}",
            self.sample_rate, self.channels, self.sample_format
        )
    }
}

/// The audio of one answer.
#[derive(Clone, PartialEq)]
pub struct Recording {
    /// 16 kHz mono samples in [-1, 1].
    pub samples: Vec<f32>,
    /// The finalised WAV file, when one was asked for.
    pub wav_path: Option<PathBuf>,
    /// The device or file it came from.
    pub source: String,
    /// What the device or file delivered before conversion.
    pub input_format: Option<InputFormat>,
}

impl Recording {
    /// Always [`SAMPLE_RATE`] (16 kHz).
    pub fn sample_rate(&self) -> u32 {
        SAMPLE_RATE
    }

    /// Length of the audio.
    pub fn duration(&self) -> Duration {
        samples_to_duration(self.samples.len() as u64)
    }

    /// RMS level in dBFS.
    pub fn rms_dbfs(&self) -> f32 {
        crate::rms_dbfs(&self.samples)
    }

    /// True when nothing rises above the silence threshold (see [`crate::is_silent`]):
    /// the candidate said nothing, or the microphone is muted.
    pub fn is_silent(&self) -> bool {
        crate::is_silent(&self.samples)
    }
}

impl fmt::Debug for Recording {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recording")
            .field(
                "samples",
                &format_args!(
                    "[{} samples, {:.2} s]",
                    self.samples.len(),
                    self.duration().as_secs_f64()
                ),
            )
            .field("wav_path", &self.wav_path)
            .field("source", &self.source)
            .field("input_format", &self.input_format)
            .finish()
    }
}

/// Shared between a capture's worker and the source, for `samples_since`.
pub(crate) type SharedSamples = Arc<Mutex<Vec<f32>>>;

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere must not take the audio with it.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Device-rate interleaved audio in, 16 kHz mono out: resampling, the shared buffer,
/// the WAV file and the level meter.
pub(crate) struct Pipeline {
    channels: usize,
    resampler: Resampler,
    mono: Vec<f32>,
    out: Vec<f32>,
    captured: SharedSamples,
    wav: Option<WavSink>,
    wav_path: Option<PathBuf>,
    wav_error: Option<String>,
    meter: LevelMeter,
    on_event: Option<EventSink>,
}

impl Pipeline {
    /// `resampler` converts from the input rate to 16 kHz.
    pub(crate) fn new(
        resampler: Resampler,
        channels: u16,
        options: CaptureOptions,
        captured: SharedSamples,
    ) -> Result<Self, AudioError> {
        let wav = match &options.wav_path {
            Some(p) => Some(WavSink::create(p)?),
            None => None,
        };
        Ok(Self {
            channels: usize::from(channels.max(1)),
            resampler,
            mono: Vec::new(),
            out: Vec::new(),
            captured,
            wav,
            wav_path: options.wav_path,
            wav_error: None,
            meter: LevelMeter::new(options.level_interval),
            on_event: options.on_event,
        })
    }

    pub(crate) fn emit(&mut self, event: CaptureEvent) {
        if let Some(f) = self.on_event.as_mut() {
            f(event);
        }
    }

    /// Adds interleaved samples at the input rate.
    pub(crate) fn push_interleaved(&mut self, data: &[f32]) {
        self.mono.clear();
        downmix_into(data, self.channels, &mut self.mono);
        self.out.clear();
        self.resampler.process(&self.mono, &mut self.out);
        self.deliver();
    }

    /// Sends `self.out` to the buffer, the WAV file and the meter.
    fn deliver(&mut self) {
        if self.out.is_empty() {
            return;
        }
        lock(&self.captured).extend_from_slice(&self.out);
        if let Some(sink) = self.wav.as_mut() {
            if let Err(e) = sink.write(&self.out) {
                tracing::error!(file = %sink.path().display(), error = %e, "writing the answer WAV failed");
                self.wav_error = Some(e.to_string());
                // Stop writing; keep the file as far as it got.
                if let Some(sink) = self.wav.take() {
                    let _ = sink.finalize();
                }
            }
        }
        let Self {
            meter,
            on_event,
            out,
            ..
        } = self;
        if let Some(f) = on_event.as_mut() {
            meter.push(out, |l| f(CaptureEvent::Level(l)));
        }
    }

    /// Drains the resampler and finalises the WAV file. Returns the path written and
    /// the WAV error, if any.
    pub(crate) fn finish(mut self) -> (Option<PathBuf>, Option<String>) {
        self.out.clear();
        self.resampler.finish(&mut self.out);
        self.deliver();
        let Self {
            meter, on_event, ..
        } = &mut self;
        if let Some(f) = on_event.as_mut() {
            meter.flush(|l| f(CaptureEvent::Level(l)));
        }
        if let Some(sink) = self.wav.take() {
            if let Err(e) = sink.finalize() {
                self.wav_error.get_or_insert_with(|| e.to_string());
            }
        }
        (self.wav_path, self.wav_error)
    }
}

/// An [`AudioSource`] that plays a WAV file as the answer (headless runs and tests).
///
/// `start` decodes the whole file (so a bad file fails there, with the errors of
/// [`crate::decode_wav`]), sends its level events at once and, if asked, writes the
/// converted 16 kHz mono WAV; `stop` returns the audio.
#[derive(Debug)]
pub struct WavFileSource {
    path: PathBuf,
    /// The answer being "captured", and the error writing its WAV file, if any.
    current: Option<(Recording, Option<String>)>,
}

impl WavFileSource {
    /// A source reading `path` (nothing is read before `start`).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            current: None,
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl AudioSource for WavFileSource {
    fn name(&self) -> String {
        self.path.display().to_string()
    }

    fn start(&mut self, options: CaptureOptions) -> Result<(), AudioError> {
        if self.current.is_some() {
            return Err(AudioError::AlreadyCapturing);
        }
        let decoded = decode_wav(&self.path)?;
        let input_format = InputFormat {
            sample_rate: decoded.format.sample_rate,
            channels: decoded.format.channels,
            sample_format: if decoded.format.float {
                format!("f{}", decoded.format.bits_per_sample)
            } else {
                format!("i{}", decoded.format.bits_per_sample)
            },
        };
        let captured = SharedSamples::default();
        // The file is already 16 kHz mono: run it through the same pipeline for the
        // WAV file and the meter.
        let identity = Resampler::identity(SAMPLE_RATE);
        let mut pipeline = Pipeline::new(identity, 1, options, captured.clone())?;
        pipeline.push_interleaved(&decoded.samples);
        let (wav_path, wav_error) = pipeline.finish();
        let recording = Recording {
            samples: std::mem::take(&mut *lock(&captured)),
            wav_path,
            source: self.name(),
            input_format: Some(input_format),
        };
        self.current = Some((recording, wav_error));
        Ok(())
    }

    fn is_capturing(&self) -> bool {
        self.current.is_some()
    }

    fn samples_since(&self, from: usize) -> Vec<f32> {
        match &self.current {
            Some((r, _)) => r
                .samples
                .get(from..)
                .map(<[f32]>::to_vec)
                .unwrap_or_default(),
            None => Vec::new(),
        }
    }

    fn stop(&mut self) -> Result<Recording, AudioError> {
        let (recording, wav_error) = self.current.take().ok_or(AudioError::NotCapturing)?;
        match (wav_error, recording.wav_path.clone()) {
            (Some(reason), Some(path)) => Err(AudioError::WavWriteFailed {
                path,
                reason,
                recording: Box::new(recording),
            }),
            _ => Ok(recording),
        }
    }
}
