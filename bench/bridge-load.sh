#!/usr/bin/env bash
# Load benchmark of the bridge: DEVICES firmware processes (default 1,000) each run the example
# firmware's config_fetch_run through libmvhost over loopback TCP, first WARMUP times (default 150,
# not counted, so that the simulator's JIT compiler has done its work), then FETCHES times (default
# 10) in the measured round. After only 40 warm-up fetches the C2 thread still used most of a core
# in the measured round. The processes share one simulator process, which serves the bridge as
# `mvsim serve --bridge-clock VIRTUAL` does, with the same JVM memory options as the launcher.
# Prints, for the measured round only: fetches per second, the median and 99th percentile of a
# fetch, and the CPU time used by the simulator, by the firmware processes and by the whole
# machine. Also prints the simulator's VmRSS and VmHWM, and the load average before and after.
# LINK is "default" (serve's link timing: 200 ms connect delay and 50 ms fetch latency in virtual
# time, which the example firmware waits out in 1 ms HAL_Delay polls) or "instant" (no simulated
# delay, as in the one-device fetch benchmark).
# MVSIM_BENCH_JAVA_OPTS adds JVM options to the simulator, for example to profile it with perf:
#   MVSIM_BENCH_JAVA_OPTS=-XX:+PreserveFramePointer bench/bridge-load.sh
# CLASSES_BEFORE puts a directory of compiled classes ahead of target/classes, to measure an older
# build of some classes against the same firmware and machine.
# Usage: bench/bridge-load.sh [DEVICES] [FETCHES] [LINK] [WARMUP]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

devices="${1:-1000}"
fetches="${2:-10}"
link="${3:-default}"
warmup="${4:-150}"
if [[ "$link" != default && "$link" != instant ]]; then
  echo "bridge-load.sh: LINK must be default or instant, got '$link'" >&2
  exit 2
fi
describe_machine

log "building the classes and the load driver"
(cd "$root" && mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >/dev/null)
cmake -S "$root/native" -B "$root/target/bench-native" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/target/bench-native" --target bridge_load_bench >/dev/null
driver="$root/target/bench-native/tests/bridge/bridge_load_bench"

log "starting the simulator with $devices devices"
classes="$root/target/test-classes:$root/target/classes"
if [[ -n "${CLASSES_BEFORE:-}" ]]; then
  classes="$CLASSES_BEFORE:$classes"
fi
# shellcheck disable=SC2086 # the extra options are meant to split into words
java -XX:+UseSerialGC -Xms128m -Xmx128m ${MVSIM_BENCH_JAVA_OPTS:-} -cp "$classes:$(cat "$work/cp.txt")" \
  dev.mvsim.bench.BridgeBench devices "$devices" 600 "$work/devices.txt" "$link" >"$work/server.out" 2>"$work/server.log" &
started_pids+=($!)
await_simulator_output "$work/server.out" "$work/server.log"
read -r port server_pid <"$work/server.out"

echo "load average before the run: $(load_average)"
cpu_before="$(cpu_ms "$server_pid")"
started_ms="$(date +%s%3N)"
"$driver" "tcp://127.0.0.1:$port" "$work/devices.txt" api-key "$devices" "$fetches" "$warmup" "$server_pid" \
  2>"$work/driver.log" || {
  log "the load driver failed; the last lines of its log and of the simulator's:"
  tail -20 "$work/driver.log" >&2
  tail -20 "$work/server.log" >&2
  exit 1
}
echo "simulator CPU time for the whole run (connecting, warm-up and measured round):" \
  "$(($(cpu_ms "$server_pid") - cpu_before)) ms in $(($(date +%s%3N) - started_ms)) ms"
echo "load average after the run: $(load_average)"
