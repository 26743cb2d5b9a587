# Sourced by scripts/run.sh and scripts/run_scaled.sh.
# wait_for URL NAME SECONDS: polls URL once a second until it answers; gives
# up (and says where the logs are) when SECONDS pass or when one of the
# started processes in "${pids[@]}" has stopped. Needs $logs.
wait_for() {
  for _ in $(seq "$3"); do
    curl -fsS "$1" >/dev/null 2>&1 && return 0
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "$2 stoppet. Se $logs/." >&2; return 1; }
    done
    sleep 1
  done
  echo "$2 svarte ikke innen $3 s. Se $logs/." >&2
  return 1
}
