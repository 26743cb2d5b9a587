#!/usr/bin/env bash
# Idempotent set-up: Python venv from the lock file, and the Norwegian spaCy
# pipeline built from installed packages (nothing is fetched at run time).
# Re-runs only the steps whose inputs changed.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.lock-$(sha256sum requirements.lock | cut -c1-16)"

if [ ! -f "$STAMP" ]; then
  PY="$(scripts/find_python.sh)"
  echo "==> Lager virtuelt miljø i $VENV med $PY"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade "pip==24.0"
  echo "==> Installerer låste avhengigheter (requirements.lock)"
  "$VENV/bin/pip" install --quiet --no-deps -r requirements.lock
  "$VENV/bin/pip" check
  touch "$STAMP"
fi

# The spaCy pipeline (blank "nb" + Norsk Ordbank lemma lookup) is a build
# product of installed packages; rebuild when its builder changes.
SPACY_STAMP="build/spacy_nb/.built-$(sha256sum scripts/build_spacy_nb.py | cut -c1-16)"
if [ ! -f "$SPACY_STAMP" ]; then
  echo "==> Bygger norsk spaCy-pipeline (build/spacy_nb)"
  "$VENV/bin/python" scripts/build_spacy_nb.py build/spacy_nb
  touch "$SPACY_STAMP"
fi
