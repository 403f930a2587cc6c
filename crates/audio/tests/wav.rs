//! Loading WAV files of every common encoding as 16 kHz mono, and the bad files: empty,
//! silent, truncated, not a WAV, unsupported, corrupted. None may panic.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use panelist_audio::{
    decode_wav, decode_wav_from, is_silent, load_wav, rms_dbfs, write_wav, AudioError, AudioSource,
    CaptureEvent, CaptureOptions, WavFileSource,
};

/// Writes a WAV whose every channel carries `amp · sin(2π · freq · t)` (channel k>0 is
/// scaled by `1/(k+1)`), for `seconds`.
fn write_sine(path: &Path, spec: hound::WavSpec, freq: f64, amp: f64, seconds: f64) {
    let mut w = hound::WavWriter::create(path, spec).expect("create wav");
    let frames = (seconds * f64::from(spec.sample_rate)) as usize;
    for i in 0..frames {
        let v = amp
            * (2.0 * std::f64::consts::PI * freq * i as f64 / f64::from(spec.sample_rate)).sin();
        for ch in 0..spec.channels {
            let v = v / f64::from(ch + 1);
            match (spec.sample_format, spec.bits_per_sample) {
                (hound::SampleFormat::Float, _) => w.write_sample(v as f32),
                (_, 8) => w.write_sample((v * 127.0).round() as i8),
                (_, 16) => w.write_sample((v * 32_767.0).round() as i16),
                (_, 24) => w.write_sample((v * 8_388_607.0).round() as i32),
                (_, 32) => w.write_sample((v * 2_147_483_647.0).round() as i32),
                _ => unreachable!(),
            }
            .expect("write sample");
        }
    }
    w.finalize().expect("finalize");
}

fn spec(rate: u32, channels: u16, bits: u16, float: bool) -> hound::WavSpec {
    hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: if float {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    }
}

/// Amplitude of the `freq` component (least squares) in the middle of `x` at 16 kHz.
fn amplitude_at(x: &[f32], freq: f64) -> f64 {
    let x = &x[x.len() / 10..x.len() * 9 / 10];
    let w = 2.0 * std::f64::consts::PI * freq / 16_000.0;
    let (mut s, mut c) = (0.0, 0.0);
    for (i, &v) in x.iter().enumerate() {
        s += f64::from(v) * (w * i as f64).sin();
        c += f64::from(v) * (w * i as f64).cos();
    }
    let n = x.len() as f64;
    ((2.0 * s / n).powi(2) + (2.0 * c / n).powi(2)).sqrt()
}

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Self {
        Self(tempfile::tempdir().expect("tempdir"))
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
}

