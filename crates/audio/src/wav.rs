//! WAV files: loading any PCM/float WAV as 16 kHz mono, and writing answers as 16-bit
//! PCM, 16 kHz, mono.
//!
//! Loading never panics on bad input. What it does with each kind of bad file:
//!
//! | file | result |
//! |---|---|
//! | not RIFF/WAVE at all (MP3, text, ...) | [`AudioError::NotWav`] |
//! | RIFF/WAVE but the header is cut off or malformed | [`AudioError::NotWav`] |
//! | compressed, A-law/µ-law, 64-bit float, rate outside 1–768 kHz | [`AudioError::UnsupportedWav`] |
//! | header and no samples (or cut off before the first one) | [`AudioError::EmptyWav`] |
//! | header says more data than the file holds (truncated) | **loads what is there**: [`DecodedWav::truncated`] is set and a warning is logged |
//! | all zeros | loads fine; [`crate::is_silent`] says so |

use std::fs::File;
use std::io::{BufReader, BufWriter, Cursor, Read};
use std::path::{Path, PathBuf};

use crate::resample::{downmix_into, Resampler, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE};
use crate::{AudioError, SAMPLE_RATE};

/// The encoding a WAV file was stored in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WavFormat {
    /// Frames per second.
    pub sample_rate: u32,
    /// Interleaved channels.
    pub channels: u16,
    /// Bits per sample (8, 16, 24 or 32).
    pub bits_per_sample: u16,
    /// IEEE float samples (otherwise integer PCM).
    pub float: bool,
}

/// A WAV file converted to 16 kHz mono.
#[derive(Clone, PartialEq)]
pub struct DecodedWav {
    /// The audio, 16 kHz mono, nominally in [-1, 1].
    pub samples: Vec<f32>,
    /// How the file was encoded.
    pub format: WavFormat,
    /// The header promised more data than the file held; `samples` is what was there.
    pub truncated: bool,
}

impl std::fmt::Debug for DecodedWav {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecodedWav")
            .field("samples", &format_args!("[{} samples]", self.samples.len()))
            .field("format", &self.format)
            .field("truncated", &self.truncated)
            .finish()
    }
}

/// Loads a WAV file as 16 kHz mono samples. See [`decode_wav`] for the details.
pub fn load_wav(path: impl AsRef<Path>) -> Result<Vec<f32>, AudioError> {
    decode_wav(path).map(|d| d.samples)
}

/// Loads a WAV file (8/16/24/32-bit integer or 32-bit float, any number of channels,
/// 1–768 kHz) and converts it to 16 kHz mono: channels are averaged, the rate is
/// converted with [`crate::resample`]. The module docs list what happens to bad files.
pub fn decode_wav(path: impl AsRef<Path>) -> Result<DecodedWav, AudioError> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|source| AudioError::Io {
        path: path.to_owned(),
        source,
    })?;
    decode_wav_from(BufReader::new(file), path)
}

