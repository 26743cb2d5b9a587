#!/usr/bin/env bash
# Runs every test. One model is trained per run (or reused when nothing
# changed) and shared by the conversation tests and the model-based pytest
# tests. Reports land in results/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
mkdir -p results

echo "==> rasa data validate"
.venv/bin/rasa data validate --config config.yml --domain domain --data data \
  >results/validate.log 2>&1 || { cat results/validate.log; exit 1; }
grep -E "WARNING|UserWarning" results/validate.log || true

echo "==> Modell"
model="$(scripts/train.sh 2>results/train.log)" || { tail -50 results/train.log; exit 1; }
grep -E "^==>" results/train.log || true

echo "==> Samtaletester (rasa test core)"
.venv/bin/rasa test core --model "$model" --stories tests/conversations \
  --out results/conversations --fail-on-prediction-errors >results/conversations.log 2>&1 \
  || { grep -v "it/s" results/conversations.log | tail -60; cat results/conversations/failed_test_stories.yml 2>/dev/null; exit 1; }
grep -E "Finished evaluation|Correct:|Accuracy" results/conversations.log | head -5 || true

echo "==> pytest"
VEIVISER_MODEL="$model" .venv/bin/pytest "$@"

echo "==> Nettlesertester (web/, headless Chromium)"
(cd web && node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination=../results/browser-junit.xml \
  ../tests/browser/widget.test.mjs ../tests/browser/security.test.mjs \
  ../tests/browser/handoff.test.mjs)
