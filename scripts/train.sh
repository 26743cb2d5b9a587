#!/usr/bin/env bash
# Trains a model only when its inputs changed. The model is named after a
# hash of everything that shapes it, so an unchanged project reuses it
# (tests/emergency/ included: the emergency scorer learns from its measured sets).
# Prints the model path on the last line of stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"

inputs=$(find config.yml domain data veiviser/nlu veiviser/policies veiviser/safety veiviser/text.py \
  build/spacy_nb/meta.json tests/emergency -type f \( -name '*.yml' -o -name '*.yaml' -o -name '*.py' -o -name '*.json' \) | sort)
hash=$(cat $inputs | sha256sum | cut -c1-12)
model="models/veiviser-$hash.tar.gz"

if [ -f "$model" ]; then
  echo "==> Modellen er oppdatert ($model)" >&2
else
  echo "==> Trener modell ($model)" >&2
  start=$(date +%s)
  .venv/bin/rasa train --config config.yml --domain domain --data data \
    --out models --fixed-model-name "veiviser-$hash" >&2
  echo "==> Trening tok $(( $(date +%s) - start )) s" >&2
fi
echo "$model"
