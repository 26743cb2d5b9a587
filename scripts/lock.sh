#!/usr/bin/env bash
# Regenerates requirements.lock from requirements.in in a throwaway venv.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="$(scripts/find_python.sh)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$PY" -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet "pip==24.0"
"$tmp/venv/bin/pip" install --quiet -r requirements.in
{
  echo "# Generated from requirements.in with 'make lock' (pip freeze of a fresh Python 3.10 venv)."
  echo "# Do not edit by hand."
  "$tmp/venv/bin/pip" freeze --all | grep -v '^pip=='
} > requirements.lock
echo "requirements.lock updated"
