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

# The web page's browser dependencies (socket.io-client, served to the page)
# and the browser-test tools (playwright-core, axe-core) from the npm lock
# file; reinstalled only when web/package-lock.json changes.
if ! command -v npm >/dev/null 2>&1; then
  echo "Fant ikke npm. Nettsiden og nettlesertestene trenger Node.js 20 med npm." >&2
  exit 1
fi
NPM_STAMP="web/node_modules/.lock-$(sha256sum web/package-lock.json | cut -c1-16)"
if [ ! -f "$NPM_STAMP" ]; then
  echo "==> Installerer nettleseravhengigheter (web/package-lock.json)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  touch "$NPM_STAMP"
fi

# Headless Chromium for the browser tests: Debian's package, installed when
# missing and we may (root with apt-get); otherwise say how.
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installerer chromium (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Merk: chromium mangler, og nettlesertestene trenger det: sudo apt-get install chromium" >&2
  fi
fi

# nginx for the scaled run (scripts/run_scaled.sh): Debian's nginx-light,
# installed when missing and we may; it runs unprivileged with its own
# config in logs/scaled/, never as a system service.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installerer nginx-light (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
  else
    echo "Merk: nginx mangler, og make run-scaled trenger det: sudo apt-get install nginx-light" >&2
  fi
fi
