#!/usr/bin/env bash
# Server CPU per bridge frame, warm: one device runs the example firmware's config_fetch_run over
# loopback TCP against `BridgeBench server` (virtual clock, no simulated link delay), WARMUP
# fetches first (default 20,000, not counted) and then FETCHES fetches (default 10,000). Prints the
# run time of the simulator's selector threads and of its JIT compiler threads during the measured
# fetches, from /proc/PID/task/TID/schedstat, divided by the exchanges and frames the fetch
# benchmark reports per fetch. It also prints the selector threads' user and system time per
# fetch (/proc/PID/task/TID/stat, in clock ticks of 10 ms, so use 30,000 fetches or more) and the
# young-generation allocation per fetch of the whole simulator (`jstat -gc`).
# MVSIM_BENCH_JAVA_OPTS adds JVM options to the simulator, as in bench/bridge-load.sh.
# CLASSES_BEFORE puts a directory of compiled classes ahead of target/classes, to measure an older
# build of some classes against the same firmware and machine.
# WARMUP_CONNECTIONS (default 4) splits the warm-up fetches over that many connections.
# Usage: bench/bridge-frame-cost.sh [FETCHES] [WARMUP] [WARMUP_CONNECTIONS]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

fetches="${1:-10000}"
warmup="${2:-20000}"
warmup_connections="${3:-4}"
describe_machine

log "building the classes and the fetch benchmark"
(cd "$root" && mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null)
cmake -S "$root/native" -B "$root/target/bench-native" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/target/bench-native" --target bridge_fetch_bench >/dev/null
driver="$root/target/bench-native/tests/bridge/bridge_fetch_bench"

classes="$root/target/test-classes:$root/target/classes"
if [[ -n "${CLASSES_BEFORE:-}" ]]; then
  classes="$CLASSES_BEFORE:$classes"
fi
# shellcheck disable=SC2086 # the extra options are meant to split into words
java -XX:+UseSerialGC -Xms128m -Xmx128m ${MVSIM_BENCH_JAVA_OPTS:-} -cp "$classes:$(cat "$work/cp.txt")" \
  dev.mvsim.bench.BridgeBench server 600 >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
started_pids+=("$server_pid")
await_simulator_output "$work/server.out" "$work/server.log"
read -r port sid key <"$work/server.out"
endpoint="tcp://127.0.0.1:$port"

# Prints the user and the system clock ticks of the simulator's threads whose name starts with $1.
threads_ticks() {
  local user=0 system=0 task fields
  for task in /proc/"$server_pid"/task/*; do
    if [[ "$(cat "$task/comm")" == "$1"* ]]; then
      # Fields after the command name, which may contain spaces: utime and stime are the 12th and 13th.
      read -r -a fields <<<"$(sed 's/.*) //' "$task/stat")"
      user=$((user + fields[11]))
      system=$((system + fields[12]))
    fi
  done
  echo "$user $system"
}

# Prints the KB in use in the eden, the eden's capacity in KB and the count of young collections,
# from `jstat -gc`.
eden_state() {
  jstat -gc "$server_pid" | awk 'NR == 2 { printf "%d %d %d\n", $6, $5, $13 }'
}

# Prints the run time in ns of the simulator's threads whose name starts with $1.
threads_ns() {
  local total=0 task
  for task in /proc/"$server_pid"/task/*; do
    if [[ "$(cat "$task/comm")" == "$1"* ]]; then
      total=$((total + $(cut -d' ' -f1 "$task/schedstat")))
    fi
  done
  echo "$total"
}

# Each run of the driver is a new connection and a new device boot, whose first calls take
# branches that the JIT compiled away while the previous connection ran. The JIT then deoptimizes
# and recompiles the hot methods, which took 2 to 3 s of C2 time inside the measured window when
# the warm-up used one connection. So the warm-up spreads its fetches over several connections.
log "warming up with $warmup fetches over $warmup_connections connections"
for ((connection = 0; connection < warmup_connections; connection++)); do
  "$driver" "$endpoint" "$sid" "$key" api-key "$((warmup / warmup_connections))" >/dev/null
done

echo "load average before the measured fetches: $(load_average)"
selector_before="$(threads_ns mvsim-bridge-se)"
compiler_before="$(threads_ns C2)"
read -r user_before system_before <<<"$(threads_ticks mvsim-bridge-se)"
read -r eden_used_before eden_before collections_before <<<"$(eden_state)"
"$driver" "$endpoint" "$sid" "$key" api-key "$fetches" | tee "$work/fetch.out"
selector_ns=$(($(threads_ns mvsim-bridge-se) - selector_before))
compiler_ns=$(($(threads_ns C2) - compiler_before))
read -r user_after system_after <<<"$(threads_ticks mvsim-bridge-se)"
read -r eden_used_after eden_after collections_after <<<"$(eden_state)"
echo "load average after: $(load_average)"

# The fetch benchmark prints a line such as "per fetch: 10 syscalls + 1 harness calls; 6 of the
# syscalls answered locally; 5 transport exchanges".
exchanges="$(sed -n 's/.* \([0-9]*\) transport exchanges.*/\1/p' "$work/fetch.out")"
reports="$(sed -n 's/.*; \([0-9]*\) of the syscalls answered locally.*/\1/p' "$work/fetch.out")"
frames=$((exchanges + reports))
echo "per fetch: $exchanges exchanges, $frames frames (each locally answered syscall sends a REPORT frame)"
echo "selector threads: $((selector_ns / fetches / 1000)) us per fetch," \
  "$((selector_ns / fetches / exchanges / 1000)) us per exchange, $((selector_ns / fetches / frames / 1000)) us per frame"
echo "C2 compiler thread during the measured fetches: $((compiler_ns / 1000000)) ms"
ticks_per_second="$(getconf CLK_TCK)"
echo "selector threads user / system time: $(((user_after - user_before) * 1000000 / ticks_per_second / fetches))" \
  "/ $(((system_after - system_before) * 1000000 / ticks_per_second / fetches)) us per fetch"
# The young generation's allocation is the growth of the used eden plus one eden per collection,
# which holds only while the eden keeps its size.
if ((eden_after == eden_before)); then
  young_kb=$((eden_used_after - eden_used_before + (collections_after - collections_before) * eden_after))
  echo "young-generation allocation: $((young_kb * 1000 / fetches)) bytes per fetch" \
    "($((collections_after - collections_before)) young collections)"
else
  echo "young-generation allocation: not measured, the eden was resized during the measured fetches"
fi
