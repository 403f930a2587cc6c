#!/usr/bin/env bash
# Kiosk benchmark (prints figures; not a test): cold start to the Welcome screen painted,
# memory of the whole process tree at idle on Welcome, and — through the end-to-end
# harness with a scripted ten-question interview on the offline brain, answers spoken with
# pauses between sentences — the time from the end of the answer ("Submit answer") to the
# next question's audio starting (p50, p95), in quiet and with lobby noise (brown noise
# 12 dB below the voice), with where the time went (stages measured in Rust, then the IPC
# transfer and the audio element's start, measured in the page).
#
# Release build (what users run): builds it when missing.
# Usage: bash scripts/bench-kiosk.sh        BENCH_NOISE="brown babble" for more conditions
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
app="$target/release/panelist-kiosk"
cli="$target/release/panelist"
if [ ! -x "$app" ] || [ ! -x "$cli" ] || [ "${BENCH_BUILD:-1}" = "1" ]; then
  (cd ui && npm run build --silent)
  cargo build --release --quiet --bin panelist --bin panelist-kiosk
fi
runs=${RUNS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}"/panelist-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
display=":$(( 300 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
export DISPLAY=$display WEBKIT_DISABLE_COMPOSITING_MODE=1
sleep 1
export PANELIST_DATA_DIR="$work/data"
id=$("$cli" interview create --role "Backend Engineer" --description "Rust services" \
  --difficulty medium --focus Rust --minutes 10 --questions 3)
"$cli" interview publish "$id" >/dev/null

tree_pids() { # a process and all its descendants
  local pids=$1 all=$1 next
  while [ -n "$pids" ]; do
    next=$(for p in $pids; do pgrep -P "$p" || true; done | tr '\n' ' ')
    all="$all $next"; pids=$(echo "$next" | xargs)
  done
  echo "$all"
}
tree_kb() { # tree_kb PID FILE FIELD: a memory field summed over the process tree, in kB
  for p in $(tree_pids "$1"); do awk -v f="$3" '$1 == f {print $2}' "/proc/$p/$2" 2>/dev/null; done |
    awk '{s+=$1} END {print s+0}'
}

echo "== cold start to Welcome painted ($runs runs, release build)"
for i in $(seq 1 "$runs"); do
  log="$work/run$i.log"
  start=$(date +%s%N)
  "$app" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do grep -q "welcome painted" "$log" && break; sleep 0.05; done
  wall=$(( ($(date +%s%N) - start) / 1000000 ))
  inside=$(grep -o "welcome painted [0-9]* ms" "$log" | grep -o "[0-9]*" || echo "?")
  echo "run $i: welcome painted after ${wall} ms (wall clock from exec), ${inside} ms by the app's own clock"
  if [ "$i" = "$runs" ]; then
    sleep 10
    rss=$(tree_kb "$pid" status VmRSS:)
    # PSS splits shared pages between the processes sharing them.
    pss=$(tree_kb "$pid" smaps_rollup Pss:)
    echo "idle memory on Welcome, whole process tree (app + WebKit processes), no speech model loaded: PSS $(( pss / 1024 )) MiB (RSS summed, counting shared libraries once per process: $(( rss / 1024 )) MiB)"
    pstree -p "$pid" 2>/dev/null | head -5 || true
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done

if [ "${BENCH_LATENCY:-1}" = "0" ]; then exit 0; fi
summary() { # summary CONDITION: percentiles and the stage breakdown of the last run
  node -e '
const fs = require("fs");
const xs = JSON.parse(fs.readFileSync("ui/e2e/artifacts/latencies.json")).sort((a, b) => a - b);
const turns = JSON.parse(fs.readFileSync("ui/e2e/artifacts/turns.json"));
const pct = (v, p) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p / 100 * s.length) - 1))]; };
const r = (x) => (x === undefined || Number.isNaN(x) ? "?" : String(Math.round(x)));
console.log(`${process.argv[1]}: n=${xs.length} p50=${r(pct(xs, 50))} ms p95=${r(pct(xs, 95))} ms max=${r(xs[xs.length - 1])} ms`);
const stages = ["finish_capture_ms", "transcribe_tail_ms", "commit_ms", "decide_ms", "synthesize_ms", "backend_ms", "ipc_ms", "audio_start_ms", "total_ms"];
if (turns.length) {
  console.log("  stage                 p50      p95      max   (ms)");
  for (const k of stages) {
    const v = turns.map((t) => t[k]).filter((x) => typeof x === "number");
    if (v.length) console.log(`  ${k.padEnd(20)} ${r(pct(v, 50)).padStart(6)} ${r(pct(v, 95)).padStart(8)} ${r(Math.max(...v)).padStart(8)}`);
  }
}
' "$1"
}

for noise in quiet ${BENCH_NOISE:-brown}; do
  echo "== answer end → next question audio, scripted ten-question interview (offline brain, release, $noise)"
  extra=()
  [ "$noise" = quiet ] || extra=(E2E_NOISE="$noise")
  env "${extra[@]}" E2E_PROFILE=release E2E_BENCH=10 E2E_IDLE=3600 E2E_REPEAT=0 bash scripts/e2e.sh >"$work/e2e-$noise.log" 2>&1 || { tail -n 40 "$work/e2e-$noise.log"; exit 1; }
  summary "$noise"
done
echo "(targets: p50 <= 500 ms and p95 <= 1000 ms in quiet, p95 <= 1200 ms in noise)"
