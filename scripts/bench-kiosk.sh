#!/usr/bin/env bash
# Kiosk benchmark (prints figures; not a test): cold start to the Welcome screen painted,
# memory of the whole process tree at idle on Welcome, and — through the end-to-end
# harness with a scripted ten-question interview on the offline brain — the time from
# "Submit answer" to the next question's audio starting (p50, p95).
#
# Usage: bash scripts/bench-kiosk.sh   (after `npm run build` in ui/ and `cargo build --workspace --bins`)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
app="$target/debug/panelist-kiosk"
cli="$target/debug/panelist"
runs=${RUNS:-3}
work=$(mktemp -d /tmp/panelist-bench.XXXXXX)
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

echo "== cold start to Welcome painted ($runs runs, debug build, release UI bundle)"
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
echo "== submit → next question audio, scripted ten-question interview (offline brain)"
E2E_BENCH=10 E2E_IDLE=0 bash scripts/e2e.sh >"$work/e2e.log" 2>&1 || { tail -n 40 "$work/e2e.log"; exit 1; }
node -e '
const xs = JSON.parse(require("fs").readFileSync("ui/e2e/artifacts/latencies.json")).sort((a, b) => a - b);
const pct = (p) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(p / 100 * xs.length) - 1))];
console.log(`n=${xs.length} p50=${Math.round(pct(50))} ms p95=${Math.round(pct(95))} ms max=${Math.round(xs[xs.length - 1])} ms (target p95 <= 1000 ms)`);
'
