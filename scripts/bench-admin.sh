#!/usr/bin/env bash
# Admin-mode benchmark (prints figures; not a test): on a data directory holding N
# finished interviews, the time of HR's operations through the `panelist` CLI (the same
# service calls admin mode makes): listing candidates, verifying the audit chain, a
# review, an erasure (rows, files, WAL checkpoint and VACUUM), a backup; and the size of
# the database. Debug build, each figure the median of 3 runs, process start included.
#
# Usage: bash scripts/bench-admin.sh   (after `cargo build --workspace --bins`); N=200 by default.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
cli="${CARGO_TARGET_DIR:-$root/target}/debug/panelist"
[ -x "$cli" ] || { echo "bench-admin: $cli is missing: build first" >&2; exit 1; }
n=${N:-200}
work=$(mktemp -d "${TMPDIR:-/tmp}"/panelist-bench-admin.XXXXXX)
trap 'rm -rf "$work"' EXIT
export PANELIST_DATA_DIR="$work/data"

id=$("$cli" interview create --role "Backend Engineer" --description "Rust services and SQL" \
  --difficulty medium --focus Rust,SQL --minutes 10 --questions 3)
"$cli" interview publish "$id" >/dev/null
printf '%s\n' "I built Rust services with tests and PostgreSQL transactions." \
  "For example I added an index and latency fell from two seconds to eighty milliseconds." \
  "I review code by reading the tests first." >"$work/answers.txt"
echo "== filling: $n finished interviews"
t0=$(date +%s.%N)
for i in $(seq 1 "$n"); do
  "$cli" interview run "$id" --name "Candidate $i" --email "c$i@example.com" \
    --answers "$work/answers.txt" >/dev/null
done
t1=$(date +%s.%N)
printf 'filled in %.1f s (%.0f ms per interview, scripted, offline brain)\n' \
  "$(echo "$t1 - $t0" | bc)" "$(echo "($t1 - $t0) * 1000 / $n" | bc)"

# The median wall time of a command run three times (ms).
median_ms() {
  local times=()
  for _ in 1 2 3; do
    local a b
    a=$(date +%s%N); "$@" >/dev/null; b=$(date +%s%N)
    times+=($(( (b - a) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}

sessions=$("$cli" session list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
entries=$("$cli" audit verify | sed -E 's/.*intact: ([0-9]+) entries.*/\1/')
db="$PANELIST_DATA_DIR/panelist.sqlite3"
echo "== $sessions sessions, $entries audit entries, database $(( $(stat -c %s "$db") / 1024 )) KiB"
echo "candidate list:       $(median_ms "$cli" candidate list --json) ms"
echo "audit verify:         $(median_ms "$cli" audit verify) ms"
echo "report show:          $(median_ms "$cli" report show "$("$cli" session list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')") ms"
backup_ms() { rm -f "$work/backup.sqlite3"; "$cli" backup --out "$work/backup.sqlite3"; }
echo "backup:               $(median_ms backup_ms) ms"
ids=$("$cli" candidate list --json | python3 -c 'import json,sys; print(" ".join(c["id"] for c in json.load(sys.stdin)[:3]))')
erase_times=()
for c in $ids; do
  a=$(date +%s%N); "$cli" candidate erase "$c" >/dev/null; b=$(date +%s%N)
  erase_times+=($(( (b - a) / 1000000 )))
done
echo "candidate erase:      $(printf '%s\n' "${erase_times[@]}" | sort -n | sed -n 2p) ms (rows, files, checkpoint, VACUUM)"
echo "database after:       $(( $(stat -c %s "$db") / 1024 )) KiB"
