#!/usr/bin/env bash
# Launches the Panelist kiosk on the embedded defaults (SQLite, offline rules brain,
# espeak-ng, whisper): installs what is missing (Debian packages, the UI's npm packages,
# the speech model), builds the UI and the app (release: what users run; debug builds are
# for tests), and starts it fullscreen.
#
#   PANELIST_DATA_DIR   where the kiosk keeps its data (default ~/.local/share/panelist)
#   PANELIST_KIOSK_WINDOWED=1   a normal window instead of fullscreen (development)
# Leave the kiosk with Ctrl+Alt+P and the admin PIN (set on first run). The kiosk starts
# no candidate journey until staff have created its administrator account: on first run,
# `panelist-kiosk --admin` (admin mode's first-run screen) or
# `panelist kiosk first-admin --email … --name … --password-stdin`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
(cd ui && npm run build --silent)
cargo build --release --quiet --bin panelist --bin panelist-kiosk
target=${CARGO_TARGET_DIR:-target}
cli="$target/release/panelist"
data=${PANELIST_DATA_DIR:-$HOME/.local/share/panelist}
export PANELIST_DATA_DIR=$data
mkdir -p "$data"

# A first run gets a sample interview so the Welcome screen has something to offer.
if ! "$cli" interview list 2>/dev/null | grep -q published; then
  id=$("$cli" interview create --role "Software Engineer" \
    --description "Design, build and test backend services; collaborate in code review." \
    --difficulty medium --focus "Testing,Databases" --minutes 10 --questions 3)
  "$cli" interview publish "$id"
fi
if ! "$cli" --json kiosk status 2>/dev/null | grep -q '"administrator":true'; then
  if [ -t 0 ]; then
    echo "First run: the kiosk's administrator account (admin mode; at least 12 characters)."
    read -r -p "Administrator's email: " admin_email
    read -r -p "Administrator's full name: " admin_name
    read -r -s -p "Password: " admin_password; echo
    printf '%s' "$admin_password" | "$cli" kiosk first-admin --email "$admin_email" \
      --name "$admin_name" --password-stdin
  else
    echo "kiosk: no administrator account yet, so no interview can start; create one with" \
      "$cli kiosk first-admin --email … --name … --password-stdin (or panelist-kiosk --admin)" >&2
  fi
fi
if ! grep -q admin_pin_hash "$data/kiosk.toml" 2>/dev/null; then
  if [ -t 0 ]; then
    read -r -s -p "Choose the kiosk's admin PIN (6-12 digits): " pin; echo
    printf '%s' "$pin" | "$cli" kiosk set-pin --pin-stdin
  else
    echo "kiosk: no admin PIN is set; set one with: $cli kiosk set-pin --pin-stdin" >&2
  fi
fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "kiosk: no display; on a headless machine run it under Xvfb: xvfb-run -a bash scripts/kiosk.sh" >&2
  exit 1
fi
exec "$target/release/panelist-kiosk"
