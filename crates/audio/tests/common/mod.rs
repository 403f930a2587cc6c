//! Helpers shared by the integration tests: running one test of this binary in a child
//! process with its own environment (ALSA and PulseAudio read HOME and friends when a
//! device is first opened, and cache their configuration for the process), and a
//! private PulseAudio daemon whose null sink serves as a virtual microphone.
#![allow(dead_code)]

use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// Set in a child process: the directory it shares with its parent.
pub const CHILD_DIR_VAR: &str = "PANELIST_AUDIO_TEST_CHILD_DIR";

/// The shared directory when running as a child, `None` in a normal test run (the
/// child entry points are `#[ignore]`d and return at once without it).
pub fn child_dir() -> Option<PathBuf> {
    std::env::var_os(CHILD_DIR_VAR).map(PathBuf::from)
}

/// Runs the ignored test `name` of this test binary in a child process with `envs`
/// (plus [`CHILD_DIR_VAR`] = `dir`), killing it after `timeout`. Panics with the
/// child's output if it fails.
pub fn run_child(name: &str, dir: &Path, envs: &[(String, OsString)], timeout: Duration) -> Output {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut cmd = Command::new(exe);
    cmd.args([
        name,
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_DIR_VAR, dir)
    .env("RUST_BACKTRACE", "1")
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let child = cmd.spawn().expect("spawn the child test process");
    let output = wait_with_timeout(child, timeout);
    let text = describe_output(&output);
    assert!(
        output.status.success(),
        "child test {name} failed ({}):\n{text}",
        output.status
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("1 passed"),
        "child test {name} did not run:\n{text}"
    );
    output
}

/// Waits for `child`, killing it after `timeout`; collects its output.
pub fn wait_with_timeout(mut child: Child, timeout: Duration) -> Output {
    // Read the pipes on threads so a chatty child cannot block on a full pipe.
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let out_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut s);
        }
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_end(&mut s);
        }
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let status = child.wait().expect("reap the killed child");
            let stdout = out_t.join().unwrap_or_default();
            let stderr = err_t.join().unwrap_or_default();
            panic!(
                "child process timed out after {timeout:?} and was killed:\n{}",
                describe_output(&Output {
                    status,
                    stdout,
                    stderr
                })
            );
        }
        sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: out_t.join().unwrap_or_default(),
        stderr: err_t.join().unwrap_or_default(),
    }
}

