#!/usr/bin/env bash
# Starts Veiviser scaled out on loopback: several Rasa processes sharing a
# PostgreSQL tracker store and the atomic Redis lock store, one action
# server, nginx in front (a consistent hash sends each conversation to one
# process), and the web page, whose socket.io proxy points at nginx.
# Ctrl-C stops every process. See docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"

: "${VEIVISER_HOST:=127.0.0.1}"
: "${RASA_PORT:=5005}"                 # nginx: where clients talk to Rasa
: "${RASA_INSTANCE_PORTS:=5011 5012}"  # one Rasa process per port
: "${ACTION_PORT:=5055}"
: "${WEB_PORT:=8080}"
: "${VEIVISER_DATABASE_URL:=postgresql://postgres@127.0.0.1:5432/veiviser}"
: "${VEIVISER_REDIS_URL:=redis://127.0.0.1:6379/1}"
: "${SCALED_RUNTIME_DIR:=$PWD/logs/scaled}"
: "${NGINX_RATE_CONVERSATION:=5r/s}"  # requests per conversation (burst 20)
: "${NGINX_RATE_CLIENT:=50r/s}"       # requests per client address (burst 200)
: "${NGINX:=$(command -v nginx || echo /usr/sbin/nginx)}"
export VEIVISER_DATABASE_URL VEIVISER_REDIS_URL
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTION_PORT/webhook}"
export TRACKER_DB="${TRACKER_DB:-unused-with-database-url.db}"  # endpoints.yml needs it set
export SANIC_HOST="$VEIVISER_HOST"
export TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
source scripts/lib/secrets_and_console.sh

if [ ! -x "$NGINX" ]; then
  echo "Fant ikke nginx. Kjør scripts/setup.sh (installerer nginx-light) eller: sudo apt-get install nginx-light" >&2
  exit 1
fi
# Fail early and clearly when the shared services are missing.
.venv/bin/python - <<'PY'
import os, sys
import redis, sqlalchemy as sa
from veiviser.stores.database import ensure_database, redacted
url = os.environ["VEIVISER_DATABASE_URL"]
ensure_database(url)
try:
    with sa.create_engine(url).connect() as c:
        c.execute(sa.text("SELECT 1"))
except Exception as e:
    sys.exit(f"PostgreSQL svarer ikke ({redacted(url)}): {e}")
try:
    redis.Redis.from_url(os.environ["VEIVISER_REDIS_URL"], socket_connect_timeout=3).ping()
except Exception as e:
    sys.exit(f"Redis svarer ikke ({os.environ['VEIVISER_REDIS_URL'].split('@')[-1]}): {e}")
PY

model="${VEIVISER_MODEL:-$(scripts/train.sh)}"
logs="$SCALED_RUNTIME_DIR"
mkdir -p "$logs"/{client_body,proxy,fastcgi,uwsgi,scgi}
.venv/bin/python -m veiviser.handoff.migrations >/dev/null   # case database schema

servers=""
for port in $RASA_INSTANCE_PORTS; do
  servers+="        server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
done
sed -e "s#@RUNTIME@#$logs#g" -e "s#@LISTEN@#$VEIVISER_HOST:$RASA_PORT#g" \
  -e "s#@RATE_CONVERSATION@#$NGINX_RATE_CONVERSATION#g" -e "s#@RATE_CLIENT@#$NGINX_RATE_CLIENT#g" \
  -e "s#@BURST_CONVERSATION@#20#g" -e "s#@BURST_CLIENT@#200#g" \
  deploy/nginx.conf.template | awk -v servers="$servers" '
    /@UPSTREAM_SERVERS@/ { printf "%s", servers; next } { print }' >"$logs/nginx.conf"
"$NGINX" -t -q -p "$logs" -c "$logs/nginx.conf" -e "$logs/error.log"

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "==> Stopper Veiviser (skalert)"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# The action server: rasa-sdk behind the shared secret, on loopback only.
.venv/bin/python -m veiviser.actionserver --host 127.0.0.1 --port "$ACTION_PORT" \
  >"$logs/actions.log" 2>&1 &