/// [`decode_wav`] for any reader; `name` is only used in error messages.
pub fn decode_wav_from(mut reader: impl Read, name: &Path) -> Result<DecodedWav, AudioError> {
    let path = name.to_owned();
    // Sniff the RIFF/WAVE header ourselves for a clear "not a WAV" message.
    let mut head = [0u8; 12];
    let got = read_up_to(&mut reader, &mut head).map_err(|source| AudioError::Io {
        path: path.clone(),
        source,
    })?;
    let head = &head[..got];
    if head.len() < 12 || &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return Err(AudioError::NotWav {
            path,
            reason: sniff(head),
        });
    }
    let chained = Cursor::new(head.to_vec()).chain(reader);
    let wav = hound::WavReader::new(chained).map_err(|e| header_error(e, &path))?;
    let spec = wav.spec();
    let format = WavFormat {
        sample_rate: spec.sample_rate,
        channels: spec.channels,
        bits_per_sample: spec.bits_per_sample,
        float: spec.sample_format == hound::SampleFormat::Float,
    };
    if !(MIN_SAMPLE_RATE..=MAX_SAMPLE_RATE).contains(&spec.sample_rate) {
        return Err(AudioError::UnsupportedWav {
            path,
            reason: format!(
                "sample rate {} Hz (supported: {MIN_SAMPLE_RATE}–{MAX_SAMPLE_RATE} Hz)",
                spec.sample_rate
            ),
        });
    }
    let declared = wav.len();
    if declared == 0 {
        return Err(AudioError::EmptyWav { path });
    }
    let (interleaved, truncated) = read_samples(wav, &format, &path)?;
    let channels = usize::from(format.channels);
    let frames = interleaved.len() / channels.max(1);
    if frames == 0 {
        return Err(AudioError::EmptyWav { path });
    }
    if truncated {
        tracing::warn!(
            file = %path.display(),
            declared_samples = declared,
            read_samples = interleaved.len(),
            "WAV file is truncated; using the audio that is there"
        );
    }
    let mut mono = Vec::with_capacity(frames);
    downmix_into(&interleaved, channels, &mut mono);
    drop(interleaved);
    let samples = if format.sample_rate == SAMPLE_RATE {
        mono
    } else {
        let mut r = Resampler::new(format.sample_rate, SAMPLE_RATE).ok_or_else(|| {
            AudioError::UnsupportedWav {
                path: path.clone(),
                reason: format!("sample rate {} Hz", format.sample_rate),
            }
        })?;
        let mut out = Vec::with_capacity(
            (mono.len() as u64 * u64::from(SAMPLE_RATE) / u64::from(format.sample_rate)) as usize
                + 1,
        );
        r.process(&mono, &mut out);
        r.finish(&mut out);
        out
    };
    Ok(DecodedWav {
        samples,
        format,
        truncated,
    })
}

/// Reads all samples as f32 in [-1, 1]; stops at the end of what the file holds.
fn read_samples<R: Read>(
    mut wav: hound::WavReader<R>,
    format: &WavFormat,
    path: &Path,
) -> Result<(Vec<f32>, bool), AudioError> {
    let declared = wav.len() as usize;
    // Never trust the header for an allocation size.
    let mut out = Vec::with_capacity(declared.min(1 << 22));
    let mut truncated = false;
    let mut on_error = |e: hound::Error| -> Result<(), AudioError> {
        match e {
            // hound reports a short read as `Other` ("Failed to read enough bytes.") or
            // `UnexpectedEof`, depending on where the data ends.
            hound::Error::IoError(io)
                if matches!(
                    io.kind(),
                    std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::Other
                ) =>
            {
                truncated = true;
                Ok(())
            }
            hound::Error::IoError(source) => Err(AudioError::Io {
                path: path.to_owned(),
                source,
            }),
            other => Err(AudioError::UnsupportedWav {
                path: path.to_owned(),
                reason: other.to_string(),
            }),
        }
    };
    if format.float {
        if format.bits_per_sample != 32 {
            return Err(AudioError::UnsupportedWav {
                path: path.to_owned(),
                reason: format!("{}-bit float samples", format.bits_per_sample),
            });
        }
        for s in wav.samples::<f32>() {
            match s {
                Ok(v) => out.push(if v.is_finite() { v } else { 0.0 }),
                Err(e) => {
                    on_error(e)?;
                    break;
                }
            }
        }
    } else {
        let bits = format.bits_per_sample;
        if bits == 0 || bits > 32 {
            return Err(AudioError::UnsupportedWav {
                path: path.to_owned(),
                reason: format!("{bits}-bit integer samples"),
            });
        }
        let scale = 1.0 / (1u64 << (bits - 1)) as f64;
        for s in wav.samples::<i32>() {
            match s {
                Ok(v) => out.push((f64::from(v) * scale) as f32),
                Err(e) => {
                    on_error(e)?;
                    break;
                }
            }
        }
    }
    // A partial frame at the end of a truncated file is dropped by the downmix.
    if out.len() < declared {
        truncated = true;
    }
    Ok((out, truncated))
}

