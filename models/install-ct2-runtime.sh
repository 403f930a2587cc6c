#!/usr/bin/env bash
# Installs the CTranslate2 runtime that models/fetch-ct2-runtime.sh placed (default
# models/ct2-runtime) where every build and every program finds it: the libraries in
# /usr/local/lib/panelist-ct2 (PANELIST_CT2_PREFIX), named in /etc/ld.so.conf.d so the
# dynamic loader finds them without an rpath or LD_LIBRARY_PATH (tests, the CLI, the kiosk
# app under WebDriver all start programs of the workspace), plus the empty link stubs ct2rs
# asks for. The build (crates/transcribe/build.rs) links from there. Idempotent; uses sudo
# when not root. The .deb ships its own copy in /usr/lib/panelist (scripts/package.sh).
#   bash models/install-ct2-runtime.sh [FROM]
set -euo pipefail
FROM="${1:-$(cd "$(dirname "$0")" && pwd)/ct2-runtime}"
PREFIX="${PANELIST_CT2_PREFIX:-/usr/local/lib/panelist-ct2}"
CONF=/etc/ld.so.conf.d/panelist-ct2.conf
lib="$(ls "$FROM"/wheel/ctranslate2.libs/libctranslate2-*.so.* 2>/dev/null | head -n 1)"
[ -n "$lib" ] || { echo "install-ct2-runtime.sh: no runtime in $FROM: run models/fetch-ct2-runtime.sh first" >&2; exit 1; }
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
# Already installed, the same files: nothing to do (the build cache stays valid).
same=1
for f in "$FROM"/wheel/ctranslate2.libs/*.so.*; do
  cmp -s "$f" "$PREFIX/$(basename "$f")" || same=0
done
if [ "$same" = 1 ] && [ -L "$PREFIX/libctranslate2.so" ] && [ -f "$CONF" ] &&
  [ "$(cat "$CONF")" = "$PREFIX" ] && ldconfig -p | grep -q "$(basename "$lib")"; then
  exit 0
fi
$sudo_cmd mkdir -p "$PREFIX"
for f in "$FROM"/wheel/ctranslate2.libs/*.so.*; do
  $sudo_cmd install -m 0644 "$f" "$PREFIX/"
done
$sudo_cmd ln -sf "$(basename "$lib")" "$PREFIX/libctranslate2.so"
# ct2rs 0.10.3 names these archives even without CUDA; cpu_features is inside the library.
for l in cpu_features cublas_static cublasLt_static culibos cudart_static; do
  [ -e "$PREFIX/lib$l.a" ] || $sudo_cmd ar rcs "$PREFIX/lib$l.a"
done
echo "$PREFIX" | $sudo_cmd tee "$CONF" >/dev/null
$sudo_cmd ldconfig
echo "install-ct2-runtime.sh: $(basename "$lib") installed in $PREFIX (loader path $CONF)" >&2
