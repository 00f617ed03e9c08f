#!/usr/bin/env bash
# Memory benchmark: resident set size (VmRSS) of `mvsim serve` holding COUNT secrets (default
# 100,000) in its SQLite store: right after loading them through the REST API, and after a
# restart followed by listing all of them through the API.
# Usage: bench/rss.sh [COUNT]
set -euo pipefail
source "$(dirname "$0")/lib.sh"

count="${1:-100000}"
ensure_jar
describe_machine

# Prints the VmRSS line of process $1 in MB.
rss_mb() {
  awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

# Prints the number of secrets, following next_page_url through the whole list.
count_secrets() {
  local url="$1/v1/Secrets?PageSize=1000" total=0 page
  while [[ -n "$url" && "$url" != null ]]; do
    page="$(curl -s -f -u "$MVSIM_ACCOUNT_SID:$MVSIM_AUTH_TOKEN" "$url")"
    total=$((total + $(jq '.secrets | length' <<<"$page")))
    url="$(jq -r '.meta.next_page_url' <<<"$page")"
  done
  echo "$total"
}

port="$(free_port)"
base="http://127.0.0.1:$port"
start_serve "$port" "$work/data"
log "loading $count secrets"
started=$SECONDS
python3 "$root/bench/load-secrets.py" "$base" "$count"
echo "loaded $count secrets in $((SECONDS - started)) s; VmRSS after loading: $(rss_mb "$serve_pid") MB"
stop_pid "$serve_pid"

start_serve "$port" "$work/data"
echo "after a restart: VmRSS $(rss_mb "$serve_pid") MB"
listed="$(count_secrets "$base")"
echo "after listing all $listed secrets: VmRSS $(rss_mb "$serve_pid") MB"
stop_pid "$serve_pid"
