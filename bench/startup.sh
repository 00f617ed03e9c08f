#!/usr/bin/env bash
# Start-up benchmark: milliseconds from launching `simulator/mvsim serve` to its first HTTP
# response, as the median of RUNS starts (default 11) on a fresh data directory (first start:
# schema, master key and account created) and on an existing one (restart).
# Usage: bench/startup.sh [RUNS]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

runs="${1:-11}"
ensure_jar

# Prints "MILLISECONDS CPU_MILLISECONDS" from launch to the first response of one start on data
# directory $1: the wall time, and the CPU time serve used until then.
time_one_start() {
  local data_dir="$1" port start end pid cpu
  port="$(free_port)"
  start="$(date +%s%N)"
  "$launcher" serve --port "$port" --data-dir "$data_dir" >/dev/null 2>"$work/startup.err" &
  pid=$!
  started_pids+=("$pid")
  # Poll as fast as curl can start; every response counts, 401 included.
  until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/v1/Secrets"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "serve exited before responding: $(cat "$work/startup.err")"
      return 1
    fi
  done
  end="$(date +%s%N)"
  cpu="$(cpu_ms "$pid")"
  stop_pid "$pid"
  echo "$(((end - start) / 1000000)) $cpu"
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

describe_machine
for mode in fresh existing; do
  wall=()
  cpu=()
  for ((i = 0; i < runs; i++)); do
    if [[ "$mode" == fresh ]]; then
      rm -rf "$work/data"
    fi
    read -r wall_ms cpu_ms_used <<<"$(time_one_start "$work/data")"
    wall+=("$wall_ms")
    cpu+=("$cpu_ms_used")
  done
  echo "start-up ($mode data directory, $runs runs): median $(printf '%s\n' "${wall[@]}" | median) ms" \
    "(all: ${wall[*]}), median CPU $(printf '%s\n' "${cpu[@]}" | median) ms, load average $(load_average)"
done
