/*
 * A firmware binary started with MVHOST_CONNECT pointing at a simulator that is not running: the
 * first syscall tries to connect, and every syscall then gets the local answers a device without
 * its connection would see.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge_check.h"
#include "mv_syscalls.h"
#include "mvhost.h"
#include "stderr_capture.h"

/* A well-formed device key: 32 bytes in hex, as `mvsim devices add --json` prints them. */
#define DEVICE_KEY "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static void connect_with_bad_key(void)
{
    mvhost_connect("tcp://127.0.0.1:1?wait_ms=0", "UV00000000000000000000000000000001", "0g");
}

static void connect_with_long_sid(void)
{
    mvhost_connect("tcp://127.0.0.1:1?wait_ms=0", "UV00000000000000000000000000000001UV00000000000000000000000000000001",
                   DEVICE_KEY);
}

static void connect_with_unique_name(void)
{
    mvhost_connect("tcp://127.0.0.1:1?wait_ms=0", "rig-1", DEVICE_KEY);
}

static void connect_with_padded_key(void)
{
    mvhost_connect("tcp://127.0.0.1:1?wait_ms=0", "UV00000000000000000000000000000001", " " DEVICE_KEY);
}

static void connect_with_zero_timeout(void)
{
    mvhost_connect("tcp://127.0.0.1:1?timeout_ms=0", "UV00000000000000000000000000000001", DEVICE_KEY);
}

static void connect_with_bad_endpoint(void)
{
    mvhost_connect("http://127.0.0.1:1", "UV00000000000000000000000000000001", DEVICE_KEY);
}

static void connect_with_unknown_option(void)
{
    mvhost_connect("tcp://127.0.0.1:1?wait=5", "UV00000000000000000000000000000001", DEVICE_KEY);
}

static void call_without_transport(void)
{
    unsetenv("MVHOST_CONNECT");
    mvhost_clear_transport();
    mvhost_reset();
    mvNoOp();
}

static void call_after_unusable_settings(void)
{
    setenv("MVHOST_CONNECT", "http://127.0.0.1:1", 1);
    mvhost_clear_transport();
    mvhost_reset();
    mvNoOp();
}

