#!/usr/bin/env bash
# Prints the path of a Python 3.10 (or 3.9/3.8) interpreter usable by Rasa 3.6.
# Rasa Open Source 3.6 supports Python 3.8-3.10 only.
set -euo pipefail

candidates=()
for v in 3.10 3.9 3.8; do
  command -v "python$v" >/dev/null 2>&1 && candidates+=("$(command -v "python$v")")
done
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
if command -v pyenv >/dev/null 2>&1; then pyenv_root="$(pyenv root)"; fi
for v in 3.10 3.9 3.8; do
  for dir in $(ls -d "$pyenv_root"/versions/"$v".* 2>/dev/null | sort -rV); do
    [ -x "$dir/bin/python" ] && candidates+=("$dir/bin/python")
  done
done
for p in /usr/bin/python3.10 /usr/local/bin/python3.10; do
  [ -x "$p" ] && candidates+=("$p")
done

for p in "${candidates[@]}"; do
  if "$p" -c 'import sys, venv; sys.exit(0 if (3, 8) <= sys.version_info[:2] <= (3, 10) else 1)' 2>/dev/null; then
    echo "$p"
    exit 0
  fi
done

cat >&2 <<'MSG'
Fant ingen Python 3.8-3.10. Rasa Open Source 3.6 krever Python 3.8, 3.9 eller 3.10.
Install one, for example:  pyenv install 3.10.13   (or: apt-get install python3.10 python3.10-venv)
Then run the command again.
MSG
exit 1
