//! The microphone: capture through cpal, converted to 16 kHz mono, streamed to a WAV
//! file, with level events; and the list of input devices.
//!
//! The cpal callback only converts the device's samples to `f32` and hands them over a
//! channel; a worker thread does the rest (downmix, resampling, WAV writing, meter), so
//! no file I/O happens on the audio thread.

use std::fmt;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{ErrorKind, FromSample, SampleFormat, SizedSample};

use crate::resample::Resampler;
use crate::source::{lock, Pipeline, SharedSamples};
use crate::SAMPLE_RATE;
use crate::{AudioError, AudioSource, CaptureEvent, CaptureOptions, InputFormat, Recording};

const OUT_RATE: u32 = SAMPLE_RATE;

/// What the audio callback sends to the worker.
enum Msg {
    Data(Vec<f32>),
    Error(cpal::Error),
    Stop,
}

/// One input device, captured through cpal (ALSA on Linux; PulseAudio and PipeWire are
/// reached through ALSA's `pulse`/`pipewire` plugins, which are the `default` device on
/// a desktop).
///
/// [`Microphone::open`] resolves the device at once, so a missing device is reported
/// when the kiosk starts, not when the first answer begins. Each answer then builds a
/// fresh stream from the device's own format (whatever rate, channels and sample type
/// it prefers) and converts it.
pub struct Microphone {
    device: cpal::Device,
    name: String,
    active: Option<Active>,
}

impl fmt::Debug for Microphone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Microphone")
            .field("name", &self.name)
            .field("capturing", &self.active.is_some())
            .finish()
    }
}

struct Active {
    stream: cpal::Stream,
    tx: mpsc::Sender<Msg>,
    worker: JoinHandle<(Option<PathBuf>, Option<String>)>,
    captured: SharedSamples,
    failure: Arc<Mutex<Option<String>>>,
    format: InputFormat,
}

impl Microphone {
    /// Opens the input device called `device_name` (its name or id as listed by
    /// [`list_input_devices`]; an exact match is preferred, then a case-insensitive
    /// one), or the system's default input device when `None` or empty.
    ///
    /// Errors: [`AudioError::DeviceNotFound`] (with the names that do exist),
    /// [`AudioError::NoInputDevice`] when there is no default device or it cannot
    /// record, [`AudioError::DeviceUnavailable`] when the named device cannot record.
    pub fn open(device_name: Option<&str>) -> Result<Self, AudioError> {
        let host = cpal::default_host();
        let wanted = device_name.map(str::trim).filter(|n| !n.is_empty());
        let (device, name) = match wanted {
            Some(wanted) => {
                let device = find_input_device(&host, wanted)?;
                let name = display_name(&device);
                choose_config(&device).map_err(|e| AudioError::DeviceUnavailable {
                    device: name.clone(),
                    reason: describe(&e),
                })?;
                (device, name)
            }
            None => {
                let device =
                    host.default_input_device()
                        .ok_or_else(|| AudioError::NoInputDevice {
                            reason: format!(
                                "the {} audio system has no default input device",
                                host.id()
                            ),
                        })?;
                let name = display_name(&device);
                choose_config(&device).map_err(|e| AudioError::NoInputDevice {
                    reason: format!(
                        "the default device {name:?} cannot record: {}",
                        describe(&e)
                    ),
                })?;
                (device, name)
            }
        };
        Ok(Self {
            device,
            name,
            active: None,
        })
    }

    /// The device's name.
    pub fn device_name(&self) -> &str {
        &self.name
    }

    /// The reason the device failed in the current answer, as soon as it is known
    /// (also sent as [`CaptureEvent::Interrupted`]).
    pub fn failure(&self) -> Option<String> {
        self.active.as_ref().and_then(|a| lock(&a.failure).clone())
    }

