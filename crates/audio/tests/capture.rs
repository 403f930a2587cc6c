//! Real capture through cpal on a machine without a sound card: a private PulseAudio
//! daemon's null sink is the virtual microphone (see `common::Pulse`), ALSA's default
//! device is its `pulse` plugin, and speech made with espeak-ng is played into the sink
//! while `Microphone` records the default input device.
//!
//! Each capture runs in a child process (this test binary re-run on one `#[ignore]`d
//! entry point) so that its environment (HOME, PULSE_SERVER, ...) is set before ALSA
//! reads its configuration, and tests cannot disturb each other. The parent checks the
//! results. Needs the Debian packages pulseaudio, pulseaudio-utils, libasound2-plugins,
//! espeak-ng: without them these tests FAIL with an install hint.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{best_correlation, child_dir, envelope, run_child, speak_to_file, Pulse};
use panelist_audio::{
    decode_wav, is_silent, list_input_devices, load_wav, rms_dbfs, AudioError, AudioSource,
    CaptureEvent, CaptureOptions, Microphone,
};

const SPEECH: &str = "Hello. My name is Panelist. I will ask you a few questions about \
                      distributed systems, and you will answer them.";

// ---------------------------------------------------------------------------------
// Parents (the tests that run).

#[test]
fn captures_speech_through_a_virtual_microphone() {
    let pulse = Pulse::start();
    let dir = pulse.dir().to_owned();
    let speech_path = dir.join("speech.wav");
    speak_to_file(SPEECH, &speech_path);
    let source = decode_wav(&speech_path).expect("espeak-ng output loads");
    let source_secs = source.samples.len() as f64 / 16_000.0;

    let started = Instant::now();
    let out = run_child(
        "child_capture_while_playing",
        &dir,
        &pulse.client_env(),
        Duration::from_secs(60),
    );
    println!("{}", common::describe_output(&out));
    println!(
        "capture took {:.1} s of wall time",
        started.elapsed().as_secs_f64()
    );

    // The answer's WAV: 16-bit PCM, 16 kHz, mono.
    let wav_path = dir.join("answer.wav");
    let spec = hound::WavReader::open(&wav_path)
        .expect("the answer WAV exists and is finalised")
        .spec();
    assert_eq!(
        (spec.sample_rate, spec.channels, spec.bits_per_sample),
        (16_000, 1, 16)
    );
    let captured = load_wav(&wav_path).expect("the answer WAV loads");
    let captured_secs = captured.len() as f64 / 16_000.0;
    println!("source {source_secs:.2} s, captured {captured_secs:.2} s");
    // The capture spans the playback (real time) plus the 0.5 s the child waits after
    // it, plus start-up latency.
    assert!(
        captured_secs > source_secs && captured_secs < source_secs + 3.0,
        "captured {captured_secs:.2} s for {source_secs:.2} s of speech"
    );

    // The signal is there, at about the level it was played.
    let level = rms_dbfs(&captured);
    let source_level = rms_dbfs(&source.samples);
    println!("captured RMS {level:.1} dBFS, source RMS {source_level:.1} dBFS");
    assert!(!is_silent(&captured), "the capture is silent");
    assert!(
        level > -40.0,
        "captured RMS {level:.1} dBFS is near silence"
    );
    // Level: the capture has ~0.5-1 s of extra silence, so its RMS is a bit lower.
    assert!(
        (level - source_level).abs() < 6.0,
        "captured {level:.1} dBFS vs source {source_level:.1} dBFS"
    );

    // It is the same speech: the 20 ms energy envelopes line up.
    let frame = 320;
    let (corr, lag) = best_correlation(
        &envelope(&captured, frame),
        &envelope(&source.samples, frame),
    );
    println!(
        "envelope correlation {corr:.3} at a latency of {} ms",
        lag * 20
    );
    assert!(corr > 0.9, "envelope correlation only {corr:.3}");

    // Level events arrived at ~16 per second and saw the speech.
    let levels = fs::read_to_string(dir.join("levels.txt")).expect("levels written");
    let levels: Vec<(f32, f32)> = levels
        .lines()
        .filter_map(|l| {
            let (a, b) = l.split_once(' ')?;
            Some((a.parse().ok()?, b.parse().ok()?))
        })
        .collect();
    let per_second = levels.len() as f64 / captured_secs;
    println!("{} level events, {per_second:.1} per second", levels.len());
    assert!(
        (10.0..=20.0).contains(&per_second),
        "{per_second:.1} level events per second"
    );
    let loudest = levels.iter().map(|l| l.0).fold(f32::MIN, f32::max);
    assert!(loudest > -30.0, "loudest meter reading {loudest:.1} dBFS");
    assert!(levels.iter().all(|(rms, peak)| peak >= rms));
}

