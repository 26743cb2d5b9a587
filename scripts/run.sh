#!/usr/bin/env bash
# Starts Veiviser on localhost with the embedded defaults (SQLite tracker
# store, in-memory lock store): the action server and the Rasa server with
# the REST and socket.io channels. Ctrl-C stops every process.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"

: "${VEIVISER_HOST:=127.0.0.1}"
: "${RASA_PORT:=5005}"
: "${ACTION_PORT:=5055}"
: "${TRACKER_DB:=rasa.db}"
: "${WEB_PORT:=8080}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTION_PORT/webhook}"
export TRACKER_DB
export SANIC_HOST="$VEIVISER_HOST"   # the action server binds here, not 0.0.0.0
export TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1

source scripts/lib/secrets_and_console.sh
# Rasa's HTTP API (conversations, models) stays off unless asked for, and
# then only with a token or JWT secret from the environment.
api_args=()
if [ "${VEIVISER_ENABLE_API:-0}" = "1" ]; then
  api_token="${VEIVISER_API_TOKEN:-}" api_jwt="${VEIVISER_API_JWT_SECRET:-}"
  if [ "${#api_token}" -ge 32 ]; then
    api_args=(--enable-api --auth-token "$api_token")
  elif [ "${#api_jwt}" -ge 32 ]; then
    api_args=(--enable-api --jwt-secret "$api_jwt" --jwt-method HS256)
  else
    echo "VEIVISER_ENABLE_API=1 krever VEIVISER_API_TOKEN eller VEIVISER_API_JWT_SECRET" \
         "(minst 32 tegn). Starter ikke." >&2
    exit 2
  fi
fi

model="$(scripts/train.sh)"
logs="${VEIVISER_LOG_DIR:-logs}"   # tests point this at a temporary directory
mkdir -p "$logs"
.venv/bin/python -m veiviser.handoff.migrations >/dev/null   # case database schema
pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "==> Stopper Veiviser"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# The action server: rasa-sdk behind the shared secret, on loopback only.
.venv/bin/python -m veiviser.actionserver --host 127.0.0.1 --port "$ACTION_PORT" \
  >"$logs/actions.log" 2>&1 &
pids+=($!)
.venv/bin/rasa run --model "$model" --endpoints endpoints.yml --credentials credentials.yml \
  --interface "$VEIVISER_HOST" --port "$RASA_PORT" ${api_args[@]+"${api_args[@]}"} >"$logs/rasa.log" 2>&1 &
pids+=($!)
# The web page and widget; proxies /socket.io/ to Rasa with an Origin
# allow-list (VEIVISER_WEB_ORIGINS), see docs/WEB_CHAT.md.
.venv/bin/python scripts/serve_web.py --host "$VEIVISER_HOST" --port "$WEB_PORT" \
  --upstream "http://127.0.0.1:$RASA_PORT" >"$logs/web.log" 2>&1 &
pids+=($!)
# The advisor console (docs/HANDOFF.md), on loopback only.
CONSOLE_HOST=127.0.0.1 .venv/bin/python -m veiviser.console.app >"$logs/console.log" 2>&1 &
pids+=($!)

source scripts/lib/wait_for.sh
wait_for "http://127.0.0.1:$ACTION_PORT/health" "Handlingsserveren" 120
wait_for "http://127.0.0.1:$RASA_PORT/" "Rasa-serveren" 180
wait_for "http://127.0.0.1:$WEB_PORT/healthz" "Nettsiden" 30
wait_for "http://127.0.0.1:$CONSOLE_PORT/login" "Veilederkonsollet" 30

cat <<MSG

Veiviser kjører:
  Nettside:   http://$VEIVISER_HOST:$WEB_PORT/   (chat i nettleseren)
  REST:       POST http://$VEIVISER_HOST:$RASA_PORT/webhooks/rest/webhook   {"sender": "<id>", "message": "hei"}
  socket.io:  http://$VEIVISER_HOST:$RASA_PORT/socket.io
  Handlinger: http://127.0.0.1:$ACTION_PORT/webhook (bare lokalt)
  Veiledere:  http://127.0.0.1:$CONSOLE_PORT/   (veilederkonsollet; kontoer: make advisor)
  Logger:     $logs/rasa.log, $logs/actions.log, $logs/web.log og $logs/console.log
Trykk Ctrl-C for å stoppe.
MSG
wait -n "${pids[@]}"
echo "En av prosessene stoppet. Se $logs/." >&2
