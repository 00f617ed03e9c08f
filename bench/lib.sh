# Helpers shared by the cloud benchmarks, to be sourced rather than run. Every server started here
# listens on 127.0.0.1 only and is stopped by the EXIT trap of the script that sourced this.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
launcher="$root/simulator/mvsim"
jar="$root/target/mvsim.jar"
work="$(mktemp -d "${TMPDIR:-/tmp}/mvsim-bench.XXXXXX")"
started_pids=()

# Fixed credentials, so that the scripts need not parse the first start's output.
export MVSIM_ACCOUNT_SID="AC0123456789abcdef0123456789abcdef"
export MVSIM_AUTH_TOKEN="bench-token-0123456789abcdef0123"
auth_header="Authorization: Basic $(printf '%s:%s' "$MVSIM_ACCOUNT_SID" "$MVSIM_AUTH_TOKEN" | base64 -w0)"

cleanup() {
  for pid in "${started_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

log() {
  echo "bench: $*" >&2
}

# Prints a free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Builds the jar through the launcher, which rebuilds only when the sources are newer.
ensure_jar() {
  "$launcher" --version >/dev/null
}

# Installs wrk from Debian's packages when it is missing.
ensure_wrk() {
  if ! command -v wrk >/dev/null; then
    log "installing wrk"
    apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
  fi
}

# Waits until an HTTP server responds at $1 (any status), for at most $2 seconds.
await_http() {
  local url="$1" deadline=$((SECONDS + ${2:-30}))
  until curl -s -o /dev/null --max-time 1 "$url"; do
    if ((SECONDS > deadline)); then
      log "no response from $url within ${2:-30} s"
      return 1
    fi
  done
}

# Waits until a simulator started in the background has written its first output to file $1, for
# at most 120 s. On a timeout it prints the end of its log $2 and exits the script.
await_simulator_output() {
  local output="$1" server_log="$2" deadline=$((SECONDS + 120))
  until [[ -s "$output" ]]; do
    if ((SECONDS > deadline)); then
      log "the simulator did not start within 120 s; its log:"
      tail -20 "$server_log" >&2
      exit 1
    fi
    sleep 0.2
  done
}

# Starts `mvsim serve` on port $1 with data directory $2 and any further options; sets serve_pid.
start_serve() {
  local port="$1" data_dir="$2"
  shift 2
  "$launcher" serve --port "$port" --data-dir "$data_dir" "$@" \
    >"$work/serve-$port.out" 2>"$work/serve-$port.err" &
  serve_pid=$!
  started_pids+=("$serve_pid")
  await_http "http://127.0.0.1:$port/v1/Secrets" 60
}

# Stops a process started here with SIGTERM and waits for it.
stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Prints the core count, the CPU and the JVM. Virtual machines often report only "AMD EPYC" as the
# model name, so the script also prints the CPU family and model numbers, which tell generations apart.
describe_machine() {
  local name family model
  name="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  family="$(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')"
  model="$(grep -m1 '^model[[:space:]]' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')"
  echo "machine: $(nproc) cores, $name (family $family, model $model), $(java -version 2>&1 | head -1)"
}

# Prints the CPU time, user plus system, that process $1 has used so far, in milliseconds.
cpu_ms() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"
}

# Prints the load average over the last minute, a hint of how much other work shared the cores.
load_average() {
  cut -d' ' -f1 /proc/loadavg
}
