#!/usr/bin/env bash
# Durable create throughput: wrk on 4 keep-alive connections creates account secrets with
# unique keys (bench/create-secrets.lua) against `mvsim serve` on its SQLite store, and prints
# creates/s. Every create is acknowledged only after the store committed it.
# Usage: bench/creates.sh [SECONDS]   (default 15, after a 10 s warm-up)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

duration="${1:-15}"
ensure_jar
ensure_wrk
describe_machine

port="$(free_port)"
start_serve "$port" "$work/data"
# A warm-up run lets the JIT compile the create path; its figures are discarded.
wrk -t 2 -c 4 -d 10s -H "$auth_header" -s "$root/bench/create-secrets.lua" \
  "http://127.0.0.1:$port" -- warmup >/dev/null
cpu_before="$(cpu_ms "$serve_pid")"
wrk -t 2 -c 4 -d "${duration}s" -H "$auth_header" -s "$root/bench/create-secrets.lua" \
  "http://127.0.0.1:$port" -- bench | tee "$work/wrk.txt" >&2
cpu_used=$(($(cpu_ms "$serve_pid") - cpu_before))
stop_pid "$serve_pid"

if grep -q "Non-2xx" "$work/wrk.txt"; then
  log "some creates were rejected: $(grep Non-2xx "$work/wrk.txt")"
  exit 1
fi
requests="$(awk '/requests in/ { print $1 }' "$work/wrk.txt")"
echo "durable secret creates/s, 4 connections, ${duration} s: $(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt")," \
  "server CPU $(awk -v c="$cpu_used" -v r="$requests" 'BEGIN { printf "%.3f", c / r }') ms per create," \
  "load average $(load_average)"
