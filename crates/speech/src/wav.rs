//! WAV in and out: 16-bit mono PCM files for the kiosk, and a lenient reader for WAV
//! bodies from network voices (which may be streamed with unknown chunk sizes).

use std::io::Cursor;
use std::path::Path;

use crate::SpeechError;

fn spec(sample_rate: u32) -> hound::WavSpec {
    hound::WavSpec {
        channels: 1,
        sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}

fn wav_error(err: hound::Error) -> SpeechError {
    match err {
        hound::Error::IoError(io) => SpeechError::Io(io),
        other => SpeechError::BadAudio(other.to_string()),
    }
}

/// Writes 16-bit mono PCM samples to a WAV file at `path`.
pub fn write_wav(path: &Path, samples: &[i16], sample_rate: u32) -> Result<(), SpeechError> {
    let mut writer = hound::WavWriter::create(path, spec(sample_rate)).map_err(wav_error)?;
    for &s in samples {
        writer.write_sample(s).map_err(wav_error)?;
    }
    writer.finalize().map_err(wav_error)
}

/// The bytes of a 16-bit mono PCM WAV file holding `samples`.
pub fn wav_bytes(samples: &[i16], sample_rate: u32) -> Result<Vec<u8>, SpeechError> {
    let mut cursor = Cursor::new(Vec::with_capacity(44 + samples.len() * 2));
    {
        let mut writer =
            hound::WavWriter::new(&mut cursor, spec(sample_rate)).map_err(wav_error)?;
        for &s in samples {
            writer.write_sample(s).map_err(wav_error)?;
        }
        writer.finalize().map_err(wav_error)?;
    }
    Ok(cursor.into_inner())
}

/// Decodes a WAV file (PCM 8/16/24/32-bit or 32-bit float, any channel count) into 16-bit
/// mono samples and their sample rate. A `data` chunk that claims more bytes than the body
/// has (a streamed WAV, size 0 or 0xFFFFFFFF) is read up to the end of the body.
pub fn decode_wav(bytes: &[u8]) -> Result<(Vec<i16>, u32), SpeechError> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(SpeechError::BadAudio(format!(
            "not a WAV file (starts with {:?})",
            String::from_utf8_lossy(&bytes[..bytes.len().min(32)])
        )));
    }
    let bytes = fix_streamed_sizes(bytes);
    // Reading from memory: any error, I/O included, means a malformed file.
    let bad = |e: hound::Error| SpeechError::BadAudio(format!("malformed WAV: {e}"));
    let reader = hound::WavReader::new(Cursor::new(bytes)).map_err(bad)?;
    let spec = reader.spec();
    if spec.channels == 0 || spec.sample_rate == 0 {
        return Err(SpeechError::BadAudio(
            "WAV header has no channels or no sample rate".into(),
        ));
    }
    let interleaved: Vec<i16> = match (spec.sample_format, spec.bits_per_sample) {
        (hound::SampleFormat::Int, 16) => reader
            .into_samples::<i16>()
            .collect::<Result<_, _>>()
            .map_err(bad)?,
        (hound::SampleFormat::Int, bits @ (8 | 24 | 32)) => {
            let shift = i32::from(bits) - 16;
            reader
                .into_samples::<i32>()
                .map(|s| {
                    s.map(|v| {
                        let v = if shift >= 0 { v >> shift } else { v << -shift };
                        i16::try_from(v.clamp(i32::from(i16::MIN), i32::from(i16::MAX)))
                            .unwrap_or_default()
                    })
                })
                .collect::<Result<_, _>>()
                .map_err(bad)?
        }
        (hound::SampleFormat::Float, 32) => reader
            .into_samples::<f32>()
            .map(|s| s.map(|v| (v.clamp(-1.0, 1.0) * 32767.0).round() as i16))
            .collect::<Result<_, _>>()
            .map_err(bad)?,
        (format, bits) => {
            return Err(SpeechError::BadAudio(format!(
                "unsupported WAV sample format {format:?} with {bits} bits"
            )))
        }
    };
    let channels = usize::from(spec.channels);
    let mono = if channels == 1 {
        interleaved
    } else {
        interleaved
            .chunks_exact(channels)
            .map(|frame| {
                let sum: i32 = frame.iter().map(|&s| i32::from(s)).sum();
                let n = i32::try_from(channels).unwrap_or(1);
                i16::try_from(sum / n).unwrap_or_default()
            })
            .collect()
    };
    Ok((mono, spec.sample_rate))
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Returns the body with the RIFF and `data` sizes clamped to what is really there (and
/// the data size rounded down to whole sample frames), so a strict reader accepts it.
fn fix_streamed_sizes(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut block_align: usize = 1;
    let mut at = 12;
    while let (Some(id), Some(size)) = (out.get(at..at + 4), read_u32(&out, at + 4)) {
        let body = at + 8;
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        if id == b"fmt " {
            if let Some(b) = out.get(body + 12..body + 14) {
                block_align = usize::from(u16::from_le_bytes([b[0], b[1]])).max(1);
            }
        } else if id == b"data" {
            let available = out.len() - body;
            if size > available || size == 0 {
                let fixed = available - available % block_align;
                let fixed32 = u32::try_from(fixed).unwrap_or(u32::MAX);
                out[at + 4..at + 8].copy_from_slice(&fixed32.to_le_bytes());
                out.truncate(body + fixed);
                let riff = u32::try_from(out.len() - 8).unwrap_or(u32::MAX);
                out[4..8].copy_from_slice(&riff.to_le_bytes());
            }
            break;
        }
        // Chunks are padded to an even length.
        at = body.saturating_add(size).saturating_add(size % 2);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_16_bit_mono() {
        let samples: Vec<i16> = (0..1000).map(|n| (n * 37 % 2000 - 1000) as i16).collect();
        let bytes = wav_bytes(&samples, 22_050).expect("writes");
        let (back, rate) = decode_wav(&bytes).expect("reads");
        assert_eq!(rate, 22_050);
        assert_eq!(back, samples);
    }

    #[test]
    fn reads_a_streamed_wav_with_unknown_sizes() {
        let samples: Vec<i16> = (0..999).map(|n| n as i16).collect();
        let mut bytes = wav_bytes(&samples, 24_000).expect("writes");
        bytes[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        bytes[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        bytes.push(7); // half a sample at the end
        let (back, rate) = decode_wav(&bytes).expect("reads");
        assert_eq!(rate, 24_000);
        assert_eq!(back, samples);
    }

    #[test]
    fn mixes_stereo_float_to_mono() {
        let mut cursor = Cursor::new(Vec::new());
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 8_000,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        {
            let mut w = hound::WavWriter::new(&mut cursor, spec).expect("writer");
            for _ in 0..10 {
                w.write_sample(0.5f32).expect("write");
                w.write_sample(-0.5f32).expect("write");
            }
            w.finalize().expect("finalize");
        }
        let (mono, rate) = decode_wav(&cursor.into_inner()).expect("reads");
        assert_eq!(rate, 8_000);
        assert_eq!(mono, vec![0i16; 10]);
    }

    #[test]
    fn refuses_what_is_not_a_wav() {
        let err = decode_wav(b"{\"error\":\"nope\"}").expect_err("not audio");
        assert!(matches!(err, SpeechError::BadAudio(_)), "{err}");
        let err = decode_wav(b"RIFF\x10\0\0\0WAVEjunkjunk").expect_err("no fmt");
        assert!(matches!(err, SpeechError::BadAudio(_)), "{err}");
    }
}
