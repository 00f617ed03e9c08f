#!/usr/bin/env bash
# The machine's floor for many device processes: the max rate of 64-byte request and reply round
# trips between CLIENTS blocking client processes (default 1,000) and one single-threaded epoll
# echo server. They talk over loopback TCP or a Unix stream socket and do no work but the system
# calls. Each client makes ROUNDS round trips (default 150) after a common release.
# A fetch that needs N exchanges over the bridge cannot go faster than this rate divided by N.
# Prints the machine, the load average before and after, and the driver's figures: round trips
# per second, the server's and the clients' CPU time per round trip, and the machine's busy time.
# Usage: bench/loopback-floor.sh [CLIENTS] [ROUNDS] [tcp|unix]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

clients="${1:-1000}"
rounds="${2:-150}"
transport="${3:-tcp}"
if [[ "$transport" != tcp && "$transport" != unix ]]; then
  echo "loopback-floor.sh: the transport must be tcp or unix, got '$transport'" >&2
  exit 2
fi
describe_machine

log "building the driver (Release)"
cmake -S "$root/native" -B "$root/target/bench-native" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/target/bench-native" --target loopback_floor >/dev/null
driver="$root/target/bench-native/bench/loopback_floor"

echo "load average before the run: $(load_average)"
TMPDIR="$work" "$driver" "$clients" "$rounds" "$transport"
echo "load average after the run: $(load_average)"