pids+=($!)
for port in $RASA_INSTANCE_PORTS; do
  .venv/bin/rasa run --model "$model" --endpoints endpoints.yml --credentials credentials.yml \
    --interface 127.0.0.1 --port "$port" >"$logs/rasa-$port.log" 2>&1 &
  pids+=($!)
  echo "$!" >"$logs/rasa-$port.pid"
done
# nginx in the foreground of its own process (master + one worker).
"$NGINX" -p "$logs" -c "$logs/nginx.conf" -e "$logs/error.log" -g "daemon off;" &
pids+=($!)
.venv/bin/python scripts/serve_web.py --host "$VEIVISER_HOST" --port "$WEB_PORT" \
  --upstream "http://127.0.0.1:$RASA_PORT" >"$logs/web.log" 2>&1 &
pids+=($!)
# The advisor console; its relay goes through nginx, which routes
# /webhooks/handoff/<id>/ to the process holding that conversation.
CONSOLE_HOST=127.0.0.1 .venv/bin/python -m veiviser.console.app >"$logs/console.log" 2>&1 &
pids+=($!)

source scripts/lib/wait_for.sh
wait_for "http://127.0.0.1:$ACTION_PORT/health" "Handlingsserveren" 180
for port in $RASA_INSTANCE_PORTS; do
  wait_for "http://127.0.0.1:$port/" "Rasa-prosessen på port $port" 300
done
wait_for "http://127.0.0.1:$RASA_PORT/nginx-health" "nginx" 30
wait_for "http://127.0.0.1:$WEB_PORT/healthz" "Nettsiden" 30
wait_for "http://127.0.0.1:$CONSOLE_PORT/login" "Veilederkonsollet" 30

cat <<MSG

Veiviser kjører skalert ($(wc -w <<<"$RASA_INSTANCE_PORTS") Rasa-prosesser bak nginx):
  Nettside:   http://$VEIVISER_HOST:$WEB_PORT/
  REST:       POST http://$VEIVISER_HOST:$RASA_PORT/webhooks/rest/webhook?vv_sid=<id>   {"sender": "<id>", "message": "hei"}
  socket.io:  http://$VEIVISER_HOST:$RASA_PORT/socket.io/?vv_sid=<økt-id>
  Rasa-prosesser: $(for p in $RASA_INSTANCE_PORTS; do printf 'http://127.0.0.1:%s ' "$p"; done)
  Samtalelager: $(.venv/bin/python -c 'import os; from veiviser.stores.database import redacted; print(redacted(os.environ["VEIVISER_DATABASE_URL"]))')
  Låselager:    ${VEIVISER_REDIS_URL##*@}
  Veiledere:  http://127.0.0.1:$CONSOLE_PORT/   (veilederkonsollet; kontoer: make advisor)
  Logger:     $logs/
Trykk Ctrl-C for å stoppe.
MSG
# A Rasa process that stops is not the end: nginx sends its conversations
# to the others (their state is in PostgreSQL). Anything else stopping is.
declare -A rasa_port_of=()
for port in $RASA_INSTANCE_PORTS; do rasa_port_of[$(cat "$logs/rasa-$port.pid")]=$port; done
while true; do
  wait -n "${pids[@]}" || true
  alive=()
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then alive+=("$pid"); continue; fi
    if [ -z "${rasa_port_of[$pid]:-}" ]; then
      echo "En av prosessene stoppet. Se $logs/." >&2
      exit 1
    fi
    echo "Rasa-prosessen på port ${rasa_port_of[$pid]} stoppet; nginx sender samtalene til de andre. Se $logs/." >&2
  done
  pids=("${alive[@]}")
  remaining=0
  for pid in "${pids[@]}"; do
    if [ -n "${rasa_port_of[$pid]:-}" ]; then remaining=$((remaining + 1)); fi
  done
  if [ "$remaining" = 0 ]; then
    echo "Ingen Rasa-prosess kjører lenger. Se $logs/." >&2
    exit 1
  fi
done
