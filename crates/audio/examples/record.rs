//! Records from an input device to a 16 kHz mono WAV file, printing the level meter.
//!
//! `cargo run -p panelist-audio --example record -- [--device NAME] [--seconds N] OUT.wav`
//! and `--list` to list the input devices.

use std::time::{Duration, Instant};

use panelist_audio::{list_input_devices, AudioSource, CaptureEvent, CaptureOptions, Microphone};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut device = None;
    let mut seconds = 5.0f64;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--list" => {
                for d in list_input_devices()? {
                    println!("{d}");
                }
                return Ok(());
            }
            "--device" => device = args.next(),
            "--seconds" => seconds = args.next().ok_or("--seconds N")?.parse()?,
            _ => out = Some(a),
        }
    }
    let out = out.ok_or("usage: record [--device NAME] [--seconds N] OUT.wav | --list")?;
    let mut mic = Microphone::open(device.as_deref())?;
    println!(
        "recording {seconds} s from {:?} to {out}",
        mic.device_name()
    );
    let (tx, rx) = std::sync::mpsc::channel();
    mic.start(CaptureOptions::new().wav_path(&out).events_to(tx))?;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs_f64(seconds) {
        for e in rx.try_iter() {
            match e {
                CaptureEvent::Level(l) => println!(
                    "{:6.2} s  rms {:6.1} dBFS  peak {:6.1} dBFS",
                    l.at.as_secs_f64(),
                    l.rms_dbfs,
                    l.peak_dbfs
                ),
                other => println!("{other:?}"),
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let recording = match mic.stop() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            e.into_recording().ok_or("nothing captured")?
        }
    };
    println!(
        "{:.2} s captured ({}), RMS {:.1} dBFS{}",
        recording.duration().as_secs_f64(),
        recording
            .input_format
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        recording.rms_dbfs(),
        if recording.is_silent() {
            ", silent"
        } else {
            ""
        }
    );
    Ok(())
}
