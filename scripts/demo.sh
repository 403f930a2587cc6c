#!/usr/bin/env bash
# A demo interview on the embedded defaults (SQLite, offline rules brain), no network:
# creates and publishes an interview, runs a scripted candidate, prints the report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --quiet --bin panelist
bin="${CARGO_TARGET_DIR:-target}/release/panelist"
data="${PANELIST_DATA_DIR:-$(mktemp -d)}"
export PANELIST_DATA_DIR="$data"

id=$("$bin" interview create --role "Data Scientist" \
  --description "Train and evaluate machine learning models in Python; SQL for analysis." \
  --difficulty medium --focus "ML,Python" --minutes 10 --questions 3)
"$bin" interview publish "$id"
"$bin" interview show "$id"

answers=$(mktemp)
cat > "$answers" <<'ANSWERS'
The most likely causes are data drift, where the distribution shift between training data and live traffic grows over time, and leakage in the offline evaluation, where future information leaked into the features. I would also look for training-serving skew in the preprocessing. For example, in my last project we logged live inputs and compared histograms against the training data, and found a feature pipeline mismatch that cost us 15 percent accuracy.
A decorator is a higher-order function: it takes a function and returns a wrapper. I have used one for logging.
The at sign is just syntactic sugar: writing it above a function is equivalent to reassigning the name to the wrapped function. The inner function is a closure over the original, and I use functools wraps to keep the docstring and name, because otherwise debugging gets confusing.
High bias means the model is too simple and underfits; high variance means it is sensitive to the particular training set and overfits. As complexity grows, bias falls and variance rises, so the error curve is u-shaped and you look for the sweet spot. To control it I use regularisation, more data or bagging. For instance, when I pruned our decision trees, validation error dropped by 8 percent.
ANSWERS
out=$("$bin" interview run "$id" --name "Demo Candidate" --email demo@example.com --answers "$answers")
echo "$out"
session=$(echo "$out" | tail -n 1)
echo
"$bin" report show "$session"
echo
echo "Data directory: $data (report JSON: $bin report show $session --json)"
