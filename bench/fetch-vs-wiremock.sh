#!/usr/bin/env bash
# Metadata fetch throughput: wrk on 4 keep-alive connections fetches one secret's metadata
# (GET /v1/Secrets/{Key}) from mvsim, then the same JSON from a WireMock 3.13.2 stub with its
# request journal off, in one run on the same machine, and prints the ratio mvsim / WireMock.
# Usage: bench/fetch-vs-wiremock.sh [SECONDS]   (default 15 per server, after a 10 s warm-up)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

duration="${1:-15}"
wiremock_version="3.13.2"
wiremock_jar="$root/target/bench/wiremock-standalone-$wiremock_version.jar"

ensure_jar
ensure_wrk
if [[ ! -f "$wiremock_jar" ]]; then
  log "fetching WireMock $wiremock_version with Maven"
  (cd "$root" && mvn -q -B dependency:copy -Dartifact="org.wiremock:wiremock-standalone:$wiremock_version" \
    -DoutputDirectory="$root/target/bench") >&2
fi

# Prints "REQUESTS_PER_SECOND CPU_MS_PER_REQUEST" of a wrk run against URL $1 served by process
# $2, after a warm-up run whose figures are discarded.
measure() {
  local cpu_before cpu_used requests
  wrk -t 2 -c 4 -d 10s -H "$auth_header" "$1" >/dev/null
  cpu_before="$(cpu_ms "$2")"
  wrk -t 2 -c 4 -d "${duration}s" -H "$auth_header" "$1" | tee "$work/wrk.txt" >&2
  cpu_used=$(($(cpu_ms "$2") - cpu_before))
  if grep -q "Non-2xx" "$work/wrk.txt"; then
    log "some responses were not 2xx, so the figure would be meaningless"
    return 1
  fi
  requests="$(awk '/requests in/ { print $1 }' "$work/wrk.txt")"
  echo "$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt") $(awk -v c="$cpu_used" -v r="$requests" 'BEGIN { printf "%.4f", c / r }')"
}

describe_machine

# mvsim, on the default SQLite store, with one secret to fetch.
port="$(free_port)"
start_serve "$port" "$work/data"
curl -s -f -o "$work/secret.json" -u "$MVSIM_ACCOUNT_SID:$MVSIM_AUTH_TOKEN" \
  --data-urlencode "Key=bench-secret" --data-urlencode "Value=not-a-real-secret" \
  "http://127.0.0.1:$port/v1/Secrets"
curl -s -f -o "$work/fetched.json" -u "$MVSIM_ACCOUNT_SID:$MVSIM_AUTH_TOKEN" \
  "http://127.0.0.1:$port/v1/Secrets/bench-secret"
mvsim_result="$(measure "http://127.0.0.1:$port/v1/Secrets/bench-secret" "$serve_pid")"
read -r mvsim_rps mvsim_cpu <<<"$mvsim_result"
stop_pid "$serve_pid"

# WireMock, serving the body mvsim returned from a stub.
wiremock_port="$(free_port)"
java -jar "$wiremock_jar" --port "$wiremock_port" --bind-address 127.0.0.1 --no-request-journal \
  --disable-banner >"$work/wiremock.out" 2>&1 &
wiremock_pid=$!
started_pids+=("$wiremock_pid")
await_http "http://127.0.0.1:$wiremock_port/__admin/mappings" 60
jq -n --rawfile body "$work/fetched.json" '{
  request: { method: "GET", url: "/v1/Secrets/bench-secret" },
  response: { status: 200, headers: { "Content-Type": "application/json" }, body: $body }
}' | curl -s -f -o /dev/null -H "Content-Type: application/json" --data-binary @- \
  "http://127.0.0.1:$wiremock_port/__admin/mappings"
wiremock_result="$(measure "http://127.0.0.1:$wiremock_port/v1/Secrets/bench-secret" "$wiremock_pid")"
read -r wiremock_rps wiremock_cpu <<<"$wiremock_result"
stop_pid "$wiremock_pid"

echo "metadata fetches/s, 4 connections, ${duration} s: mvsim $mvsim_rps, WireMock $wiremock_version $wiremock_rps," \
  "ratio $(awk -v a="$mvsim_rps" -v b="$wiremock_rps" 'BEGIN { printf "%.2f", a / b }');" \
  "server CPU per fetch: mvsim $mvsim_cpu ms, WireMock $wiremock_cpu ms; load average $(load_average)"