    fn build_stream(
        &self,
        config: &cpal::SupportedStreamConfig,
        tx: &mpsc::Sender<Msg>,
    ) -> Result<cpal::Stream, AudioError> {
        let stream_config = config.config();
        let unavailable = |e: cpal::Error| AudioError::DeviceUnavailable {
            device: self.name.clone(),
            reason: describe(&e),
        };
        let d = &self.device;
        let stream = match config.sample_format() {
            SampleFormat::I8 => build::<i8>(d, stream_config, tx),
            SampleFormat::I16 => build::<i16>(d, stream_config, tx),
            SampleFormat::I24 => build::<cpal::I24>(d, stream_config, tx),
            SampleFormat::I32 => build::<i32>(d, stream_config, tx),
            SampleFormat::I64 => build::<i64>(d, stream_config, tx),
            SampleFormat::U8 => build::<u8>(d, stream_config, tx),
            SampleFormat::U16 => build::<u16>(d, stream_config, tx),
            SampleFormat::U24 => build::<cpal::U24>(d, stream_config, tx),
            SampleFormat::U32 => build::<u32>(d, stream_config, tx),
            SampleFormat::U64 => build::<u64>(d, stream_config, tx),
            SampleFormat::F32 => build::<f32>(d, stream_config, tx),
            SampleFormat::F64 => build::<f64>(d, stream_config, tx),
            other => {
                return Err(AudioError::DeviceUnavailable {
                    device: self.name.clone(),
                    reason: format!("unsupported sample format {other}"),
                })
            }
        };
        stream.map_err(unavailable)
    }
}

