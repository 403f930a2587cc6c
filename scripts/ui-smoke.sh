#!/usr/bin/env bash
# The UI in a real WebKit against the in-memory mocks (no Rust build, no Tauri): every
# kiosk screen and every admin screen is driven and checked with axe-core (WCAG 2.x A/AA;
# a serious or critical violation fails). Cheap: a minute, no microphone, no models.
#   bash scripts/ui-smoke.sh            (SHOTS=dir to keep screenshots)
# Needs: node/npm, Xvfb, WebKitWebDriver and MiniBrowser
# (apt-get install xvfb webkit2gtk-driver libwebkit2gtk-4.1-dev or the package that ships
# MiniBrowser), ImageMagick's `import` only when SHOTS is set.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/ui"

command -v Xvfb >/dev/null || { echo "ui-smoke: Xvfb is missing (apt-get install xvfb)" >&2; exit 1; }
command -v WebKitWebDriver >/dev/null || { echo "ui-smoke: WebKitWebDriver is missing (apt-get install webkit2gtk-driver)" >&2; exit 1; }
[ -d node_modules ] || npm ci
[ -f dist/index.html ] && [ "${UI_SMOKE_REBUILD:-1}" = "0" ] || npm run build

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# Free ports and a free display (another test run may hold some).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
web_port=$(free_port)
driver_port=$(free_port)
display_file=$(mktemp "${TMPDIR:-/tmp}/ui-smoke-display.XXXXXX")
Xvfb -displayfd 3 -screen 0 1400x1000x24 -nolisten tcp 3>"$display_file" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$display_file" ] && break; sleep 0.1; done
display=":$(tr -d '[:space:]' <"$display_file")"
rm -f "$display_file"
export DISPLAY=$display
export WEBKIT_DISABLE_COMPOSITING_MODE=1
# vite itself, not through npx: the pid kept is the server's, so cleanup stops it.
./node_modules/.bin/vite preview --port "$web_port" --strictPort >/dev/null 2>&1 &
pids+=($!)
WebKitWebDriver --port="$driver_port" >/dev/null 2>&1 &
pids+=($!)

wait_for() {
  for _ in $(seq 1 100); do
    curl -fs "$1" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "ui-smoke: $1 did not come up" >&2
  return 1
}
wait_for "http://127.0.0.1:$web_port/"
wait_for "http://127.0.0.1:$driver_port/status"

export WEBDRIVER_URL="http://127.0.0.1:$driver_port"
status=0
echo "== kiosk screens (mock backend) with axe"
KIOSK_URL="http://127.0.0.1:$web_port/" node e2e/kiosk-mock.smoke.mjs || status=1
echo "== admin screens (mock backend) with axe"
ADMIN_URL="http://127.0.0.1:$web_port/#admin" node e2e/admin-mock.smoke.mjs || status=1
exit $status