/// Maps an error from parsing the header of a file that starts with RIFF/WAVE.
fn header_error(e: hound::Error, path: &Path) -> AudioError {
    let path = path.to_owned();
    match e {
        hound::Error::IoError(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::Other
            ) =>
        {
            AudioError::NotWav {
                path,
                reason: "the WAV header is cut off before the audio data".to_owned(),
            }
        }
        hound::Error::IoError(source) => AudioError::Io { path, source },
        hound::Error::FormatError(what) => AudioError::NotWav {
            path,
            reason: format!("malformed WAV header: {what}"),
        },
        hound::Error::Unsupported => AudioError::UnsupportedWav {
            path,
            reason:
                "compressed or non-PCM encoding (only 8/16/24/32-bit PCM and 32-bit float are read)"
                    .to_owned(),
        },
        other => AudioError::UnsupportedWav {
            path,
            reason: other.to_string(),
        },
    }
}

/// Names what a non-WAV file looks like, for the error message.
fn sniff(head: &[u8]) -> String {
    let what = if head.is_empty() {
        "the file is empty"
    } else if head.len() < 12 {
        "the file is too short for a WAV header"
    } else if head.starts_with(b"ID3") || head.starts_with(&[0xFF, 0xFB]) {
        "it looks like MP3"
    } else if head.starts_with(b"OggS") {
        "it looks like Ogg"
    } else if head.starts_with(b"fLaC") {
        "it looks like FLAC"
    } else if head.starts_with(b"RIFF") {
        "a RIFF file that is not WAVE"
    } else if head.starts_with(b"RF64") {
        "RF64 (64-bit WAV) is not supported"
    } else {
        "no RIFF/WAVE header"
    };
    what.to_owned()
}

fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The WAV format every answer is stored in: 16-bit PCM, 16 kHz, mono.
pub fn answer_wav_spec() -> hound::WavSpec {
    hound::WavSpec {
        channels: 1,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}

/// Writes 16 kHz mono samples as a 16-bit PCM WAV file (samples are clamped to [-1, 1]).
pub fn write_wav(path: impl AsRef<Path>, samples: &[f32]) -> Result<(), AudioError> {
    let path = path.as_ref();
    let mut sink = WavSink::create(path)?;
    let written = sink.write(samples).and_then(|()| sink.finalize());
    written.map_err(|e| AudioError::WavCreate {
        path: path.to_owned(),
        source: e,
    })
}

/// Converts a sample to 16-bit PCM.
pub(crate) fn to_i16(s: f32) -> i16 {
    if s.is_nan() {
        return 0;
    }
    (s.clamp(-1.0, 1.0) * 32767.0).round() as i16
}

/// A 16 kHz mono WAV being written while it is captured. Its header is brought up to
/// date every second, so the file is readable up to then even after a crash.
pub(crate) struct WavSink {
    writer: hound::WavWriter<BufWriter<File>>,
    path: PathBuf,
    since_flush: usize,
}

impl WavSink {
    pub(crate) fn create(path: &Path) -> Result<Self, AudioError> {
        let writer = hound::WavWriter::create(path, answer_wav_spec()).map_err(|source| {
            AudioError::WavCreate {
                path: path.to_owned(),
                source,
            }
        })?;
        Ok(Self {
            writer,
            path: path.to_owned(),
            since_flush: 0,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn write(&mut self, samples: &[f32]) -> Result<(), hound::Error> {
        for &s in samples {
            self.writer.write_sample(to_i16(s))?;
        }
        self.since_flush += samples.len();
        if self.since_flush >= SAMPLE_RATE as usize {
            self.since_flush = 0;
            self.writer.flush()?;
        }
        Ok(())
    }

    pub(crate) fn finalize(self) -> Result<(), hound::Error> {
        self.writer.finalize()
    }
}