/// Builds an input stream whose callback converts `T` samples to `f32`.
fn build<T>(
    device: &cpal::Device,
    config: cpal::StreamConfig,
    tx: &mpsc::Sender<Msg>,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample,
    f32: FromSample<T>,
{
    let data_tx = tx.clone();
    let error_tx = tx.clone();
    device.build_input_stream::<T, _, _>(
        config,
        move |data: &[T], _info: &cpal::InputCallbackInfo| {
            let block: Vec<f32> = data.iter().map(|s| s.to_sample::<f32>()).collect();
            let _ = data_tx.send(Msg::Data(block));
        },
        move |e: cpal::Error| {
            let _ = error_tx.send(Msg::Error(e));
        },
        None,
    )
}

/// Picks the stream format: the device's default, or failing that the best supported
/// configuration with a sample type and rate we can convert.
fn choose_config(device: &cpal::Device) -> Result<cpal::SupportedStreamConfig, cpal::Error> {
    let usable = |c: &cpal::SupportedStreamConfig| {
        !matches!(
            c.sample_format(),
            SampleFormat::DsdU8 | SampleFormat::DsdU16 | SampleFormat::DsdU32
        ) && Resampler::new(c.sample_rate(), OUT_RATE).is_some()
            && c.channels() > 0
    };
    let default = device.default_input_config();
    if let Ok(c) = &default {
        if usable(c) {
            return default;
        }
    }
    let mut ranges: Vec<_> = device.supported_input_configs()?.collect();
    ranges.sort_by(|a, b| b.cmp_default_heuristics(a));
    ranges
        .into_iter()
        .map(|r| {
            if r.contains_rate(OUT_RATE) {
                r.with_sample_rate(OUT_RATE)
            } else {
                r.with_standard_sample_rate()
            }
        })
        .find(usable)
        .ok_or_else(|| match default {
            Err(e) => e,
            Ok(_) => cpal::Error::with_message(
                ErrorKind::UnsupportedConfig,
                "no supported input format can be converted to 16 kHz",
            ),
        })
}

impl AudioSource for Microphone {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn start(&mut self, options: CaptureOptions) -> Result<(), AudioError> {
        if self.active.is_some() {
            return Err(AudioError::AlreadyCapturing);
        }
        let config = choose_config(&self.device).map_err(|e| AudioError::DeviceUnavailable {
            device: self.name.clone(),
            reason: describe(&e),
        })?;
        let format = InputFormat {
            sample_rate: config.sample_rate(),
            channels: config.channels(),
            sample_format: config.sample_format().to_string(),
        };
        let resampler = Resampler::new(format.sample_rate, SAMPLE_RATE).ok_or_else(|| {
            AudioError::DeviceUnavailable {
                device: self.name.clone(),
                reason: format!("unsupported sample rate {} Hz", format.sample_rate),
            }
        })?;
        let stall_timeout = options.stall_timeout;
        let captured = SharedSamples::default();
        let failure = Arc::new(Mutex::new(None));
        // Creates the WAV file: fails before the device is touched.
        let pipeline = Pipeline::new(resampler, format.channels, options, captured.clone())?;

        let (tx, rx) = mpsc::channel();
        let stream = self.build_stream(&config, &tx)?;
        let worker = {
            let failure = failure.clone();
            std::thread::Builder::new()
                .name("panelist-audio-capture".into())
                .spawn(move || run_worker(rx, pipeline, failure, stall_timeout))
                .map_err(|e| AudioError::DeviceUnavailable {
                    device: self.name.clone(),
                    reason: format!("cannot start the capture thread: {e}"),
                })?
        };
        if let Err(e) = stream.play() {
            drop(stream);
            let _ = tx.send(Msg::Stop);
            let (wav_path, _) = worker.join().unwrap_or((None, None));
            if let Some(p) = wav_path {
                let _ = std::fs::remove_file(p);
            }
            return Err(AudioError::DeviceUnavailable {
                device: self.name.clone(),
                reason: describe(&e),
            });
        }
        tracing::info!(device = %self.name, input = %format, "capture started");
        self.active = Some(Active {
            stream,
            tx,
            worker,
            captured,
            failure,
            format,
        });
        Ok(())
    }

    fn is_capturing(&self) -> bool {
        self.active.is_some()
    }

    fn samples_since(&self, from: usize) -> Vec<f32> {
        match &self.active {
            Some(a) => lock(&a.captured)
                .get(from..)
                .map(<[f32]>::to_vec)
                .unwrap_or_default(),
            None => Vec::new(),
        }
    }

    fn stop(&mut self) -> Result<Recording, AudioError> {
        let active = self.active.take().ok_or(AudioError::NotCapturing)?;
        let Active {
            stream,
            tx,
            worker,
            captured,
            failure,
            format,
        } = active;
        // Stopping the stream ends the audio thread; everything it sent is queued
        // before the Stop below. A backend stuck on a vanished device is left behind
        // rather than hanging the caller.
        if !release_stream(stream) {
            tracing::warn!(device = %self.name, "the audio stream did not stop in time; abandoning it");
            lock(&failure).get_or_insert_with(|| "the device stopped responding".to_owned());
        }
        let _ = tx.send(Msg::Stop);
        drop(tx);
        let (wav_path, wav_error) = match worker.join() {
            Ok(done) => done,
            Err(_) => {
                lock(&failure).get_or_insert_with(|| "the capture thread crashed".to_owned());
                (None, None)
            }
        };
        let recording = Recording {
            samples: std::mem::take(&mut *lock(&captured)),
            wav_path: wav_path.clone(),
            source: self.name.clone(),
            input_format: Some(format),
        };
        tracing::info!(
            device = %self.name,
            seconds = recording.duration().as_secs_f64(),
            "capture stopped"
        );
        if let Some(reason) = lock(&failure).take() {
            return Err(AudioError::DeviceLost {
                device: self.name.clone(),
                reason,
                partial: Box::new(recording),
            });
        }
        match (wav_error, wav_path) {
            (Some(reason), Some(path)) => Err(AudioError::WavWriteFailed {
                path,
                reason,
                recording: Box::new(recording),
            }),
            _ => Ok(recording),
        }
    }
}

impl Drop for Microphone {
    fn drop(&mut self) {
        if self.active.is_some() {
            // Finalises the WAV file of an answer that was never stopped.
            let _ = self.stop();
        }
    }
}

/// How long stopping a stream may take before it is abandoned.
const STREAM_RELEASE_TIMEOUT: Duration = Duration::from_secs(2);

/// Pauses and drops `stream` on a helper thread; false if that did not finish within
/// [`STREAM_RELEASE_TIMEOUT`]. (Dropping a cpal stream joins its audio thread, and a
/// backend whose device or server vanished can block forever: ALSA's PulseAudio plugin
/// does when the sound server is killed.)
fn release_stream(stream: cpal::Stream) -> bool {
    let (done_tx, done_rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("panelist-audio-release".into())
        .spawn(move || {
            let _ = stream.pause();
            drop(stream);
            let _ = done_tx.send(());
        });
    spawned.is_ok() && done_rx.recv_timeout(STREAM_RELEASE_TIMEOUT).is_ok()
}

/// The worker: feeds the pipeline until Stop, watching for fatal errors and stalls.
fn run_worker(
    rx: mpsc::Receiver<Msg>,
    mut pipeline: Pipeline,
    failure: Arc<Mutex<Option<String>>>,
    stall_timeout: Duration,
) -> (Option<PathBuf>, Option<String>) {
    let mut last_data = Instant::now();
    let mut failed = false;
    let fail = |pipeline: &mut Pipeline, reason: String| {
        tracing::error!(%reason, "audio input failed mid-answer");
        lock(&failure).get_or_insert_with(|| reason.clone());
        pipeline.emit(CaptureEvent::Interrupted { reason });
    };
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Msg::Data(block)) => {
                last_data = Instant::now();
                if !failed {
                    pipeline.push_interleaved(&block);
                }
            }
            Ok(Msg::Error(e)) => match e.kind() {
                ErrorKind::DeviceNotAvailable
                | ErrorKind::StreamInvalidated
                | ErrorKind::HostUnavailable
                | ErrorKind::PermissionDenied => {
                    if !failed {
                        failed = true;
                        fail(&mut pipeline, describe(&e));
                    }
                }
                // Glitches and notices: the stream goes on (a stream that really stopped
                // is caught by the stall watchdog).
                _ => tracing::warn!(error = %describe(&e), "audio input reported a problem"),
            },
            Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if !failed && last_data.elapsed() > stall_timeout {
            failed = true;
            let reason = format!(
                "the device delivered no audio for {:.1} s",
                last_data.elapsed().as_secs_f64()
            );
            fail(&mut pipeline, reason);
        }
    }
    pipeline.finish()
}

