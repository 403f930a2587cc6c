//! Missing devices give typed errors, not panics. ALSA is pointed at nothing: a
//! temporary HOME whose `.asoundrc` makes the default device a sound card that does not
//! exist, and a PULSE_SERVER socket that does not exist (so no PulseAudio is reached,
//! even on a desktop). Each case runs in a child process so that ALSA reads this
//! configuration fresh (see `common::run_child`).

mod common;

use std::ffi::OsString;
use std::fs;
use std::path::Path;
use std::time::Duration;

use common::{child_dir, run_child};
use panelist_audio::{AudioError, Microphone};

/// A temporary HOME where ALSA's default device is a card that does not exist.
fn broken_alsa_env(root: &Path) -> Vec<(String, OsString)> {
    let home = root.join("home");
    let run = root.join("run");
    fs::create_dir_all(home.join(".config/pulse")).expect("mkdir");
    fs::create_dir_all(&run).expect("mkdir");
    fs::write(
        home.join(".asoundrc"),
        "pcm.!default { type hw card 97 }\nctl.!default { type hw card 97 }\n",
    )
    .expect("write .asoundrc");
    fs::write(home.join(".config/pulse/client.conf"), "autospawn = no\n").expect("client.conf");
    vec![
        ("HOME".into(), home.clone().into()),
        ("XDG_CONFIG_HOME".into(), home.join(".config").into()),
        ("XDG_RUNTIME_DIR".into(), run.clone().into()),
        ("PULSE_RUNTIME_PATH".into(), run.clone().into()),
        (
            "PULSE_SERVER".into(),
            format!("unix:{}", run.join("no-such-socket").display()).into(),
        ),
    ]
}

fn run_without_devices(child: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let env = broken_alsa_env(dir.path());
    let out = run_child(child, dir.path(), &env, Duration::from_secs(60));
    println!("{}", common::describe_output(&out));
}

#[test]
fn a_named_device_that_does_not_exist_is_device_not_found() {
    run_without_devices("child_named_device_missing");
}

#[test]
fn no_usable_default_device_is_no_input_device() {
    run_without_devices("child_default_device_missing");
}

#[test]
#[ignore = "child process of a_named_device_that_does_not_exist_is_device_not_found"]
fn child_named_device_missing() {
    if child_dir().is_none() {
        return;
    }
    let err = Microphone::open(Some("Panelist Test Microphone 42")).expect_err("no such device");
    println!("{err}");
    match &err {
        AudioError::DeviceNotFound { name, available } => {
            assert_eq!(name, "Panelist Test Microphone 42");
            assert!(available.iter().all(|n| !n.contains("Panelist Test")));
        }
        other => panic!("expected DeviceNotFound, got {other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("\"Panelist Test Microphone 42\" was not found"),
        "{message}"
    );
}

#[test]
#[ignore = "child process of no_usable_default_device_is_no_input_device"]
fn child_default_device_missing() {
    if child_dir().is_none() {
        return;
    }
    let err = Microphone::open(None).expect_err("the default device cannot record");
    println!("{err}");
    assert!(
        matches!(err, AudioError::NoInputDevice { .. }),
        "expected NoInputDevice, got {err:?}"
    );
    // An empty name from the settings means the default device too.
    let err = Microphone::open(Some("  ")).expect_err("the default device cannot record");
    assert!(matches!(err, AudioError::NoInputDevice { .. }), "{err:?}");
}
