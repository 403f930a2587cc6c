#!/usr/bin/env bash
# The prebuilt CTranslate2 4.8.4 runtime of the `ct2` engine (crates/transcribe/src/ct2.rs)
# and of scripts/ct2rs-probe: libctranslate2 (Intel MKL and oneDNN
# linked in) and its libgomp, taken from the PyPI wheel ctranslate2==4.8.4 (the version
# ct2rs 0.10.3 vendors the headers of), checksummed. Also writes empty static archives for
# the libraries ct2rs's "system" link list names but this runtime does not need
# (cpu_features is inside libctranslate2; the CUDA ones are named even without CUDA, a
# quirk of ct2rs 0.10.3's build.rs).
#   bash models/fetch-ct2-runtime.sh [DIR]      (default models/ct2-runtime, where the
#                                                 build looks unless PANELIST_CT2_RUNTIME)
set -euo pipefail
DIR="${1:-$(cd "$(dirname "$0")" && pwd)/ct2-runtime}"
WHEEL=ctranslate2-4.8.4-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl
SHA256=1037b3f51d18f1546120686670d71fcdaf85a0500fffccc56d8439ded5d284e5
mkdir -p "$DIR"
if [ ! -s "$DIR/$WHEEL" ]; then
  python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.11 \
    --platform manylinux_2_28_x86_64 ctranslate2==4.8.4 -d "$DIR"
fi
echo "$SHA256  $DIR/$WHEEL" | sha256sum -c --quiet -
[ -d "$DIR/wheel/ctranslate2.libs" ] || (cd "$DIR" && python3 -m zipfile -e "$WHEEL" wheel >/dev/null)
lib="$(ls "$DIR"/wheel/ctranslate2.libs/libctranslate2-*.so.*)"
for f in "$DIR"/wheel/ctranslate2.libs/*.so.*; do ln -sf "$f" "$DIR/"; done
ln -sf "$lib" "$DIR/libctranslate2.so"
for l in cpu_features cublas_static cublasLt_static culibos cudart_static; do
  [ -e "$DIR/lib$l.a" ] || ar rcs "$DIR/lib$l.a"
done
echo "fetch-ct2-runtime.sh: $DIR holds $(basename "$lib") (link with LIBRARY_PATH=$DIR, run with LD_LIBRARY_PATH=$DIR)"
