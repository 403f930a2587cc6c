#!/usr/bin/env bash
# Installs the Debian package (scripts/package.sh) on this machine, checks the *installed*
# programs from an empty HOME with no source tree on their paths, then removes the package
# and checks that nothing of it is left. Run as root (or with sudo).
#   - `panelist --version`, and `panelist kiosk status` (not set up: exit 1) from /;
#   - the installed `panelist-kiosk` (release build) under Xvfb, through tauri-driver:
#     Welcome painted (the UI, the speech model and the question bank found without the
#     repository), the "not ready" notice, and the kiosk's lock from outside (xdotool);
#   - the systemd units pass `systemd-analyze verify`;
#   - `apt-get purge` leaves no file of the package behind.
# Usage: bash scripts/deb-smoke.sh path/to/panelist.deb
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
deb=$(realpath "$1")
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
pkg=$(dpkg-deb --field "$deb" Package)

work=$(mktemp -d "${TMPDIR:-/tmp}"/panelist-deb-smoke.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if dpkg -s "$pkg" >/dev/null 2>&1; then $sudo_cmd apt-get purge -y -qq "$pkg" >/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== install $deb"
# A package left installed by an interrupted run is replaced, not kept.
if dpkg -s "$pkg" >/dev/null 2>&1; then $sudo_cmd apt-get purge -y -qq "$pkg" >/dev/null; fi
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "$deb" >/dev/null
installed=$(dpkg -L "$pkg")

# No path of the source tree is baked into the installed programs (a CARGO_MANIFEST_DIR
# lookup would be one). The build folder does appear, but only in whisper.cpp's assertion
# messages (C's __FILE__ of the ggml sources it compiled), never as a place looked in;
# the checks below run from an empty HOME with no source tree to show nothing is.
for b in /usr/bin/panelist /usr/bin/panelist-kiosk; do
  if grep -a -q -F "$root" "$b"; then echo "deb-smoke: $b names the source tree $root" >&2; exit 1; fi
done
echo "  ok: the installed programs name no path of the source tree"

# The data compiled into the programs goes with its source and licence.
for doc in bigrams.md word-frequency.md fonts/README.md fonts/LICENSE-DejaVu.txt \
  fonts/LICENSE-DroidSansFallback-Apache-2.0.txt; do
  grep -q -x -F "/usr/share/doc/panelist/$doc" <<<"$installed" \
    || { echo "deb-smoke: /usr/share/doc/panelist/$doc is not installed" >&2; exit 1; }
done
echo "  ok: the licences of the compiled-in data and fonts are installed"

# Built for other machines than this one (x86-64-v3): no AVX-512 instruction outside code
# that checks the CPU first. crc32fast's `*_avx512` functions do; so do pulp's and gemm's
# `V4::vectorize` (the meaning model's matrix products and GELU): they run only through a
# `V4` token, which exists only once the CPU has been found to have AVX-512. A native
# build of whisper.cpp on an AVX-512 machine has thousands.
for b in /usr/bin/panelist /usr/bin/panelist-kiosk; do
  wide=$(objdump -d --no-show-raw-insn -C "$b" |
    awk '/^[0-9a-f]+ <.*>:$/ { fn = $0 }
      /%zmm/ && fn !~ /avx512/ && fn !~ /<(pulp|gemm_common::simd)::x86::(v4::)?V4::vectorize::imp(_fastcall)?>:$/ { n++ }
      END { print n + 0 }')
  [ "$wide" -eq 0 ] || { echo "deb-smoke: $b has $wide AVX-512 instructions outside CPU-checked code" >&2; exit 1; }
done
echo "  ok: no AVX-512 instruction outside CPU-checked code (portable to x86-64-v3)"

# An empty home and a working directory that is not the repository; only system paths.
home="$work/home"
mkdir -p "$home"
clean_env=(env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 USER=kiosk)
# (the test run's marker is kept, so scripts/leftovers.sh can find what it started)
[ -z "${PANELIST_TEST_RUN:-}" ] || clean_env+=(PANELIST_TEST_RUN="$PANELIST_TEST_RUN")
version=$(cd "$home" && "${clean_env[@]}" /usr/bin/panelist --version)
echo "  ok: panelist --version: $version"
status=0
(cd "$home" && "${clean_env[@]}" /usr/bin/panelist --json kiosk status >"$work/status.json") || status=$?
[ "$status" -eq 1 ] || { echo "deb-smoke: kiosk status on a fresh install exited $status, expected 1 (not set up)" >&2; exit 1; }
grep -q '"administrator":false' "$work/status.json" ||
  { echo "deb-smoke: kiosk status: $(cat "$work/status.json")" >&2; exit 1; }
echo "  ok: panelist kiosk status says a fresh install is not set up (exit 1)"
[ -d "$home/.local/share/panelist" ] || { echo "deb-smoke: no data folder under the empty HOME" >&2; exit 1; }
echo "  ok: the data folder is made under HOME ($(stat -c %a "$home/.local/share/panelist"))"

# The installed speech model, found without the repository, hears a spoken sentence (with
# each of the models the package ships). It must hear the sentence's words "service" and
# "integration"; word error rates are the test suite's business: base at int8 hears "then
# write integration tests" as "NRIP integration test" here, as faster-whisper does too.
heard_it() { grep -qi "service" <<<"$1" && grep -qi "integration" <<<"$1"; }
espeak-ng -v en-us -s 150 -w "$work/hello.wav" "I would design the service with a clear API, and then write integration tests."
# The CTranslate2 runtime the package ships is the one the programs load (their RUNPATH),
# not a copy elsewhere on this machine.
for b in /usr/bin/panelist /usr/bin/panelist-kiosk; do
  lib=$(ldd "$b" | awk '/libctranslate2/ { print $3 }')
  [[ "$lib" == /usr/lib/panelist/libctranslate2-* ]] || { echo "deb-smoke: $b loads CTranslate2 from '${lib:-nowhere}'" >&2; exit 1; }
done
echo "  ok: the programs load the packaged CTranslate2 runtime (/usr/lib/panelist)"
# Without --model: the default, base on CTranslate2.
heard=$(cd "$home" && "${clean_env[@]}" /usr/bin/panelist transcribe --json "$work/hello.wav")
grep -q '"engine":"CTranslate2"' <<<"$heard" && grep -q 'models/base-ct2"' <<<"$heard" && heard_it "$heard" \
  || { echo "deb-smoke: the default model heard: $heard" >&2; exit 1; }
echo "  ok: the default model (base-ct2, CTranslate2) transcribes: $heard"
for model in base-ct2 tiny.en-ct2 tiny.en; do
  heard=$(cd "$home" && "${clean_env[@]}" /usr/bin/panelist transcribe --model "$model" "$work/hello.wav")
  heard_it "$heard" || { echo "deb-smoke: $model heard: $heard" >&2; exit 1; }
  echo "  ok: the installed $model transcribes: $heard"
done
# A model the package does not ship is refused, naming what is installed.
if (cd "$home" && "${clean_env[@]}" /usr/bin/panelist transcribe --model base "$work/hello.wav" 2>"$work/err.txt"); then
  echo "deb-smoke: an absent model was accepted" >&2; exit 1
fi
grep -q "tiny.en" "$work/err.txt" || { echo "deb-smoke: $(cat "$work/err.txt")" >&2; exit 1; }
echo "  ok: a model it does not ship is refused: $(head -c 200 "$work/err.txt")"

# The installed meaning model joins the scoring (found in /usr/share/panelist/models).
printf '%s\n' '{"id":"a","question":"What is overfitting?","reference_answer":"Overfitting is when a model learns the noise in the training data and fails on new data.","answer":"The model memorises its training examples, noise included, and then does badly on data it has not seen."}' >"$work/score.jsonl"
scored=$(cd "$home" && "${clean_env[@]}" /usr/bin/panelist score --input "$work/score.jsonl")
grep -q '"scored_by":"words + meaning all-MiniLM-L6-v2"' <<<"$scored" ||
  { echo "deb-smoke: the installed scorer did not use the meaning model: $scored" >&2; exit 1; }
echo "  ok: the installed meaning model scores an answer ($(grep -o '"score":[0-9]*' <<<"$scored"))"

for unit in /usr/lib/systemd/user/panelist-kiosk.service; do
  systemd-analyze verify --man=no "$unit" || { echo "deb-smoke: $unit does not verify" >&2; exit 1; }
done
# The cage unit verifies but for cage itself, which the package only recommends.
cage_out=$(systemd-analyze verify --man=no "/usr/lib/systemd/system/panelist-kiosk-cage@kiosk.service" 2>&1 || true)
if grep -v -e '/usr/bin/cage' <<<"$cage_out" | grep -q .; then
  echo "deb-smoke: the cage unit: $cage_out" >&2; exit 1
fi
echo "  ok: the systemd units verify"

echo "== the installed kiosk under Xvfb (release build, empty HOME)"
# Xvfb picks a free display number itself (-displayfd): another run may hold one.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || { echo "deb-smoke: Xvfb did not start" >&2; cat "$work/xvfb.log" >&2; exit 1; }
display=":$(tr -d '[:space:]' <"$work/display")"
# Ports nobody listens on (other test runs may have drivers of their own).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
native_port=$(free_port)
driver=$(command -v tauri-driver)
# The driver (and so the app it starts) runs in the clean environment, from the empty HOME.
# (exec: the pid kept is tauri-driver's own, so stopping it stops its WebKitWebDriver too)
(cd "$home" && exec "${clean_env[@]}" DISPLAY="$display" WEBKIT_DISABLE_COMPOSITING_MODE=1 \
  "$driver" --port "$port" --native-port "$native_port" \
  --native-driver /usr/bin/WebKitWebDriver >"$work/driver.log" 2>&1) &
driver_pid=$!
pids+=($driver_pid)
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$port/status" >/dev/null 2>&1 && break; sleep 0.2; done
kill -0 "$driver_pid" 2>/dev/null || { echo "deb-smoke: tauri-driver did not start" >&2; cat "$work/driver.log" >&2; exit 1; }
result=0
DISPLAY=$display E2E_PORT=$port E2E_APP=/usr/bin/panelist-kiosk E2E_ARTIFACTS="$root/ui/e2e/artifacts" \
  node ui/e2e/installed.smoke.mjs || result=$?
if [ $result -ne 0 ]; then
  echo "--- driver log"; tail -n 40 "$work/driver.log"
  exit $result
fi
kill "${pids[@]}" 2>/dev/null || true
wait 2>/dev/null || true
pids=()
if pgrep -f /usr/bin/panelist-kiosk >/dev/null; then
  echo "deb-smoke: panelist-kiosk is still running after the session ended" >&2; exit 1
fi

echo "== remove"
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get purge -y -qq "$pkg" >/dev/null
left=()
while read -r f; do
  [ -f "$f" ] && left+=("$f")
done <<<"$installed"
[ ${#left[@]} -eq 0 ] || { echo "deb-smoke: files left after purge: ${left[*]}" >&2; exit 1; }
echo "  ok: purged; none of its $(wc -l <<<"$installed") paths is left as a file"
