#!/usr/bin/env bash
# CTest fixture: starts `mvsim serve` with the bridge on TCP, a Unix socket and (when socat is
# installed) a serial pseudo-terminal pair, registers two devices and creates their items, and
# writes what the firmware tests need to FIXTURE_DIR/fixture.env. `stop` ends the processes and
# fails when serve logged an error or printed a secret's value.
#
# Usage: simulator_fixture.sh start|stop FIXTURE_DIR MVSIM_JAR
set -euo pipefail

action="$1"
dir="$2"
jar="$3"

fail() {
  echo "simulator fixture: $*" >&2
  exit 1
}

# Stops what a failed start left running, since CTest runs the stop step only after a start that
# got as far as writing its pid files.
stop_started_processes() {
  for name in serve socat; do
    if [[ -f "$dir/$name.pid" ]]; then
      kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
    fi
  done
}

# Runs a client command of mvsim against the fixture's server.
mvsim_client() {
  java -jar "$jar" "$@" --url "$url" --data-dir "$dir/data"
}

# Prints the value of a string field of the pretty-printed JSON in file $2.
json_field() {
  sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" "$2" | head -1
}

# Waits up to 30 s for file $1 to exist. socat makes a pseudo-terminal's link once it opened it.
await_file() {
  for _ in $(seq 300); do
    [[ -e "$1" ]] && return 0
    sleep 0.1
  done
  return 1
}

start() {
  [[ -f "$jar" ]] || fail "no simulator jar at $jar; build it with 'mvn -B -DskipTests package' first"
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 700 "$dir"
  trap stop_started_processes EXIT

  local serial_options=()
  local serial_device=""
  if command -v socat >/dev/null; then
    socat pty,raw,echo=0,link="$dir/serial-server" pty,raw,echo=0,link="$dir/serial-device" \
      </dev/null >/dev/null 2>"$dir/socat.log" &
    echo $! >"$dir/socat.pid"
    await_file "$dir/serial-server" && await_file "$dir/serial-device" ||
      fail "socat made no pseudo-terminal pair within 30 s; see $dir/socat.log"
    serial_options=(--bridge-serial "$dir/serial-server")
    serial_device="$dir/serial-device"
  else
    echo "simulator fixture: socat is not installed, so the serial test will be skipped" >&2
  fi

  java -jar "$jar" serve --data-dir "$dir/data" --port 0 --bridge-port 0 \
    --bridge-unix "$dir/bridge.sock" "${serial_options[@]}" --json \
    </dev/null >"$dir/serve.json" 2>"$dir/serve.log" &
  echo $! >"$dir/serve.pid"

  # serve prints its one JSON line once every listener is open.
  for _ in $(seq 600); do
    [[ -s "$dir/serve.json" ]] && break
    kill -0 "$(cat "$dir/serve.pid")" 2>/dev/null || fail "serve exited at start; its log: $(cat "$dir/serve.log")"
    sleep 0.1
  done
  [[ -s "$dir/serve.json" ]] || fail "serve printed no start-up line within 60 s; see $dir/serve.log"

  url="$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$dir/serve.json")"
  local tcp unix
  tcp="$(sed -n 's/.*"tcp":"\([^"]*\)".*/\1/p' "$dir/serve.json")"
  unix="$(sed -n 's/.*"unix":"\([^"]*\)".*/\1/p' "$dir/serve.json")"

  mvsim_client devices add --name ctest-device-a --json >"$dir/device-a.json"
  mvsim_client devices add --name ctest-device-b --json >"$dir/device-b.json"
  local sid_a sid_b
  sid_a="$(json_field sid "$dir/device-a.json")"
  sid_b="$(json_field sid "$dir/device-b.json")"

  # Distinct random values, so that the stop step can search the log for them.
  local token_a token_b
  token_a="token-a-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  token_b="token-b-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  mvsim_client configs create greeting --value hello >/dev/null
  printf '%s' "$token_a" | mvsim_client secrets create token --device "$sid_a" >/dev/null
  printf '%s' "$token_b" | mvsim_client secrets create token --device "$sid_b" >/dev/null

  umask 077
  cat >"$dir/fixture.env" <<ENV
MVSIM_TCP='$tcp'
MVSIM_UNIX='$unix'
MVSIM_SERIAL_DEVICE='$serial_device'
DEVICE_A='$sid_a'
DEVICE_A_KEY='$(json_field device_key "$dir/device-a.json")'
DEVICE_B='$sid_b'
DEVICE_B_KEY='$(json_field device_key "$dir/device-b.json")'
TOKEN_A='$token_a'
TOKEN_B='$token_b'
ENV
  rm -f "$dir/device-a.json" "$dir/device-b.json"
  trap - EXIT
  echo "simulator fixture: serve runs at $url with the bridge on $tcp and $unix"
}

# Sends SIGTERM to the process whose pid file is $1 and waits up to 10 s for it to end.
terminate() {
  [[ -f "$1" ]] || return 0
  local pid
  pid="$(cat "$1")"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "simulator fixture: process $pid did not end within 10 s of SIGTERM; killing it" >&2
  kill -9 "$pid" 2>/dev/null || true
}

stop() {
  # serve first: a pseudo-terminal that went away under it would log a failed serial line.
  terminate "$dir/serve.pid"
  terminate "$dir/socat.pid"

  [[ -f "$dir/fixture.env" ]] || fail "no fixture.env in $dir: the start step failed"
  # shellcheck source=/dev/null
  source "$dir/fixture.env"
  if grep -F -e "$TOKEN_A" -e "$TOKEN_B" "$dir/serve.log" "$dir/serve.json" >/dev/null; then
    fail "serve's output contains a secret's value; see $dir/serve.log"
  fi
  # An uncaught exception prints "Exception in thread" without a log level.
  if grep -E ' (ERROR|WARN) |Exception in thread' "$dir/serve.log" | grep -v 'does not match its device key' \
    >"$dir/unexpected.log"; then
    fail "serve logged errors or warnings the tests did not cause: $(cat "$dir/unexpected.log")"
  fi
  echo "simulator fixture: serve stopped; its log has no secret, error or unexpected warning"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) fail "unknown action '$action': use start or stop" ;;
esac
