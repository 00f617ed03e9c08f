#!/usr/bin/env bash
# Compares two builds of libmvhost against one simulator. The fetch benchmark built in OTHER_TREE
# (another checkout of mvsim, default /tmp/mvsim-base) and the one built here take turns against a
# `BridgeBench server` of this tree. Each turn runs FETCHES fetches (default 20,000), for ROUNDS
# rounds (default 4), after 50,000 warm-up fetches of each build. One server for both keeps its JIT
# state and heap the same, so what differs between turns is libmvhost and what it negotiates: a
# libmvhost that offers bridge version 1 only gets version 1 from this server.
# Prints, per turn: the selector threads' run time per fetch (/proc/PID/task/TID/schedstat), the
# driver process's user plus system CPU per measured fetch (from bash's `time`, so its loopback
# round-trip probe and warm-up fetches are included, equally for both builds), the fetch median,
# the probe's round-trip median and the load average.
# Build OTHER_TREE's driver first, for example with its own bench/bridge-frame-cost.sh.
# Usage: OTHER_TREE=DIR bench/bridge-driver-ab.sh [FETCHES] [ROUNDS]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

fetches="${1:-20000}"
rounds="${2:-4}"
other_tree="${OTHER_TREE:-/tmp/mvsim-base}"
other="$other_tree/target/bench-native/tests/bridge/bridge_fetch_bench"
if [[ ! -x "$other" ]]; then
  echo "bridge-driver-ab.sh: no fetch benchmark at $other; build it in OTHER_TREE first" >&2
  exit 2
fi
describe_machine

log "building the classes and the fetch benchmark"
(cd "$root" && mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null)
cmake -S "$root/native" -B "$root/target/bench-native" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/target/bench-native" --target bridge_fetch_bench >/dev/null
this="$root/target/bench-native/tests/bridge/bridge_fetch_bench"

java -XX:+UseSerialGC -Xms128m -Xmx128m -cp "$root/target/test-classes:$root/target/classes:$(cat "$work/cp.txt")" \
  dev.mvsim.bench.BridgeBench server 1800 >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
started_pids+=("$server_pid")
await_simulator_output "$work/server.out" "$work/server.log"
read -r port sid key <"$work/server.out"
endpoint="tcp://127.0.0.1:$port"

# Prints the run time in ns of the simulator's selector threads.
selector_ns() {
  local total=0 task
  for task in /proc/"$server_pid"/task/*; do
    if [[ "$(cat "$task/comm")" == mvsim-bridge-se* ]]; then
      total=$((total + $(cut -d' ' -f1 "$task/schedstat")))
    fi
  done
  echo "$total"
}

log "warming up with 50,000 fetches of each build"
for driver in "$other" "$this" "$other" "$this"; do
  "$driver" "$endpoint" "$sid" "$key" api-key 25000 >/dev/null 2>&1
done

TIMEFORMAT='%U %S'
for ((round = 1; round <= rounds; round++)); do
  for name in other this; do
    driver="$other"
    if [[ "$name" == this ]]; then
      driver="$this"
    fi
    before="$(selector_ns)"
    cpu="$({ time "$driver" "$endpoint" "$sid" "$key" api-key "$fetches" >"$work/fetch.out" 2>/dev/null; } 2>&1)"
    after="$(selector_ns)"
    read -r user system <<<"$cpu"
    median="$(sed -n 's/.*full single-secret fetch *median *\([0-9.]*\) us.*/\1/p' "$work/fetch.out")"
    round_trip="$(sed -n 's/.*round trip (64 B) *median *\([0-9.]*\) us.*/\1/p' "$work/fetch.out")"
    driver_us="$(awk -v u="$user" -v s="$system" -v n="$fetches" 'BEGIN { printf "%.1f", (u + s) * 1e6 / n }')"
    echo "round $round, $name build: selector $(((after - before) / fetches / 1000)) us per fetch," \
      "driver $driver_us us per fetch, fetch median $median us, round trip $round_trip us, load $(load_average)"
  done
done
