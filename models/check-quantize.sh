#!/usr/bin/env bash
# Checks that convert_ct2_to_ggml.py --quantize writes exactly what ggml's own
# reference quantisation (quantize_row_q8_0_ref, quantize_row_q5_1_ref) writes: it
# compiles ggml-quants.c from the whisper.cpp that whisper-rs-sys bundles (the
# version in Cargo.lock) and compares every quantised tensor of every quantised
# model present in models/ byte for byte; unquantised tensors must be unchanged.
#
#   models/check-quantize.sh            # after fetch-model.sh tiny.en-q8_0 (etc.)
set -euo pipefail
MODELS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$MODELS_DIR/.."
die() { echo "check-quantize.sh: error: $*" >&2; exit 1; }

version="$(awk '/^name = "whisper-rs-sys"/ { getline; gsub(/"/, "", $3); print $3 }' "$ROOT/Cargo.lock")"
[ -n "$version" ] || die "whisper-rs-sys is not in Cargo.lock"
ggml="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/whisper-rs-sys-"$version"/whisper.cpp/ggml 2>/dev/null | head -n 1)"
[ -d "$ggml" ] || die "whisper-rs-sys $version sources not found (run cargo fetch)"

work="$(mktemp -d "${TMPDIR:-/tmp}/panelist-qcheck.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cc -O2 -c -I"$ggml/include" -I"$ggml/src" "$ggml/src/ggml-quants.c" -o "$work/quants.o"
cc -O2 "$MODELS_DIR/qcheck/qref.c" "$MODELS_DIR/qcheck/stubs.c" "$work/quants.o" -lm -o "$work/qref"

PY=python3
python3 -c 'import numpy' 2>/dev/null || PY="$MODELS_DIR/.venv/bin/python"
"$PY" "$MODELS_DIR/qcheck/compare.py" "$MODELS_DIR" "$work/qref"
