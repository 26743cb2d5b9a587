# Sourced by scripts/run.sh and scripts/run_scaled.sh (after RASA_PORT is
# set): the per-run secrets and the advisor console's settings.
# Secrets come from the environment, or are random for this run
# (docs/SECURITY.md, docs/HANDOFF.md): the session secret signs the widget's
# session tokens (web front and Rasa), the action secret is the header Rasa
# sends to the action server, the relay secret guards the console -> Rasa
# handoff relay.
new_secret() { .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))'; }
export VEIVISER_SESSION_SECRET="${VEIVISER_SESSION_SECRET:-$(new_secret)}"
export VEIVISER_ACTION_SECRET="${VEIVISER_ACTION_SECRET:-$(new_secret)}"
export VEIVISER_RELAY_SECRET="${VEIVISER_RELAY_SECRET:-$(new_secret)}"

if [ -z "${CONSOLE_PORT:-}" ]; then
  # The advisor console's default port; when it is taken (tests that start
  # Veiviser on spare ports), a free one. The URL is printed at start.
  CONSOLE_PORT=8090
  if ! .venv/bin/python -c 'import socket; socket.socket().bind(("127.0.0.1", 8090))' 2>/dev/null; then
    CONSOLE_PORT="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  fi
fi
# Cases live beside the tracker store: the same PostgreSQL database when
# one is configured (tables prefixed handoff_), else a SQLite file.
export VEIVISER_CASE_DB_URL="${VEIVISER_CASE_DB_URL:-${VEIVISER_DATABASE_URL:-sqlite:///$PWD/handoff.db}}"
export CONSOLE_PORT
export VEIVISER_RELAY_URL="${VEIVISER_RELAY_URL:-http://127.0.0.1:$RASA_PORT/webhooks/handoff}"
export CONSOLE_PUBLIC_URL="${CONSOLE_PUBLIC_URL:-http://127.0.0.1:$CONSOLE_PORT}"
