#!/usr/bin/env bash
# Builds the Debian package of the kiosk with Tauri's bundler (tauri-cli 2, from the UI's
# npm packages): the release `panelist-kiosk` and `panelist`; the CTranslate2 runtime
# they link (/usr/lib/panelist, from the PyPI wheel, unmodified, with its licences; the
# programs' RUNPATH names that folder); the speech models (models/base-ct2, the default,
# models/tiny.en-ct2, quicker on slower machines, and models/ggml-tiny.en.bin for
# whisper.cpp) and the meaning model for scoring
# (models/all-MiniLM-L6-v2), shipped inside since a kiosk may never be online to fetch
# them; a desktop entry and icon for the kiosk and for admin mode; the systemd units
# that run it as a kiosk (packaging/); and the documentation.
# Question bank, fonts and the UI are compiled into the binaries.
#
#   bash scripts/package.sh            prints the path of the .deb it wrote
#   PACKAGE_SETUP=0                    skip scripts/setup.sh (test.sh already ran it)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
[ "${PACKAGE_SETUP:-1}" = 0 ] || bash scripts/setup.sh >&2
# The package runs on other machines than the one that built it: whisper.cpp is compiled
# for x86-64-v3 (AVX2, FMA, F16C: Intel Haswell 2013 and later, AMD Zen) instead of this
# CPU's own instructions (a kiosk without AVX-512 would stop on an illegal instruction).
# whisper-rs-sys does not rebuild when these change, so the package has its own build
# folder (`deb/` inside the build cache), apart from the native builds of kiosk.sh and the
# benchmarks.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}/deb
export GGML_NATIVE=OFF GGML_AVX=ON GGML_AVX2=ON GGML_FMA=ON GGML_F16C=ON
release=$CARGO_TARGET_DIR/release

(cd ui && npm run build --silent) >&2
cargo build --release --bin panelist --bin panelist-kiosk >&2
# The CTranslate2 runtime goes in /usr/lib/panelist; the programs look there first
# (RUNPATH), not in the build machine's /usr/local/lib/panelist-ct2.
ct2_runtime=${PANELIST_CT2_RUNTIME:-/usr/local/lib/panelist-ct2}
patchelf --set-rpath /usr/lib/panelist "$release/panelist" "$release/panelist-kiosk"

# The files the bundler adds to what it installs by itself (/usr/bin/panelist-kiosk, the
# desktop entry, the icon): absolute paths, since the build folder may be anywhere.
files=$(mktemp "${TMPDIR:-/tmp}"/panelist-deb-files.XXXXXX.json)
trap 'rm -f "$files"' EXIT
python3 - "$files" "$root" "$release" "$ct2_runtime" <<'PY'
import glob, json, os, sys
out, root, release, ct2_runtime = sys.argv[1:]
files = {
    "/usr/bin/panelist": f"{release}/panelist",
    "/usr/share/panelist/models/base-ct2": f"{root}/models/base-ct2",
    "/usr/share/panelist/models/tiny.en-ct2": f"{root}/models/tiny.en-ct2",
    "/usr/share/panelist/models/ggml-tiny.en.bin": f"{root}/models/ggml-tiny.en.bin",
    "/usr/share/panelist/models/README.md": f"{root}/models/README.md",
    "/usr/share/panelist/models/SHA256SUMS": f"{root}/models/SHA256SUMS",
    "/usr/share/panelist/models/all-MiniLM-L6-v2": f"{root}/models/all-MiniLM-L6-v2",
    "/usr/share/applications/panelist-admin.desktop": f"{root}/packaging/panelist-admin.desktop",
    "/usr/lib/systemd/user/panelist-kiosk.service": f"{root}/packaging/panelist-kiosk.service",
    "/usr/lib/systemd/system/panelist-kiosk-cage@.service": f"{root}/packaging/panelist-kiosk-cage@.service",
    "/usr/share/doc/panelist/README.md": f"{root}/README.md",
    # The bigram list is compiled into the programs; its source and licence (CC BY 3.0,
    # attribution required) go with them.
    "/usr/share/doc/panelist/bigrams.md": f"{root}/assets/bigrams/README.md",
    # So are the word frequencies (CC BY-SA 4.0), and the fonts embedded in exported PDFs
    # (Bitstream Vera / public domain, Apache-2.0): their sources and licences too.
    "/usr/share/doc/panelist/word-frequency.md": f"{root}/assets/word-frequency/README.md",
    "/usr/share/doc/panelist/fonts/README.md": f"{root}/assets/fonts/README.md",
    "/usr/share/doc/panelist/fonts/LICENSE-DejaVu.txt": f"{root}/assets/fonts/LICENSE-DejaVu.txt",
    "/usr/share/doc/panelist/fonts/LICENSE-DroidSansFallback-Apache-2.0.txt": f"{root}/assets/fonts/LICENSE-DroidSansFallback-Apache-2.0.txt",
    # The CTranslate2 runtime's sources and licences (CTranslate2 MIT, Intel oneMKL's
    # Intel Simplified Software License, libgomp's GPL with the runtime exception).
    "/usr/share/doc/panelist/ctranslate2/README.md": f"{root}/packaging/third-party/README.md",
    "/usr/share/doc/panelist/ctranslate2/LICENSE-CTranslate2.txt": f"{root}/packaging/third-party/LICENSE-CTranslate2.txt",
    "/usr/share/doc/panelist/ctranslate2/LICENSE-Intel-Simplified-Software-License.txt": f"{root}/packaging/third-party/LICENSE-Intel-Simplified-Software-License.txt",
}
# The runtime's libraries as the wheel has them (real files, not the symlinks).
libs = sorted(glob.glob(f"{ct2_runtime}/*.so.*"))
if not any(os.path.basename(l).startswith("libctranslate2-") for l in libs):
    sys.exit(f"package: no CTranslate2 runtime in {ct2_runtime}: run models/install-ct2-runtime.sh")
for lib in libs:
    files[f"/usr/lib/panelist/{os.path.basename(lib)}"] = os.path.realpath(lib)
json.dump({"bundle": {"linux": {"deb": {"files": files}}}}, open(out, "w"), indent=2)
PY
rm -rf "$release/bundle/deb"
(cd src-tauri && "$root/ui/node_modules/.bin/tauri" bundle --ci --bundles deb \
  --config "$root/packaging/deb.conf.json" --config "$files") >&2
deb=$(ls "$release"/bundle/deb/*.deb)
# What must be inside, or the installed kiosk cannot start.
contents=$(dpkg-deb --contents "$deb")
for f in usr/bin/panelist-kiosk usr/bin/panelist usr/share/panelist/models/ggml-tiny.en.bin \
  usr/share/panelist/models/base-ct2/model.bin usr/share/panelist/models/base-ct2/tokenizer.json \
  usr/share/panelist/models/tiny.en-ct2/model.bin usr/share/panelist/models/tiny.en-ct2/tokenizer.json \
  usr/share/panelist/models/all-MiniLM-L6-v2/model.safetensors \
  'usr/lib/panelist/libctranslate2-[0-9a-f]+\.so\.[0-9.]+' usr/lib/systemd/user/panelist-kiosk.service; do
  grep -Eq " (\./)?$f\$" <<<"$contents" || { echo "package: $f is missing from $deb" >&2; exit 1; }
done
echo "$deb"