pub fn describe_output(o: &Output) -> String {
    format!(
        "--- stdout ---\n{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Fails the test with an install hint when `tool` cannot be run.
pub fn require_tool(tool: &str, arg: &str) {
    let ok = Command::new(tool)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    assert!(
        ok,
        "`{tool}` is not installed, and the capture tests need it. Install the Debian packages: \
         apt-get install pulseaudio pulseaudio-utils libasound2-plugins libasound2-dev alsa-utils espeak-ng sox"
    );
}

/// A private PulseAudio daemon with a null sink `vmic` whose monitor is the default
/// source: whatever is played into `vmic` (`paplay --device=vmic`) is what the default
/// input device records. ALSA's default device is pointed at it by an `.asoundrc` in a
/// temporary HOME. Nothing of the real user's setup is touched: HOME, XDG_RUNTIME_DIR,
/// XDG_CONFIG_HOME, PULSE_RUNTIME_PATH and PULSE_SERVER all point into a temporary
/// directory, and clients never autospawn a daemon.
pub struct Pulse {
    dir: tempfile::TempDir,
    daemon: Option<Child>,
}

impl Pulse {
    pub fn start() -> Self {
        require_tool("pulseaudio", "--version");
        require_tool("pactl", "--version");
        require_tool("paplay", "--version");
        // A short path: the daemon's unix socket path must stay under 108 bytes (the
        // temporary folder is /tmp, or scripts/test.sh's short folder under it).
        let dir = tempfile::Builder::new()
            .prefix("pa-")
            .tempdir()
            .expect("temporary directory");
        let root = dir.path();
        let home = root.join("home");
        let run = root.join("run");
        fs::create_dir_all(home.join(".config/pulse")).expect("mkdir home");
        fs::create_dir_all(&run).expect("mkdir run");
        fs::create_dir_all(root.join("state")).expect("mkdir state");
        fs::set_permissions(&run, fs::Permissions::from_mode(0o700)).expect("chmod run");
        fs::write(
            home.join(".asoundrc"),
            "pcm.!default { type pulse }\nctl.!default { type pulse }\n",
        )
        .expect("write .asoundrc");
        fs::write(home.join(".config/pulse/client.conf"), "autospawn = no\n")
            .expect("write client.conf");
        let socket = run.join("native");
        fs::write(
            root.join("default.pa"),
            format!(
                "load-module module-null-sink sink_name=vmic rate=48000 channels=2 \
                 sink_properties=device.description=PanelistVirtualMic\n\
                 load-module module-native-protocol-unix auth-anonymous=1 socket={}\n\
                 set-default-sink vmic\n\
                 set-default-source vmic.monitor\n",
                socket.display()
            ),
        )
        .expect("write default.pa");
        let log = fs::File::create(root.join("pulse.log")).expect("create log");
        let mut cmd = Command::new("pulseaudio");
        cmd.args([
            "--daemonize=no",
            "--system=no",
            "--disallow-exit",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--log-target=stderr",
            "--log-level=notice",
            "-n",
            "-F",
        ])
        .arg(root.join("default.pa"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .env_remove("PULSE_SERVER")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
        let mut pulse = Self { dir, daemon: None };
        for (k, v) in pulse.daemon_env() {
            cmd.env(k, v);
        }
        pulse.daemon = Some(cmd.spawn().expect("start pulseaudio"));
        pulse.wait_ready();
        pulse.warm_up();
        pulse
    }

    /// Records one second through ALSA's default device (the `pulse` plugin), as the
    /// capture will. This checks the ALSA → PulseAudio path with a clear message, and
    /// gets the null sink going: a freshly started null sink can take up to two seconds
    /// (its idle block size) before its monitor delivers the first audio.
    fn warm_up(&self) {
        require_tool("arecord", "--version");
        let mut arecord = Command::new("arecord");
        arecord
            .args([
                "-q", "-d", "1", "-t", "raw", "-f", "S16_LE", "-r", "16000", "-c", "1",
            ])
            .arg(self.dir.path().join("warm-up.raw"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in self.client_env() {
            arecord.env(k, v);
        }
        let child = arecord.spawn().expect("run arecord");
        let out = wait_with_timeout(child, Duration::from_secs(20));
        assert!(
            out.status.success(),
            "recording through ALSA's pulse plugin failed (is libasound2-plugins installed?):\n{}\n--- pulseaudio log ---\n{}",
            describe_output(&out),
            self.log()
        );
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn daemon_env(&self) -> Vec<(String, OsString)> {
        let root = self.dir.path();
        vec![
            ("HOME".into(), root.join("home").into()),
            ("XDG_RUNTIME_DIR".into(), root.join("run").into()),
            ("PULSE_RUNTIME_PATH".into(), root.join("run").into()),
            ("XDG_CONFIG_HOME".into(), root.join("home/.config").into()),
            ("PULSE_STATE_PATH".into(), root.join("state").into()),
        ]
    }

    /// The environment a client (the capture process, paplay, pactl) needs.
    pub fn client_env(&self) -> Vec<(String, OsString)> {
        let mut env = self.daemon_env();
        let server = format!("unix:{}", self.dir.path().join("run/native").display());
        env.push(("PULSE_SERVER".into(), server.into()));
        env
    }

    fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("pulse.log")).unwrap_or_default()
    }

    fn wait_ready(&mut self) {
        let start = Instant::now();
        loop {
            if let Some(daemon) = self.daemon.as_mut() {
                if let Ok(Some(status)) = daemon.try_wait() {
                    panic!("pulseaudio exited at start ({status}):\n{}", self.log());
                }
            }
            let mut pactl = Command::new("pactl");
            pactl
                .arg("info")
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            for (k, v) in self.client_env() {
                pactl.env(k, v);
            }
            if pactl.status().map(|s| s.success()).unwrap_or(false) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "pulseaudio did not answer within 20 s:\n{}",
                self.log()
            );
            sleep(Duration::from_millis(100));
        }
    }

    /// Kills the daemon (the virtual microphone disappears).
    pub fn kill(&mut self) {
        if let Some(mut d) = self.daemon.take() {
            let _ = d.kill();
            let _ = d.wait();
        }
    }
}

impl Drop for Pulse {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Makes a speech WAV with espeak-ng (22.05 kHz mono 16-bit).
pub fn speak_to_file(text: &str, path: &Path) {
    require_tool("espeak-ng", "--version");
    let status = Command::new("espeak-ng")
        .args(["-s", "150", "-w"])
        .arg(path)
        .arg(text)
        .stdout(Stdio::null())
        .status()
        .expect("run espeak-ng");
    assert!(status.success(), "espeak-ng failed: {status}");
}

/// RMS of consecutive frames of `frame` samples.
pub fn envelope(samples: &[f32], frame: usize) -> Vec<f32> {
    samples
        .chunks_exact(frame)
        .map(|c| (c.iter().map(|s| s * s).sum::<f32>() / frame as f32).sqrt())
        .collect()
}

/// Best normalised correlation of `pattern` against `signal` over all lags where the
/// pattern fits, with the lag (in frames).
pub fn best_correlation(signal: &[f32], pattern: &[f32]) -> (f32, usize) {
    let mut best = (f32::MIN, 0);
    if pattern.is_empty() || signal.len() < pattern.len() {
        return (0.0, 0);
    }
    let mean = |v: &[f32]| v.iter().sum::<f32>() / v.len() as f32;
    let pm = mean(pattern);
    let pd: Vec<f32> = pattern.iter().map(|x| x - pm).collect();
    let pn = pd.iter().map(|x| x * x).sum::<f32>().sqrt();
    for lag in 0..=(signal.len() - pattern.len()) {
        let win = &signal[lag..lag + pattern.len()];
        let wm = mean(win);
        let mut dot = 0.0;
        let mut wn = 0.0;
        for (a, b) in win.iter().zip(&pd) {
            let d = a - wm;
            dot += d * b;
            wn += d * d;
        }
        let c = if wn > 0.0 && pn > 0.0 {
            dot / (wn.sqrt() * pn)
        } else {
            0.0
        };
        if c > best.0 {
            best = (c, lag);
        }
    }
    best
}