/// A cpal error as one line: its message, or its kind's description.
fn describe(e: &cpal::Error) -> String {
    match e.message() {
        Some(m) => format!("{m} ({:?})", e.kind()),
        None => e.kind().to_string(),
    }
}

fn display_name(device: &cpal::Device) -> String {
    match device.description() {
        Ok(d) => d.name().to_owned(),
        Err(_) => device_id(device),
    }
}

fn device_id(device: &cpal::Device) -> String {
    device
        .id()
        .map(|id| id.id().to_owned())
        .unwrap_or_else(|_| "?".to_owned())
}

/// Finds an input device by name or id: exact matches first, then case-insensitive.
fn find_input_device(host: &cpal::Host, wanted: &str) -> Result<cpal::Device, AudioError> {
    let devices: Vec<cpal::Device> =
        host.input_devices()
            .map(Iterator::collect)
            .map_err(|e| AudioError::NoInputDevice {
                reason: describe(&e),
            })?;
    let keys = |d: &cpal::Device| {
        let mut keys = vec![display_name(d), device_id(d)];
        if let Ok(id) = d.id() {
            keys.push(id.to_string());
        }
        keys
    };
    let exact = devices
        .iter()
        .position(|d| keys(d).iter().any(|k| k == wanted));
    let loose = || {
        devices
            .iter()
            .position(|d| keys(d).iter().any(|k| k.eq_ignore_ascii_case(wanted)))
    };
    match exact.or_else(loose) {
        Some(i) => {
            let mut devices = devices;
            Ok(devices.swap_remove(i))
        }
        None => Err(AudioError::DeviceNotFound {
            name: wanted.to_owned(),
            available: devices
                .iter()
                .map(|d| {
                    let (name, id) = (display_name(d), device_id(d));
                    if name == id {
                        name
                    } else {
                        format!("{name} [{id}]")
                    }
                })
                .collect(),
        }),
    }
}

/// One supported input configuration range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigRange {
    /// Interleaved channels.
    pub channels: u16,
    /// Lowest sample rate (Hz).
    pub min_sample_rate: u32,
    /// Highest sample rate (Hz).
    pub max_sample_rate: u32,
    /// Sample encoding, e.g. `f32`, `i16`.
    pub sample_format: String,
}