#[test]
fn keeps_the_partial_answer_when_the_device_disappears() {
    let mut pulse = Pulse::start();
    let dir = pulse.dir().to_owned();
    let envs = pulse.client_env();
    let exe = std::env::current_exe().expect("test binary");
    let mut cmd = Command::new(exe);
    cmd.args([
        "child_capture_until_device_lost",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(common::CHILD_DIR_VAR, &dir)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    for (k, v) in &envs {
        cmd.env(k, v);
    }
    speak_to_file(SPEECH, &dir.join("speech.wav"));
    let child = cmd.spawn().expect("spawn child");
    // The child says when it has recorded 1.5 s of audio (on the audio's own clock);
    // then pull the plug.
    let marker = dir.join("capturing");
    let start = Instant::now();
    while !marker.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the child never started capturing"
        );
        sleep(Duration::from_millis(20));
    }
    pulse.kill();
    let out = common::wait_with_timeout(child, Duration::from_secs(60));
    let text = common::describe_output(&out);
    println!("{text}");
    assert!(out.status.success(), "child failed:\n{text}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "child did not run:\n{text}"
    );
    let result = fs::read_to_string(dir.join("result.txt")).expect("result written");
    println!("{result}");
    // The WAV file was finalised and holds the partial answer.
    let partial = load_wav(dir.join("answer.wav")).expect("partial WAV loads");
    let secs = partial.len() as f64 / 16_000.0;
    assert!(
        (1.0..4.0).contains(&secs),
        "partial answer of {secs:.2} s (expected ~1.5 s)"
    );
}

#[test]
fn lists_and_opens_input_devices() {
    let pulse = Pulse::start();
    let dir = pulse.dir().to_owned();
    let out = run_child(
        "child_list_devices",
        &dir,
        &pulse.client_env(),
        Duration::from_secs(60),
    );
    println!("{}", common::describe_output(&out));
}

// ---------------------------------------------------------------------------------
// Children (run by the parents above in their own process and environment).

#[test]
#[ignore = "child process of captures_speech_through_a_virtual_microphone"]
fn child_capture_while_playing() {
    let Some(dir) = child_dir() else { return };
    let mut mic = Microphone::open(None).expect("open the default input device");
    println!("device: {}", mic.device_name());
    let (tx, rx) = mpsc::channel();
    mic.start(
        CaptureOptions::new()
            .wav_path(dir.join("answer.wav"))
            .events_to(tx),
    )
    .expect("start capturing");
    assert!(mic.is_capturing());
    assert!(matches!(
        mic.start(CaptureOptions::new()),
        Err(AudioError::AlreadyCapturing)
    ));
    play_into_sink(&dir.join("speech.wav"));
    let live = mic.samples_since(0).len();
    // The tail: half a second more of captured audio (counted in samples, not waited
    // for on the wall clock, so a loaded machine still hands over all of it).
    wait_for_samples(&mic, live + 8_000);
    let recording = mic.stop().expect("stop without errors");
    println!("{recording:?}");
    assert!(!mic.is_capturing());
    assert!(matches!(mic.stop(), Err(AudioError::NotCapturing)));
    assert!(live > 0 && live <= recording.samples.len());
    assert_eq!(
        recording.wav_path.as_deref(),
        Some(&*dir.join("answer.wav"))
    );
    // The WAV holds exactly what stop returned (up to 16-bit quantisation).
    let wav = load_wav(dir.join("answer.wav")).expect("answer WAV loads");
    assert_eq!(wav.len(), recording.samples.len());
    assert!(wav
        .iter()
        .zip(&recording.samples)
        .all(|(a, b)| (a - b).abs() < 1e-3));
    let mut lines = String::new();
    for e in rx.try_iter() {
        match e {
            CaptureEvent::Level(l) => lines.push_str(&format!("{} {}\n", l.rms_dbfs, l.peak_dbfs)),
            other => panic!("unexpected event {other:?}"),
        }
    }
    fs::write(dir.join("levels.txt"), lines).expect("write levels");
}