#[test]
fn every_common_encoding_loads_as_16khz_mono() {
    let dir = Dir::new();
    let cases = [
        ("8-bit mono 8 kHz", spec(8_000, 1, 8, false), 0.02),
        ("16-bit mono 16 kHz", spec(16_000, 1, 16, false), 0.001),
        ("16-bit stereo 44.1 kHz", spec(44_100, 2, 16, false), 0.001),
        ("24-bit mono 22.05 kHz", spec(22_050, 1, 24, false), 0.001),
        ("24-bit stereo 48 kHz", spec(48_000, 2, 24, false), 0.001),
        ("32-bit int mono 48 kHz", spec(48_000, 1, 32, false), 0.001),
        (
            "32-bit float mono 44.1 kHz",
            spec(44_100, 1, 32, true),
            0.001,
        ),
        (
            "32-bit float stereo 48 kHz",
            spec(48_000, 2, 32, true),
            0.001,
        ),
        (
            "16-bit 6 channels 48 kHz",
            spec(48_000, 6, 16, false),
            0.001,
        ),
    ];
    for (name, spec, tolerance) in cases {
        let path = dir.path(&format!("{name}.wav"));
        write_sine(&path, spec, 1_000.0, 0.8, 1.5);
        let decoded = decode_wav(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(decoded.format.sample_rate, spec.sample_rate, "{name}");
        assert_eq!(decoded.format.channels, spec.channels, "{name}");
        assert_eq!(
            decoded.format.bits_per_sample, spec.bits_per_sample,
            "{name}"
        );
        assert!(!decoded.truncated, "{name}");
        // 1.5 s at 16 kHz.
        assert_eq!(decoded.samples.len(), 24_000, "{name}");
        // Mono is the mean of the channels: 0.8 · mean(1, 1/2, ..., 1/n).
        let n = f64::from(spec.channels);
        let expected = 0.8 * (1..=spec.channels).map(|k| 1.0 / f64::from(k)).sum::<f64>() / n;
        let amp = amplitude_at(&decoded.samples, 1_000.0);
        println!("{name}: amplitude {amp:.4} (expected {expected:.4})");
        assert!(
            (amp - expected).abs() < expected * tolerance + 1e-3,
            "{name}: amplitude {amp} expected {expected}"
        );
        assert!(decoded
            .samples
            .iter()
            .all(|s| s.is_finite() && s.abs() <= 1.0));
    }
}

#[test]
fn stereo_48khz_is_averaged_and_resampled() {
    let dir = Dir::new();
    let path = dir.path("stereo.wav");
    // Left: a 1 kHz tone; right: silence → mono carries the tone at half amplitude.
    let mut w = hound::WavWriter::create(&path, spec(48_000, 2, 16, false)).expect("create");
    for i in 0..48_000 {
        let v = 0.6 * (2.0 * std::f64::consts::PI * 1_000.0 * f64::from(i) / 48_000.0).sin();
        w.write_sample((v * 32_767.0) as i16).expect("write");
        w.write_sample(0i16).expect("write");
    }
    w.finalize().expect("finalize");
    let samples = load_wav(&path).expect("loads");
    assert_eq!(samples.len(), 16_000);
    let amp = amplitude_at(&samples, 1_000.0);
    assert!((amp - 0.3).abs() < 0.003, "amplitude {amp}");
}

#[test]
fn a_16khz_mono_file_round_trips_exactly() {
    let dir = Dir::new();
    let path = dir.path("answer.wav");
    let input: Vec<f32> = (0..16_000)
        .map(|i| ((i % 200) as f32 / 100.0 - 1.0) * 0.5)
        .collect();
    write_wav(&path, &input).expect("write");
    let spec = hound::WavReader::open(&path).expect("open").spec();
    assert_eq!(
        (spec.sample_rate, spec.channels, spec.bits_per_sample),
        (16_000, 1, 16)
    );
    let back = load_wav(&path).expect("load");
    assert_eq!(back.len(), input.len());
    assert!(back
        .iter()
        .zip(&input)
        .all(|(a, b)| (a - b).abs() < 1.0 / 16_000.0));
}

#[test]
fn writing_clamps_out_of_range_samples() {
    let dir = Dir::new();
    let path = dir.path("loud.wav");
    write_wav(&path, &[2.0, -3.0, f32::NAN, 0.5]).expect("write");
    let back = load_wav(&path).expect("load");
    assert!((back[0] - 1.0).abs() < 1e-3 && (back[1] + 1.0).abs() < 1e-3);
    assert_eq!(back[2], 0.0);
}

#[test]
fn a_header_without_samples_is_an_empty_wav() {
    let dir = Dir::new();
    let path = dir.path("empty.wav");
    hound::WavWriter::create(&path, spec(16_000, 1, 16, false))
        .expect("create")
        .finalize()
        .expect("finalize");
    let err = load_wav(&path).expect_err("no samples");
    assert!(matches!(err, AudioError::EmptyWav { .. }), "{err:?}");
    assert!(
        err.to_string().contains("contains no audio samples"),
        "{err}"
    );
}

#[test]
fn an_all_zero_wav_loads_and_is_silent() {
    let dir = Dir::new();
    let path = dir.path("silent.wav");
    let mut w = hound::WavWriter::create(&path, spec(44_100, 2, 16, false)).expect("create");
    for _ in 0..44_100 * 2 * 2 {
        w.write_sample(0i16).expect("write");
    }
    w.finalize().expect("finalize");
    let samples = load_wav(&path).expect("a silent file is a valid file");
    assert_eq!(samples.len(), 32_000);
    assert!(is_silent(&samples));
    assert!(rms_dbfs(&samples) <= -120.0);
}

#[test]
fn quiet_hiss_is_silent_but_speech_level_is_not() {
    let hiss: Vec<f32> = (0..16_000)
        .map(|i| if i % 2 == 0 { 0.001 } else { -0.001 })
        .collect();
    assert!(is_silent(&hiss), "-60 dBFS hiss");
    let mut speech = hiss.clone();
    for (i, s) in speech[8_000..9_000].iter_mut().enumerate() {
        *s = 0.1 * ((i as f32) * 0.3).sin();
    }
    assert!(!is_silent(&speech));
}

/// A 16-bit mono 16 kHz WAV of one second of a tone, as bytes.
fn tone_bytes(dir: &Dir) -> Vec<u8> {
    let path = dir.path("tone.wav");
    write_sine(&path, spec(16_000, 1, 16, false), 440.0, 0.5, 1.0);
    fs::read(&path).expect("read")
}

#[test]
fn a_truncated_file_loads_what_is_there() {
    let dir = Dir::new();
    let bytes = tone_bytes(&dir);
    // Header (44 bytes) + half of the data, and one stray byte (half a sample).
    let path = dir.path("truncated.wav");
    fs::write(&path, &bytes[..44 + 16_000 + 1]).expect("write");
    let decoded = decode_wav(&path).expect("what is there loads");
    assert!(decoded.truncated);
    assert_eq!(decoded.samples.len(), 8_000);
    assert!(!is_silent(&decoded.samples));
    // Cut right after the header: nothing to load.
    let path = dir.path("header-only.wav");
    fs::write(&path, &bytes[..44]).expect("write");
    assert!(matches!(load_wav(&path), Err(AudioError::EmptyWav { .. })));
    // Cut inside the header.
    let path = dir.path("half-header.wav");
    fs::write(&path, &bytes[..30]).expect("write");
    let err = load_wav(&path).expect_err("no complete header");
    assert!(matches!(err, AudioError::NotWav { .. }), "{err:?}");
    assert!(err.to_string().contains("cut off"), "{err}");
}

#[test]
fn a_truncated_stereo_file_drops_the_partial_frame() {
    let dir = Dir::new();
    let path = dir.path("stereo.wav");
    write_sine(&path, spec(16_000, 2, 16, false), 440.0, 0.5, 1.0);
    let bytes = fs::read(&path).expect("read");
    // 1000 frames and one extra (left) sample.
    fs::write(&path, &bytes[..44 + 4 * 1_000 + 2]).expect("write");
    let decoded = decode_wav(&path).expect("loads");
    assert!(decoded.truncated);
    assert_eq!(decoded.samples.len(), 1_000);
}

#[test]
fn files_that_are_not_wav_are_refused_clearly() {
    let dir = Dir::new();
    let cases: [(&str, &[u8], &str); 6] = [
        (
            "notes.txt",
            b"This is not audio at all, just some text.\n",
            "no RIFF/WAVE header",
        ),
        ("empty.wav", b"", "the file is empty"),
        ("short.wav", b"RIFF", "too short"),
        (
            "song.mp3",
            b"ID3\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
            "MP3",
        ),
        (
            "clip.ogg",
            b"OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00",
            "Ogg",
        ),
        ("movie.avi", b"RIFF\x00\x00\x00\x00AVI LIST", "not WAVE"),
    ];
    for (name, bytes, hint) in cases {
        let path = dir.path(name);
        fs::write(&path, bytes).expect("write");
        let err = load_wav(&path).expect_err(name);
        println!("{name}: {err}");
        assert!(matches!(err, AudioError::NotWav { .. }), "{name}: {err:?}");
        assert!(err.to_string().contains(hint), "{name}: {err}");
        assert!(err.to_string().contains(name), "{name}: {err}");
    }
}

#[test]
fn a_missing_file_is_an_io_error() {
    let err = load_wav("/nonexistent/panelist/answer.wav").expect_err("missing");
    assert!(matches!(err, AudioError::Io { .. }), "{err:?}");
}

/// A canonical 44-byte header with arbitrary fields.
fn header(format_tag: u16, channels: u16, rate: u32, bits: u16, data_len: u32) -> Vec<u8> {
    let block_align = channels * bits.div_ceil(8);
    let mut h = Vec::new();
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&data_len.wrapping_add(36).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    h.extend_from_slice(&format_tag.to_le_bytes());
    h.extend_from_slice(&channels.to_le_bytes());
    h.extend_from_slice(&rate.to_le_bytes());
    h.extend_from_slice(&(rate * u32::from(block_align)).to_le_bytes());
    h.extend_from_slice(&block_align.to_le_bytes());
    h.extend_from_slice(&bits.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&data_len.to_le_bytes());
    h
}

#[test]
fn unsupported_encodings_are_refused_clearly() {
    let name = Path::new("odd.wav");
    // A-law (format tag 6).
    let mut alaw = header(6, 1, 8_000, 8, 100);
    alaw.extend(std::iter::repeat_n(0xD5, 100));
    let err = decode_wav_from(&alaw[..], name).expect_err("A-law");
    assert!(matches!(err, AudioError::UnsupportedWav { .. }), "{err:?}");
    // A sample rate outside 1–768 kHz.
    for rate in [100, 2_000_000] {
        let mut odd = header(1, 1, rate, 16, 200);
        odd.extend(std::iter::repeat_n(0, 200));
        let err = decode_wav_from(&odd[..], name).expect_err("odd rate");
        assert!(
            matches!(err, AudioError::UnsupportedWav { .. }),
            "{rate}: {err:?}"
        );
        assert!(err.to_string().contains("sample rate"), "{err}");
    }
}

#[test]
fn a_huge_declared_length_does_not_allocate_or_panic() {
    let mut bytes = header(1, 2, 48_000, 16, u32::MAX - 3);
    bytes.extend(std::iter::repeat_n(0, 4 * 480));
    let decoded = decode_wav_from(&bytes[..], Path::new("streamed.wav")).expect("loads");
    assert!(decoded.truncated);
    assert_eq!(decoded.samples.len(), 160);
}

#[test]
fn corrupted_files_never_panic() {
    let dir = Dir::new();
    let good = tone_bytes(&dir);
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut outcomes = [0usize; 2];
    // Every truncation of the header region, then random byte changes in the header.
    for len in 0..200 {
        let r = decode_wav_from(&good[..len.min(good.len())], Path::new("cut.wav"));
        outcomes[usize::from(r.is_ok())] += 1;
    }
    for _ in 0..3_000 {
        let mut bytes = good[..2_000].to_vec();
        for _ in 0..(next() % 4 + 1) {
            let at = (next() % 48) as usize;
            bytes[at] = next() as u8;
        }
        let r = decode_wav_from(&bytes[..], Path::new("fuzzed.wav"));
        if let Ok(d) = &r {
            assert!(d.samples.iter().all(|s| s.is_finite()));
        }
        outcomes[usize::from(r.is_ok())] += 1;
    }
    println!("errors {}, loaded {}", outcomes[0], outcomes[1]);
    assert!(outcomes[0] > 0 && outcomes[1] > 0);
}

#[test]
fn the_wav_file_source_yields_an_answer() {
    let dir = Dir::new();
    let input = dir.path("answer-in.wav");
    write_sine(&input, spec(44_100, 2, 16, false), 500.0, 0.5, 2.0);
    let mut source = WavFileSource::new(&input);
    assert!(matches!(source.stop(), Err(AudioError::NotCapturing)));
    let (tx, rx) = mpsc::channel();
    let out = dir.path("answer-out.wav");
    source
        .start(CaptureOptions::new().wav_path(&out).events_to(tx))
        .expect("start");
    assert!(source.is_capturing());
    assert!(matches!(
        source.start(CaptureOptions::new()),
        Err(AudioError::AlreadyCapturing)
    ));
    assert_eq!(source.samples_since(31_000).len(), 1_000);
    assert!(source.samples_since(99_999).is_empty());
    let recording = source.stop().expect("stop");
    assert!(!source.is_capturing());
    assert_eq!(recording.samples.len(), 32_000);
    assert!((recording.duration().as_secs_f64() - 2.0).abs() < 1e-6);
    assert_eq!(recording.wav_path.as_deref(), Some(out.as_path()));
    assert_eq!(
        recording
            .input_format
            .as_ref()
            .map(|f| (f.sample_rate, f.channels)),
        Some((44_100, 2))
    );
    assert!(!recording.is_silent());
    // The written answer is 16 kHz mono and holds the same audio.
    let written = load_wav(&out).expect("answer WAV");
    assert_eq!(written.len(), 32_000);
    // ~16 level events per second of audio.
    let levels: Vec<_> = rx
        .try_iter()
        .filter_map(|e| match e {
            CaptureEvent::Level(l) => Some(l),
            _ => None,
        })
        .collect();
    assert_eq!(levels.len(), 32);
    // Mono amplitude 0.5 · (1 + 1/2) / 2 = 0.375: RMS 0.265 = -11.5 dBFS.
    assert!(
        levels.iter().all(|l| (l.rms_dbfs - -11.53).abs() < 0.1),
        "{levels:?}"
    );
    assert_eq!(
        levels.last().map(|l| l.at),
        Some(std::time::Duration::from_secs(2))
    );
}

#[test]
fn the_wav_file_source_reports_a_bad_file_at_start() {
    let dir = Dir::new();
    let path = dir.path("bad.wav");
    fs::write(&path, b"definitely not a wav file").expect("write");
    let mut source = WavFileSource::new(&path);
    let err = source.start(CaptureOptions::new()).expect_err("bad file");
    assert!(matches!(err, AudioError::NotWav { .. }), "{err:?}");
    assert!(!source.is_capturing());
}

#[test]
fn a_failing_answer_wav_keeps_the_audio() {
    let dir = Dir::new();
    let input = dir.path("in.wav");
    write_sine(&input, spec(16_000, 1, 16, false), 300.0, 0.5, 3.0);
    // /dev/full accepts the file being opened, then fails every write: a full disk.
    let mut source = WavFileSource::new(&input);
    source
        .start(CaptureOptions::new().wav_path("/dev/full"))
        .expect("start");
    let err = source.stop().expect_err("the WAV could not be written");
    println!("{err}");
    assert!(matches!(err, AudioError::WavWriteFailed { .. }), "{err:?}");
    let recording = err.into_recording().expect("the audio is kept");
    assert_eq!(recording.samples.len(), 48_000);
}

#[test]
fn an_answer_wav_that_cannot_be_created_fails_at_start() {
    let dir = Dir::new();
    let input = dir.path("in.wav");
    write_sine(&input, spec(16_000, 1, 16, false), 300.0, 0.5, 0.5);
    let mut source = WavFileSource::new(&input);
    let err = source
        .start(CaptureOptions::new().wav_path(dir.path("no/such/dir/answer.wav")))
        .expect_err("no such directory");
    assert!(matches!(err, AudioError::WavCreate { .. }), "{err:?}");
    assert!(!source.is_capturing());
}