/// An input device, for `panelist devices` and the settings screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputDeviceInfo {
    /// Human-readable name (not always unique: several ALSA devices of one card share it).
    pub name: String,
    /// The backend's id (unique; on ALSA the PCM name such as `default`, `pulse`,
    /// `hw:CARD=0,DEV=0`). Either can be given to [`Microphone::open`].
    pub id: String,
    /// This is the system's default input device.
    pub is_default: bool,
    /// The format a capture would use.
    pub default_format: Option<InputFormat>,
    /// Everything the device says it supports.
    pub configs: Vec<ConfigRange>,
    /// Why the configurations could not be read (the device may be busy or unusable).
    pub error: Option<String>,
}

impl InputDeviceInfo {
    /// One line: channels, rates and sample formats across all configurations.
    pub fn summary(&self) -> String {
        if self.configs.is_empty() {
            return match &self.error {
                Some(e) => format!("unusable: {e}"),
                None => "no input configurations".to_owned(),
            };
        }
        let min_ch = self.configs.iter().map(|c| c.channels).min().unwrap_or(0);
        let max_ch = self.configs.iter().map(|c| c.channels).max().unwrap_or(0);
        let min_rate = self
            .configs
            .iter()
            .map(|c| c.min_sample_rate)
            .min()
            .unwrap_or(0);
        let max_rate = self
            .configs
            .iter()
            .map(|c| c.max_sample_rate)
            .max()
            .unwrap_or(0);
        let mut formats: Vec<&str> = Vec::new();
        for c in &self.configs {
            if !formats.contains(&c.sample_format.as_str()) {
                formats.push(&c.sample_format);
            }
        }
        let range = |a: u32, b: u32, unit: &str| {
            if a == b {
                format!("{a}{unit}")
            } else {
                format!("{a}–{b}{unit}")
            }
        };
        let mut s = format!(
            "{} ch, {}, {}",
            range(u32::from(min_ch), u32::from(max_ch), ""),
            range(min_rate, max_rate, " Hz"),
            formats.join("/")
        );
        if let Some(f) = &self.default_format {
            s.push_str(&format!("; would capture {f}"));
        }
        s
    }
}

impl fmt::Display for InputDeviceInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{} [{}]: {}",
            self.name,
            if self.is_default { " (default)" } else { "" },
            self.id,
            self.summary()
        )
    }
}

/// Lists the input devices of the default audio host (ALSA on Linux), default first.
///
/// Reading a device's configurations opens it; a device that cannot be opened is
/// still listed, with [`InputDeviceInfo::error`] set. (ALSA may print its own
/// complaints about plugin devices to stderr while probing.)
pub fn list_input_devices() -> Result<Vec<InputDeviceInfo>, AudioError> {
    let host = cpal::default_host();
    let default_id = host.default_input_device().and_then(|d| d.id().ok());
    let devices = host
        .input_devices()
        .map_err(|e| AudioError::NoInputDevice {
            reason: describe(&e),
        })?;
    let mut list: Vec<InputDeviceInfo> = devices
        .map(|d| {
            let is_default = default_id.is_some() && d.id().ok() == default_id;
            let (configs, error) = match d.supported_input_configs() {
                Ok(ranges) => (
                    ranges
                        .map(|r| ConfigRange {
                            channels: r.channels(),
                            min_sample_rate: r.min_sample_rate(),
                            max_sample_rate: r.max_sample_rate(),
                            sample_format: r.sample_format().to_string(),
                        })
                        .collect(),
                    None,
                ),
                Err(e) => (Vec::new(), Some(describe(&e))),
            };
            let default_format = if configs.is_empty() {
                None
            } else {
                choose_config(&d).ok().map(|c| InputFormat {
                    sample_rate: c.sample_rate(),
                    channels: c.channels(),
                    sample_format: c.sample_format().to_string(),
                })
            };
            InputDeviceInfo {
                name: display_name(&d),
                id: device_id(&d),
                is_default,
                default_format,
                configs,
                error,
            }
        })
        .collect();
    list.sort_by_key(|d| !d.is_default);
    Ok(list)
}