#[test]
#[ignore = "child process of keeps_the_partial_answer_when_the_device_disappears"]
fn child_capture_until_device_lost() {
    let Some(dir) = child_dir() else { return };
    let mut mic = Microphone::open(None).expect("open the default input device");
    let (tx, rx) = mpsc::channel();
    mic.start(
        CaptureOptions::new()
            .wav_path(dir.join("answer.wav"))
            .stall_timeout(Duration::from_secs(2))
            .events_to(tx),
    )
    .expect("start capturing");
    // The candidate is speaking when the microphone goes.
    let mut player = Command::new("paplay")
        .arg("--device=vmic")
        .arg(dir.join("speech.wav"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run paplay");
    // Tell the parent once audio flows (a freshly started null sink delivers its first
    // block late, up to 2 s).
    let start = Instant::now();
    while mic.samples_since(0).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no audio arrived within 10 s"
        );
        sleep(Duration::from_millis(10));
    }
    let before = mic.samples_since(0).len();
    // 1.5 s of the answer recorded, then the parent kills the daemon.
    wait_for_samples(&mic, before + 24_000);
    fs::write(dir.join("capturing"), "").expect("write marker");
    // Give the failure time to surface.
    let start = Instant::now();
    while mic.failure().is_none() && start.elapsed() < Duration::from_secs(15) {
        sleep(Duration::from_millis(50));
    }
    let noticed = start.elapsed();
    // paplay loses its server too; reap it.
    let _ = player.kill();
    let _ = player.wait();
    let err = mic.stop().expect_err("the device was lost mid-answer");
    println!("error after {noticed:?}: {err}");
    let interrupted = rx
        .try_iter()
        .find_map(|e| match e {
            CaptureEvent::Interrupted { reason } => Some(reason),
            _ => None,
        })
        .expect("an Interrupted event was sent");
    let AudioError::DeviceLost {
        ref device,
        ref reason,
        ..
    } = err
    else {
        panic!("expected DeviceLost, got {err:?}");
    };
    assert_eq!(reason, &interrupted);
    let device = device.clone();
    let message = err.to_string();
    let partial = err.into_recording().expect("the partial answer is kept");
    // The parent pulled the plug after 1.5 s of audio had been captured.
    assert!(partial.samples.len() >= before + 24_000, "{partial:?}");
    assert!(
        !partial.is_silent(),
        "the speech before the loss was captured"
    );
    assert_eq!(partial.wav_path.as_deref(), Some(&*dir.join("answer.wav")));
    fs::write(
        dir.join("result.txt"),
        format!(
            "device {device}\nnoticed after {noticed:?}\nmessage: {message}\npartial: {partial:?}\n"
        ),
    )
    .expect("write result");
}

#[test]
#[ignore = "child process of lists_and_opens_input_devices"]
fn child_list_devices() {
    if child_dir().is_none() {
        return;
    }
    let started = Instant::now();
    let devices = list_input_devices().expect("list input devices");
    println!("listed in {:?}:", started.elapsed());
    for d in &devices {
        println!("  {d}");
    }
    let default = devices
        .iter()
        .find(|d| d.is_default)
        .expect("a default input device is listed");
    assert_eq!(devices.first().map(|d| d.is_default), Some(true));
    assert!(!default.configs.is_empty(), "{default:?}");
    assert!(default.default_format.is_some(), "{default:?}");
    // Through the pulse plugin, by id and by name.
    let pulse = devices
        .iter()
        .find(|d| d.id == "pulse")
        .expect("the pulse device is listed");
    let by_id = Microphone::open(Some("pulse")).expect("open by id");
    assert_eq!(by_id.device_name(), pulse.name);
    let by_name = Microphone::open(Some(&pulse.name)).expect("open by name");
    assert_eq!(by_name.device_name(), pulse.name);
    let by_loose_name =
        Microphone::open(Some(&pulse.name.to_uppercase())).expect("open by name in other case");
    assert_eq!(by_loose_name.device_name(), pulse.name);
}

/// Plays a WAV into the virtual microphone and waits for it to finish (real time).
/// Polls until the microphone has captured `count` samples (16 kHz); fails after 20 s.
fn wait_for_samples(mic: &Microphone, count: usize) {
    let start = Instant::now();
    while mic.samples_since(0).len() < count {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "only {} of {count} samples captured within 20 s",
            mic.samples_since(0).len()
        );
        sleep(Duration::from_millis(10));
    }
}

fn play_into_sink(path: &Path) {
    let status = Command::new("paplay")
        .arg("--device=vmic")
        .arg(path)
        .status()
        .expect("run paplay");
    assert!(status.success(), "paplay failed: {status}");
}
