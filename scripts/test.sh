#!/usr/bin/env bash
# Runs every check CI runs: formatting, lints, all tests, the scoring calibration, the
# kiosk's end-to-end tests, and the Debian package (built, installed, checked, removed).
# On a fresh Debian machine it first installs what the build needs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

# Every process this run starts inherits the marker, and every temporary file goes to one
# folder: at the end scripts/leftovers.sh fails the run if any is still there.
export PANELIST_TEST_RUN="run-$$-$RANDOM"
TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/panelist-test.XXXXXX")
# Others may pass through it, not list it: the throwaway PostgreSQL clusters run as the
# `postgres` user in folders of their own inside.
chmod 711 "$TMPDIR"
export TMPDIR

echo "== ui: type-check, unit tests (Vitest), build"
(cd ui && npm run check && npm test && npm run build)
echo "== ui smoke: every screen against the mocks in WebKit, axe-core (WCAG 2.x A/AA)"
UI_SMOKE_REBUILD=0 bash scripts/ui-smoke.sh
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo test"
# `cargo test` has built the binaries too (the integration tests run them): the
# calibration and the end-to-end test use those, so no second build with another
# feature set is needed.
cargo test --workspace
echo "== scoring calibration (Pearson r against human grades, target >= 0.62)"
csv=../shared/data/short-answer-grading-dev.csv
if [ -f "$csv" ]; then
  python3 scripts/calibrate-scoring.py --csv "$csv" \
    --panelist "${CARGO_TARGET_DIR:-target}/debug/panelist" --min 0.62
else
  echo "calibration data not found at $csv: skipped"
fi
echo "== kiosk end-to-end (the real app under Xvfb, WebDriver, virtual microphone)"
bash scripts/e2e.sh
echo "== the Debian package: built (release), installed, the installed kiosk checked, removed"
deb=$(PACKAGE_SETUP=0 bash scripts/package.sh)
bash scripts/deb-smoke.sh "$deb"
echo "== leftovers: processes still running, temporary files"
bash scripts/leftovers.sh "$PANELIST_TEST_RUN" "$TMPDIR"
