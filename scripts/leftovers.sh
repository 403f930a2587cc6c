#!/usr/bin/env bash
# The end of a test run: fails when a process the run started is still running, or when
# it left a file in its temporary folder. scripts/test.sh exports PANELIST_TEST_RUN (a
# marker every process it starts inherits) and TMPDIR (a folder of its own); this finds
# processes whose environment carries the marker (other than this script and the shells
# that called it) and whatever is left in the folder, names them, then stops and removes
# them so a failed run does not leave them behind either.
# Usage: bash scripts/leftovers.sh MARKER FOLDER
set -uo pipefail
marker=$1
folder=$2
# This script and its callers carry the marker too.
ancestors=" "
pid=$$
while [ "$pid" -gt 1 ] 2>/dev/null; do
  ancestors+="$pid "
  pid=$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null || echo 1)
done
found=()
for env in /proc/[0-9]*/environ; do
  p=${env#/proc/}
  p=${p%/environ}
  [[ "$ancestors" == *" $p "* ]] && continue
  if { tr '\0' '\n' <"$env"; } 2>/dev/null | grep -qx "PANELIST_TEST_RUN=$marker"; then
    found+=("$p")
  fi
done
status=0
if [ ${#found[@]} -gt 0 ]; then
  echo "leftovers: ${#found[@]} process(es) started by this run are still running:" >&2
  for p in "${found[@]}"; do
    echo "  $p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-200)" >&2
  done
  kill "${found[@]}" 2>/dev/null
  sleep 1
  kill -9 "${found[@]}" 2>/dev/null
  status=1
fi
if [ -d "$folder" ]; then
  left=$(find "$folder" -mindepth 1 -maxdepth 1 | head -20)
  if [ -n "$left" ]; then
    echo "leftovers: temporary files left in $folder:" >&2
    sed 's/^/  /' <<<"$left" >&2
    status=1
  fi
  rm -rf "$folder"
fi
if [ $status -eq 0 ]; then
  echo "  ok: no process of this run is still running, no temporary file is left"
else
  echo "leftovers: NOT CLEAN (named above, now stopped and removed): a test or script leaves them behind" >&2
fi
exit $status