int main(void)
{
    int checks = 0;
    char endpoint[128];

    /* A Unix socket path that nothing listens on: the connection is refused at once. */
    snprintf(endpoint, sizeof endpoint, "unix:/tmp/mvhost-offline-%ld.sock?reconnect_ms=0&wait_ms=0", (long)getpid());
    setenv("MVHOST_CONNECT", endpoint, 1);
    setenv("MVHOST_DEVICE", "UV00000000000000000000000000000001", 1);
    setenv("MVHOST_DEVICE_KEY", DEVICE_KEY, 1);

    /* Offline device time starts at 0 before any connection and runs at the host's rate. */
    uint64_t microseconds = 0;
    uint64_t later = 0;
    CHECK(mvGetMicroseconds(&microseconds) == MV_STATUS_OKAY);
    CHECK(microseconds < 60000000u);
    for (int i = 0; i < 1000000 && later <= microseconds; i++) {
        CHECK(mvhost_clock_now_us(&later) == 0);
    }
    CHECK(later > microseconds);
    checks += 3;

    enum MvNetworkStatus status = MV_NETWORKSTATUS_CONNECTED;
    CHECK(mvGetNetworkStatus((MvNetworkHandle)(uintptr_t)1, &status) == MV_STATUS_OKAY);
    CHECK(status == MV_NETWORKSTATUS_CONNECTING);
    checks += 2;

    struct MvOpenChannelParams params;
    memset(&params, 0, sizeof params);
    params.version = 1;
    MvChannelHandle channel = NULL;
    CHECK(mvOpenChannel(&params, &channel) == MV_STATUS_NETWORKNOTCONNECTED);
    checks++;

    enum MvClosureReason reason = MV_CLOSUREREASON_NONE;
    CHECK(mvGetChannelClosureReason((MvChannelHandle)(uintptr_t)7, &reason) == MV_STATUS_OKAY);
    CHECK(reason == MV_CLOSUREREASON_NETWORKDISCONNECTED);
    checks += 2;

    MvChannelHandle open_channel = (MvChannelHandle)(uintptr_t)7;
    CHECK(mvCloseChannel(&open_channel) == MV_STATUS_OKAY);
    CHECK(open_channel == NULL);
    checks += 2;

    CHECK(mvhost_bridge_connected() == 0);
    struct mvhost_stats stats;
    mvhost_get_stats(&stats);
    CHECK(stats.transport_errors == 0);
    CHECK(stats.calls_without_transport == 0);
    /* Every call above was answered offline, so none counts as an exchange with the kernel. */
    CHECK(stats.exchanges == 0);
    CHECK(stats.offline_exchanges >= 4);
    checks += 5;

    /* mvhost_connect reports the unreachable simulator and keeps the transport for later retries. */
    CHECK(mvhost_connect(endpoint, "UV00000000000000000000000000000001", DEVICE_KEY) == MVHOST_ETRANSPORT);
    CHECK(mvhost_connect("http://127.0.0.1:1", "UV00000000000000000000000000000001", DEVICE_KEY) == MVHOST_EINVAL);
    CHECK(mvhost_connect(endpoint, "UV00000000000000000000000000000001", "0g") == MVHOST_EINVAL);
    checks += 3;

    /* A key must be exactly 32 bytes: HMAC would pad a shorter one, and a longer one is not the device's. */
    CHECK(mvhost_connect(endpoint, "UV00000000000000000000000000000001", "00ff") == MVHOST_EINVAL);
    CHECK(mvhost_connect(endpoint, "UV00000000000000000000000000000001", DEVICE_KEY "00") == MVHOST_EINVAL);
    checks += 2;

    /* A serial line's baud rate must be one the harness can set, and option values must be numbers. */
    CHECK(mvhost_connect("serial:/dev/null?baud=12", "UV00000000000000000000000000000001", DEVICE_KEY) == MVHOST_EINVAL);
    CHECK(mvhost_connect("tcp://127.0.0.1:1?timeout_ms=-1", "UV00000000000000000000000000000001", DEVICE_KEY)
          == MVHOST_EINVAL);
    checks += 2;

    /* A port must be a number from 1 to 65535, and a host must be there. */
    CHECK(mvhost_connect("tcp://127.0.0.1:93997", "UV00000000000000000000000000000001", DEVICE_KEY) == MVHOST_EINVAL);
    CHECK(mvhost_connect("tcp://127.0.0.1:abc", "UV00000000000000000000000000000001", DEVICE_KEY) == MVHOST_EINVAL);
    CHECK(mvhost_connect("tcp://127.0.0.1:-1", "UV00000000000000000000000000000001", DEVICE_KEY) == MVHOST_EINVAL);
    CHECK(mvhost_connect("tcp://127.0.0.1:0", "UV00000000000000000000000000000001", DEVICE_KEY) == MVHOST_EINVAL);
    CHECK(mvhost_connect("tcp://:8461", "UV00000000000000000000000000000001", DEVICE_KEY) == MVHOST_EINVAL);
    checks += 5;

    /* A bad setting names the variable to fix and shows a valid value. */
    CHECK(prints(connect_with_bad_key, "MVHOST_DEVICE_KEY"));
    CHECK(prints(connect_with_long_sid, "MVHOST_DEVICE"));
    CHECK(prints(connect_with_long_sid, "such as UV"));
    CHECK(prints(connect_with_bad_endpoint, "MVHOST_CONNECT"));
    CHECK(prints(connect_with_unknown_option, "wait_ms"));
    checks += 5;

    /* A unique name is not a SID, stray whitespace is named, and a wait of 0 ms is out of range. */
    CHECK(prints(connect_with_unique_name, "invalid device SID 'rig-1' in MVHOST_DEVICE"));
    CHECK(prints(connect_with_unique_name, "unique name does not work here"));
    CHECK(prints(connect_with_padded_key, "contains whitespace"));
    CHECK(prints(connect_with_zero_timeout, "option timeout_ms in MVHOST_CONNECT: expected a whole number, above 0"));
    checks += 4;

    /* A SID's hex digits may be upper case, as the REST API accepts them; anything else is rejected. */
    CHECK(mvhost_connect(endpoint, "UV0000000000000000000000000000ABCD", DEVICE_KEY) == MVHOST_ETRANSPORT);
    CHECK(mvhost_connect(endpoint, "uv00000000000000000000000000000001", DEVICE_KEY) == MVHOST_EINVAL);
    CHECK(mvhost_connect(endpoint, "UV0000000000000000000000000000000g", DEVICE_KEY) == MVHOST_EINVAL);
    CHECK(mvhost_connect(endpoint, " UV00000000000000000000000000000001", DEVICE_KEY) == MVHOST_EINVAL);
    CHECK(mvhost_connect(endpoint, "UV0000000000000000000000000000001", DEVICE_KEY) == MVHOST_EINVAL);
    checks += 5;

    /* With no transport, the message names both ways to set one. */
    CHECK(prints(call_without_transport, "MVHOST_CONNECT"));
    CHECK(prints(call_without_transport, "mvhost_set_inprocess_transport"));
    checks += 2;

    /* With MVHOST_CONNECT set, the message points back at the settings error instead of asking for it. */
    CHECK(prints(call_after_unusable_settings, "see the message above"));
    CHECK(!prints(call_after_unusable_settings, "set MVHOST_CONNECT"));
    checks += 2;

    return bridge_finish("bridge_offline_test", checks);
}
