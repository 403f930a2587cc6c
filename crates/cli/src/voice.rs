//! Voice commands: transcribe, say, devices, record; and the model for answers given as audio.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use panelist_audio::{AudioSource, CaptureOptions, Microphone};
use panelist_speech::{EspeakSpeaker, Speaker, VoiceSettings};
use panelist_transcribe::{transcribe_answer, Transcriber};
use serde_json::json;

/// Finds the whisper model the one way the kiosk does
/// ([`panelist_transcribe::models::resolve`]): `--model` (a name or a file), then
/// `PANELIST_WHISPER_MODEL`, then the data directory's `kiosk.toml` `whisper_model`, then
/// tiny.en; names are looked up in `models/` here, in the data directory, next to the
/// program (installed), then (debug builds) in the repository. An unknown name is an
/// error listing the models there.
pub fn model_path(explicit: Option<&str>, data_dir: Option<&Path>) -> anyhow::Result<PathBuf> {
    let setting = match data_dir {
        Some(dir) => panelist_kiosk::KioskSettings::load(dir)?.whisper_model,
        None => None,
    };
    Ok(panelist_transcribe::models::resolve(
        explicit,
        setting.as_deref(),
        data_dir,
    )?)
}

/// Loads the model with the engine it is for (a CTranslate2 folder or a whisper.cpp
/// file), on `PANELIST_WHISPER_THREADS` threads when set.
pub fn load_transcriber(model: &Path) -> anyhow::Result<Box<dyn Transcriber + Send>> {
    let threads = std::env::var("PANELIST_WHISPER_THREADS")
        .ok()
        .and_then(|v| v.parse().ok());
    Ok(panelist_transcribe::engine::load(model, threads)?)
}

/// Loads an answer's audio (any WAV, converted to 16 kHz mono) and refuses silence, which
/// whisper would otherwise fill with invented words.
pub fn load_answer_audio(path: &Path) -> anyhow::Result<Vec<f32>> {
    let audio = panelist_audio::load_wav(path)?;
    if audio.is_empty() {
        bail!("{} holds no audio", path.display());
    }
    Ok(audio)
}

pub fn transcribe(
    file: &Path,
    model: &Path,
    prompt: Option<&str>,
    as_json: bool,
) -> anyhow::Result<()> {
    let audio = load_answer_audio(file)?;
    if panelist_audio::is_silent(&audio) {
        bail!(
            "{} is silent: there is no speech to transcribe",
            file.display()
        );
    }
    let mut transcriber = load_transcriber(model)?;
    let started = Instant::now();
    let transcript = transcribe_answer(transcriber.as_mut(), &audio, prompt.unwrap_or(""))?;
    if as_json {
        println!(
            "{}",
            json!({"text": transcript.text, "audio_seconds": transcript.audio_seconds,
                   "processing_seconds": started.elapsed().as_secs_f64(),
                   "model": model.display().to_string(),
                   "engine": panelist_transcribe::Engine::of(model).name()})
        );
    } else {
        println!("{}", transcript.text);
    }
    Ok(())
}

pub fn say(
    text: &str,
    out: &Path,
    visemes: Option<&Path>,
    voice: &str,
    rate: u32,
) -> anyhow::Result<()> {
    let speech = EspeakSpeaker::new()?.speak(text, &VoiceSettings::new(voice, rate))?;
    speech.write_wav(out)?;
    if let Some(path) = visemes {
        std::fs::write(path, speech.timeline_json())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!(
        "{} ms of speech, {} mouth shapes",
        speech.duration_ms(),
        speech.visemes.len()
    );
    Ok(())
}

pub fn devices(as_json: bool) -> anyhow::Result<()> {
    let devices = panelist_audio::list_input_devices()?;
    if as_json {
        let list: Vec<_> = devices
            .iter()
            .map(|d| json!({"name": d.name, "id": d.id, "default": d.is_default, "summary": d.summary()}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else if devices.is_empty() {
        println!("no input devices");
    } else {
        for d in &devices {
            println!("{d}");
        }
    }
    Ok(())
}

/// Records from a microphone for a fixed time: the kiosk's microphone check.
pub fn record(device: Option<&str>, seconds: f64, out: &Path) -> anyhow::Result<()> {
    let mut mic = Microphone::open(device)?;
    mic.start(CaptureOptions::new().wav_path(out))?;
    std::thread::sleep(Duration::from_secs_f64(seconds.max(0.0)));
    let recording = mic.stop()?;
    eprintln!(
        "recorded {:.2} s from {} at {:.1} dBFS{}",
        recording.duration().as_secs_f64(),
        mic.device_name(),
        recording.rms_dbfs(),
        if recording.is_silent() {
            " (silent)"
        } else {
            ""
        }
    );
    Ok(())
}
