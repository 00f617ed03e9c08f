#!/usr/bin/env bash
# CTest case: runs the example firmware binary against the simulator the fixture started and
# checks what it received. The firmware is the unchanged config_fetch_demo. Its environment alone
# (MVHOST_CONNECT, MVHOST_DEVICE, MVHOST_DEVICE_KEY) selects the simulator and the device.
#
# Usage: run_firmware.sh FIXTURE_DIR DEMO CASE
#   own-items TRANSPORT  device A fetches an account config and its own secret over TRANSPORT
#                        (tcp, tcp-virtual, unix or serial)
#   other-device         device B fetches the same key and gets its own secret, never device A's
#   wrong-key            device A with device B's key is rejected at the first syscall
# Exits 77 (CTest's skip code here) when the serial case has no pseudo-terminal pair.
set -euo pipefail

dir="$1"
demo="$2"
case_name="$3"
transport="${4:-tcp}"

fail() {
  echo "run_firmware: $*" >&2
  exit 1
}

[[ -f "$dir/fixture.env" ]] || fail "no $dir/fixture.env: the simulator fixture did not start"
# shellcheck source=/dev/null
source "$dir/fixture.env"

case "$transport" in
  tcp) endpoint="$MVSIM_TCP" ;;
  tcp-virtual) endpoint="$MVSIM_TCP?clock=virtual" ;;
  unix) endpoint="$MVSIM_UNIX" ;;
  serial)
    if [[ -z "$MVSIM_SERIAL_DEVICE" ]]; then
      echo "run_firmware: socat is not installed, so there is no serial line to test" >&2
      exit 77
    fi
    endpoint="serial:$MVSIM_SERIAL_DEVICE?baud=115200"
    ;;
  *) fail "unknown transport '$transport': use tcp, tcp-virtual, unix or serial" ;;
esac

# Runs the demo as device $1 with key $2 and the key arguments after them. Its stdout goes to $out,
# its stderr to $err, and its exit status to $status.
run_demo() {
  local device="$1" key="$2"
  shift 2
  status=0
  MVHOST_CONNECT="$endpoint" MVHOST_DEVICE="$device" MVHOST_DEVICE_KEY="$key" \
    timeout 60 "$demo" "$@" >"$out" 2>"$err" || status=$?
}

# Fails unless file $1 contains the fixed string $2.
expect_text() {
  grep -F -q -- "$2" "$1" || fail "expected '$2' in $1, which contains: $(cat "$1")"
}

out="$dir/$case_name-$transport.out"
err="$dir/$case_name-$transport.err"

case "$case_name" in
  own-items)
    run_demo "$DEVICE_A" "$DEVICE_A_KEY" account:config:greeting=hello "device:secret:token=$TOKEN_A"
    [[ "$status" -eq 0 ]] || fail "the firmware exited with $status over $endpoint; stderr: $(cat "$err")"
    expect_text "$out" "value 'hello', as expected"
    expect_text "$out" "${#TOKEN_A} bytes, as expected"
    ;;
  other-device)
    run_demo "$DEVICE_B" "$DEVICE_B_KEY" "device:secret:token=$TOKEN_B"
    [[ "$status" -eq 0 ]] || fail "device B's firmware exited with $status; stderr: $(cat "$err")"
    expect_text "$out" "${#TOKEN_B} bytes, as expected"
    ;;
  wrong-key)
    run_demo "$DEVICE_A" "$DEVICE_B_KEY" "device:secret:token=$TOKEN_A"
    [[ "$status" -ne 0 ]] || fail "the firmware with another device's key exited 0; stdout: $(cat "$out")"
    expect_text "$err" "authentication failed"
    expect_text "$err" "MVHOST_DEVICE_KEY"
    if grep -F -q -- "$DEVICE_B_KEY" "$err"; then
      fail "the firmware's stderr contains the device key it was given"
    fi
    ;;
  *) fail "unknown case '$case_name': use own-items, other-device or wrong-key" ;;
esac

# The demo prints a secret's length only; its value must never reach either stream.
if grep -F -q -e "$TOKEN_A" -e "$TOKEN_B" "$out" "$err"; then
  fail "the firmware's output contains a secret's value"
fi
echo "run_firmware: $case_name over $transport passed"
