/*
 * The bridge transport against a fake simulator on loopback: a handshake that gets no answer
 * gives up, the first connection waits for a simulator that starts late, HELLO carries the boot
 * id and a device time that goes on across a lost connection, a lost connection writes the
 * records a device would, a wall-clock HAL_Delay receives a pushed notification without returning
 * early, and calls answered before any connection are replayed to the kernel, whose replies'
 * records reach the app's ring. libmvhost replies itself to calls on the handles a kept kernel
 * lists in a replayed call's reply, and has a fresh kernel recreate the app's objects. The suite runs once per bridge version. libmvhost offers
 * version 2 on a socket and only version 1 on a serial line (a pseudo-terminal here), and drops a
 * version 2 stream that breaks its framing.
 */
/* posix_openpt and ptsname are X/Open extensions. */
#define _XOPEN_SOURCE 700

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bridge_check.h"
#include "fake_bridge_server.h"
#include "mv_syscalls.h"
#include "mvhost.h"
#include "opcodes.h"
#include "stderr_capture.h"
#include "stm32u5xx_hal.h"
#include "transport_packet.h"
#include "wire.h"

#define SID "UV00000000000000000000000000000001"
#define KEY_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static const uint8_t key[32] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15,
                                16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};

static struct MvNotification ring[8] __attribute__((aligned(8)));
static volatile unsigned handler_runs;
static int checks;
/* Whether the fake simulator chooses bridge version 2; main runs the suite with and without it. */
static int stream_framing;

void TIM8_BRK_IRQHandler(void)
{
    handler_runs++;
}

static void endpoint_for(char *endpoint, size_t size, uint16_t port, const char *options)
{
    snprintf(endpoint, size, "tcp://127.0.0.1:%u?%s", (unsigned)port, options);
}

static void start_server(struct fake_bridge *server, uint32_t clock_kind, unsigned listen_delay_ms)
{
    memset(server, 0, sizeof *server);
    server->key = key;
    server->key_length = sizeof key;
    server->clock_kind = clock_kind;
    server->listen_delay_ms = listen_delay_ms;
    server->stream_framing = stream_framing;
    CHECK(fake_bridge_start(server) == 0);
    checks++;
}

static MvNotificationHandle setup_ring(void)
{
    struct MvNotificationSetup setup = {.irq = TIM8_BRK_IRQn, .buffer = ring, .buffer_size = sizeof ring};
    MvNotificationHandle centre = NULL;
    memset(ring, 0, sizeof ring);
    CHECK(mvSetupNotifications(&setup, &centre) == MV_STATUS_OKAY);
    NVIC_EnableIRQ(TIM8_BRK_IRQn);
    checks++;
    return centre;
}

static MvNetworkHandle request_network(MvNotificationHandle centre)
{
    struct MvRequestNetworkParams params = {.version = 1};
    params.v1.notification_handle = centre;
    params.v1.notification_tag = 7;
    MvNetworkHandle network = NULL;
    CHECK(mvRequestNetwork(&params, &network) == MV_STATUS_OKAY);
    checks++;
    return network;
}

/* Opens a loopback socket that listens but never accepts: connect succeeds and no byte ever comes back. */
static int listen_silently(uint16_t *port)
{
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t size = sizeof address;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int silent = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(bind(silent, (struct sockaddr *)&address, sizeof address) == 0);
    CHECK(listen(silent, 8) == 0);
    CHECK(getsockname(silent, (struct sockaddr *)&address, &size) == 0);
    checks += 3;
    *port = ntohs(address.sin_port);
    return silent;
}

static void handshake_without_answer_times_out(void)
{
    uint16_t port = 0;
    int silent = listen_silently(&port);
    char endpoint[128];
    endpoint_for(endpoint, sizeof endpoint, port, "wait_ms=0&handshake_ms=200");

    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == MVHOST_ETRANSPORT);
    CHECK(mvhost_bridge_connected() == 0);
    checks += 2;

    mvhost_disconnect();
    close(silent);
}

static void device_time_runs_while_handshakes_fail(void)
{
    /* As a proxy with no simulator behind it: connections succeed and no handshake ever completes. */
    uint16_t port = 0;
    int silent = listen_silently(&port);
    char endpoint[128];
    endpoint_for(endpoint, sizeof endpoint, port, "wait_ms=0&handshake_ms=50&reconnect_ms=0");
    mvhost_reset();
    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == MVHOST_ETRANSPORT);

    /* Every clock read makes a new attempt that times out; the device time must run on across them. */
    uint64_t first = 0;
    uint64_t previous = 0;
    uint64_t now = 0;
    CHECK(mvhost_clock_now_us(&first) == 0);
    previous = first;
    int monotonic = 1;
    for (int attempt = 0; attempt < 4; attempt++) {
        CHECK(mvhost_clock_now_us(&now) == 0);
        monotonic = monotonic && now >= previous;
        previous = now;
    }
    CHECK(monotonic);
    /* Four attempts of at least 50 ms each passed between the first read and the last. */
    CHECK(now - first >= 150000);
    checks += 7;

    mvhost_disconnect();
    close(silent);
}

static void first_connection_waits_for_late_simulator(void)
{
    struct fake_bridge server;
    start_server(&server, MVHOST_CLOCK_VIRTUAL, 300);
    char endpoint[128];
    endpoint_for(endpoint, sizeof endpoint, server.port, "wait_ms=20000&reconnect_ms=0");

    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == 0);
    CHECK(mvhost_bridge_connected() == 1);
    checks += 2;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

/*
 * On a serial line, requests queued while the simulator was down reach it before the new HELLO,
 * and it answers them with a "no session" REJECT. That REJECT does not answer this handshake.
 */
static void stale_reject_does_not_end_handshake(void)
{
    struct fake_bridge server;
    start_server(&server, MVHOST_CLOCK_VIRTUAL, 0);
    pthread_mutex_lock(&server.lock);
    server.stale_reject_before_challenge = 1;
    pthread_mutex_unlock(&server.lock);
    char endpoint[128];
    endpoint_for(endpoint, sizeof endpoint, server.port, "wait_ms=5000&reconnect_ms=0");

    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == 0);
    CHECK(mvhost_bridge_connected() == 1);
    checks += 2;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void hello_carries_boot_id_and_device_time(void)
{
    struct fake_bridge server;
    uint64_t now = 0;
    start_server(&server, MVHOST_CLOCK_VIRTUAL, 0);
    server.kernel_us = 5000000;
    char endpoint[128];
    endpoint_for(endpoint, sizeof endpoint, server.port, "wait_ms=5000&reconnect_ms=0");
    mvhost_reset();
    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == 0);
    CHECK(mvhost_clock_now_us(&now) == 0);
    CHECK(now == 5000000);

    pthread_mutex_lock(&server.lock);
    server.drop_requested = 1;
    pthread_mutex_unlock(&server.lock);
    /* The first call after the drop finds the link closed and answers offline; the next reconnects. */
    while (mvhost_bridge_connected()) {
        mvGetMicroseconds(&now);
    }
    CHECK(now >= 5000000);
    mvGetMicroseconds(&now);
    CHECK(mvhost_bridge_connected() == 1);

    pthread_mutex_lock(&server.lock);
    CHECK(server.hellos == 2);
    CHECK(server.hello_device_time[0] == 0);
    CHECK(server.hello_boot_id[0] != 0);
    CHECK(server.hello_boot_id[1] == server.hello_boot_id[0]);
    CHECK(server.hello_device_time[1] >= 5000000);
    pthread_mutex_unlock(&server.lock);
    checks += 9;

    /* Connecting again in the same boot keeps the boot id and the device time. */
    mvhost_disconnect();
    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == 0);
    pthread_mutex_lock(&server.lock);
    CHECK(server.hellos == 3);
    CHECK(server.hello_boot_id[2] == server.hello_boot_id[0]);
    CHECK(server.hello_device_time[2] >= server.hello_device_time[1]);
    pthread_mutex_unlock(&server.lock);
    checks += 4;

    /* A reset is a new boot: a new boot id, and the time starts again at 0. */
    mvhost_reset();
    mvhost_disconnect();
    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == 0);
    pthread_mutex_lock(&server.lock);
    CHECK(server.hellos == 4);
    CHECK(server.hello_boot_id[3] != server.hello_boot_id[0]);
    CHECK(server.hello_device_time[3] == 0);
    pthread_mutex_unlock(&server.lock);
    checks += 4;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void lost_connection_writes_device_records(void)
{
    struct fake_bridge server;
    start_server(&server, MVHOST_CLOCK_VIRTUAL, 0);
    char endpoint[128];
    endpoint_for(endpoint, sizeof endpoint, server.port, "wait_ms=5000&reconnect_ms=60000");
    mvhost_reset();
    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == 0);
    MvNotificationHandle centre = setup_ring();

    struct MvRequestNetworkParams network_params = {.version = 1};
    network_params.v1.notification_handle = centre;
    network_params.v1.notification_tag = 7;
    MvNetworkHandle network = NULL;
    CHECK(mvRequestNetwork(&network_params, &network) == MV_STATUS_OKAY);
    struct MvOpenChannelParams channel_params = {.version = 1};
    channel_params.v1.notification_handle = centre;
    channel_params.v1.notification_tag = 9;
    channel_params.v1.network_handle = network;
    MvChannelHandle channel = NULL;
    CHECK(mvOpenChannel(&channel_params, &channel) == MV_STATUS_OKAY);
    checks += 3;

    pthread_mutex_lock(&server.lock);
    server.drop_requested = 1;
    pthread_mutex_unlock(&server.lock);
    uint64_t now = 0;
    while (mvhost_bridge_connected()) {
        mvGetMicroseconds(&now);
    }

    CHECK(ring[0].event_type == MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK(ring[0].tag == 7);
    CHECK(ring[1].event_type == MV_EVENTTYPE_CHANNELNOTCONNECTED);
    CHECK(ring[1].tag == 9);
    CHECK(handler_runs >= 1);
    enum MvClosureReason reason = MV_CLOSUREREASON_NONE;
    CHECK(mvGetChannelClosureReason(channel, &reason) == MV_STATUS_OKAY);
    CHECK(reason == MV_CLOSUREREASON_NETWORKDISCONNECTED);
    checks += 7;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

/* Encodes a NOTIFICATION frame with the kernel's sequence number `sequence` for `slot` of the test's ring. */
static uint32_t encode_record_at(uint8_t *out, size_t capacity, uint32_t sequence, uint32_t slot, uint64_t microseconds,
                                 uint32_t event_type, uint32_t tag)
{
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, out, capacity);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_NOTIFICATION, 0, 0, sequence);
    mvhost_wire_put_u64(&writer, FAKE_CENTRE);
    mvhost_wire_put_u64(&writer, (uint64_t)(uintptr_t)ring);
    mvhost_wire_put_u32(&writer, slot);
    mvhost_wire_put_u64(&writer, microseconds);
    mvhost_wire_put_u32(&writer, event_type);
    mvhost_wire_put_u32(&writer, tag);
    mvhost_wire_put_u32(&writer, TIM8_BRK_IRQn);
    mvhost_wire_put_bytes(&writer, NULL, 0);
    mvhost_wire_finish_frame(&writer);
    return (uint32_t)writer.length;
}

/* Encodes a NOTIFICATION frame for slot 0 of the test's ring. */
static uint32_t encode_record(uint8_t *out, size_t capacity, uint64_t centre, uint32_t event_type, uint32_t tag)
{
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, out, capacity);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_NOTIFICATION, 0, 0, 1);
    mvhost_wire_put_u64(&writer, centre);
    mvhost_wire_put_u64(&writer, (uint64_t)(uintptr_t)ring);
    mvhost_wire_put_u32(&writer, 0);
    mvhost_wire_put_u64(&writer, 1000);
    mvhost_wire_put_u32(&writer, event_type);
    mvhost_wire_put_u32(&writer, tag);
    mvhost_wire_put_u32(&writer, TIM8_BRK_IRQn);
    mvhost_wire_put_bytes(&writer, NULL, 0);
    mvhost_wire_finish_frame(&writer);
    return (uint32_t)writer.length;
}

static uint32_t encode_push(uint8_t *out, uint64_t centre)
{
    return encode_record(out, 256, centre, MV_EVENTTYPE_CHANNELDATAREADABLE, 3);
}

static void wall_delay_receives_push_without_ending_early(void)
{
    struct fake_bridge server;
    start_server(&server, MVHOST_CLOCK_WALL, 0);
    server.kernel_us = 1000000;
    char endpoint[128];
    endpoint_for(endpoint, sizeof endpoint, server.port, "wait_ms=5000");
    mvhost_reset();
    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == 0);
    MvNotificationHandle centre = setup_ring();
    handler_runs = 0;

    pthread_mutex_lock(&server.lock);
    server.push_length = encode_push(server.push, (uint64_t)(uintptr_t)centre);
    server.push_delay_ms = 20;
    pthread_mutex_unlock(&server.lock);
    unsigned requests_before = server.requests;
    uint32_t start = HAL_GetTick();
    HAL_Delay(60);
    uint32_t end = HAL_GetTick();

    CHECK(handler_runs == 1);
    CHECK(ring[0].tag == 3);
    CHECK(end - start >= 61);
    /* The delay waited on the socket: no WAIT, SLEEP or NOW went to the simulator. */
    CHECK(server.requests == requests_before);
    CHECK(fake_bridge_count(&server, 0x0104) == 0);
    checks += 6;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void interrupt_thread_sees_push_without_syscall(void)
{
    struct fake_bridge server;
    start_server(&server, MVHOST_CLOCK_VIRTUAL, 0);
    char endpoint[128];
    endpoint_for(endpoint, sizeof endpoint, server.port, "wait_ms=5000");
    mvhost_reset();
    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == 0);
    MvNotificationHandle centre = setup_ring();
    CHECK(mvhost_set_interrupt_mode(MVHOST_INTERRUPTS_THREAD) == 0);
    handler_runs = 0;

    pthread_mutex_lock(&server.lock);
    server.push_length = encode_push(server.push, (uint64_t)(uintptr_t)centre);
    pthread_mutex_unlock(&server.lock);
    /* No syscall from here on: only the push reader can deliver, then the interrupt thread runs the handler. */
    struct timespec pause = {0, 1000000L};
    for (int waited_ms = 0; waited_ms < 10000 && handler_runs == 0; waited_ms++) {
        nanosleep(&pause, NULL);
    }

    CHECK(handler_runs == 1);
    CHECK(ring[0].tag == 3);
    checks += 3;

    CHECK(mvhost_set_interrupt_mode(MVHOST_INTERRUPTS_SYNCHRONOUS) == 0);
    checks++;
    mvhost_disconnect();
    fake_bridge_stop(&server);
}

/* Starts a fake simulator on a port a test already holds, as after a restart. */
static void restart_server(struct fake_bridge *server, uint16_t port)
{
    memset(server, 0, sizeof *server);
    server->key = key;
    server->key_length = sizeof key;
    server->clock_kind = MVHOST_CLOCK_VIRTUAL;
    server->port = port;
    server->listen_fd = -1;
    pthread_mutex_init(&server->lock, NULL);
    CHECK(pthread_create(&server->thread, NULL, fake_bridge_serve, server) == 0);
    checks++;
}

/*
 * Connects libmvhost to a loopback port where no simulator listens yet, as a firmware started
 * before `mvsim serve` is; reconnects are immediate. Returns the port, for restart_server.
 */
static uint16_t connect_before_simulator(struct fake_bridge *server)
{
    start_server(server, MVHOST_CLOCK_VIRTUAL, 0);
    uint16_t port = server->port;
    fake_bridge_stop(server);
    char endpoint[128];
    endpoint_for(endpoint, sizeof endpoint, port, "wait_ms=0&reconnect_ms=0");
    mvhost_reset();
    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == MVHOST_ETRANSPORT);
    checks++;
    return port;
}

/*
 * How long a test calls on while it waits for libmvhost to find the link up or down. A bound in time,
 * not in calls: on a loaded machine a thousand calls can pass before the fake accepts a connection.
 */
#define LINK_WAIT_MS 10000u

static uint64_t monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

static void offline_setup_is_replayed_on_connect(void)
{
    struct fake_bridge server;
    uint16_t port = connect_before_simulator(&server);

    MvNotificationHandle centre = setup_ring();
    struct MvRequestNetworkParams network_params = {.version = 1};
    network_params.v1.notification_handle = centre;
    network_params.v1.notification_tag = 7;
    MvNetworkHandle network = NULL;
    CHECK(mvRequestNetwork(&network_params, &network) == MV_STATUS_OKAY);
    CHECK(centre != NULL);
    CHECK(network != NULL);
    checks += 4;

    /* The simulator comes up on the same port: the next call reconnects and replays both calls. */
    restart_server(&server, port);
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    for (uint64_t start = monotonic_ms(); !mvhost_bridge_connected() && monotonic_ms() - start < LINK_WAIT_MS;) {
        mvGetNetworkStatus(network, &status);
    }
    CHECK(mvGetNetworkStatus(network, &status) == MV_STATUS_OKAY);
    CHECK(status == MV_NETWORKSTATUS_CONNECTED);
    checks += 3;

    pthread_mutex_lock(&server.lock);
    unsigned last = server.requests - 1;
    CHECK(server.opcodes[0] == 0x000B);
    CHECK(server.opcodes[1] == 0x0014);
    CHECK(server.first_u64[1] == FAKE_CENTRE);
    CHECK(server.opcodes[last] == 0x0016);
    CHECK(server.first_u64[last] == FAKE_NETWORK);
    pthread_mutex_unlock(&server.lock);
    checks += 5;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void reconnect_with_calls(void)
{
    uint64_t now = 0;
    for (uint64_t start = monotonic_ms(); !mvhost_bridge_connected() && monotonic_ms() - start < LINK_WAIT_MS;) {
        mvGetMicroseconds(&now);
    }
    CHECK(mvhost_bridge_connected() == 1);
    checks++;
}

/*
 * Sets up the ring and requests a network while no simulator listens, then lets it start: the next
 * call connects and replays both, and the replayed mvRequestNetwork's reply carries the record the
 * request raised, as the kernel's does. Returns the app's network handle.
 */
static MvNetworkHandle replay_network_request_made_offline(struct fake_bridge *server)
{
    uint16_t port = connect_before_simulator(server);
    MvNetworkHandle network = request_network(setup_ring());
    handler_runs = 0;

    restart_server(server, port);
    pthread_mutex_lock(&server->lock);
    server->reply_opcode = 0x0014;
    server->reply_notification_length = encode_record(server->reply_notification, sizeof server->reply_notification,
                                                       FAKE_CENTRE, MV_EVENTTYPE_NETWORKSTATUSCHANGED, 7);
    pthread_mutex_unlock(&server->lock);
    reconnect_with_calls();
    return network;
}

static void replayed_call_records_reach_ring(void)
{
    struct fake_bridge server;
    replay_network_request_made_offline(&server);

    /* The app reads its ring from slot 0, so a record lost here hides every later one from its handler. */
    CHECK(fake_bridge_count(&server, 0x0014) == 1);
    CHECK(ring[0].event_type == MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK(ring[0].tag == 7);
    CHECK(handler_runs == 1);
    checks += 4;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void loss_after_offline_setup_writes_after_kernel_records(void)
{
    struct fake_bridge server;
    MvNetworkHandle network = replay_network_request_made_offline(&server);
    CHECK(ring[0].event_type == MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    checks++;
    ring[0].event_type = MV_EVENTTYPE_NOEVENT; /* the app handled it */

    /* The ring is known under the offline handle and the kernel's: both must agree where it goes on. */
    pthread_mutex_lock(&server.lock);
    server.drop_requested = 1;
    pthread_mutex_unlock(&server.lock);
    uint64_t now = 0;
    for (uint64_t start = monotonic_ms(); mvhost_bridge_connected() && monotonic_ms() - start < LINK_WAIT_MS;) {
        mvGetMicroseconds(&now);
    }
    CHECK(mvhost_bridge_connected() == 0);
    CHECK(ring[0].event_type == MV_EVENTTYPE_NOEVENT);
    CHECK(ring[1].event_type == MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK(network != NULL);
    checks += 4;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void setup_closed_offline_is_not_replayed(void)
{
    struct fake_bridge server;
    uint16_t port = connect_before_simulator(&server);

    /* A fetch that gave up offline: its centre was set up and closed before the simulator came. */
    MvNotificationHandle first = setup_ring();
    CHECK(mvCloseNotifications(&first) == MV_STATUS_OKAY);
    MvNotificationHandle second = setup_ring();
    CHECK(second != NULL);
    checks += 3;

    restart_server(&server, port);
    reconnect_with_calls();

    CHECK(fake_bridge_count(&server, 0x000B) == 1);
    CHECK(fake_bridge_count(&server, 0x000C) == 0);
    checks += 2;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void kernel_handle_closed_offline_is_closed_on_reconnect(void)
{
    struct fake_bridge server;
    start_server(&server, MVHOST_CLOCK_VIRTUAL, 0);
    uint16_t port = server.port;
    char endpoint[128];
    endpoint_for(endpoint, sizeof endpoint, port, "wait_ms=5000&reconnect_ms=0");
    mvhost_reset();
    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == 0);
    MvNotificationHandle centre = setup_ring();
    checks++;

    /* The simulator goes away; the app closes its centre meanwhile, and a kept kernel must hear of it. */
    fake_bridge_stop(&server);
    uint64_t now = 0;
    for (uint64_t start = monotonic_ms(); mvhost_bridge_connected() && monotonic_ms() - start < LINK_WAIT_MS;) {
        mvGetMicroseconds(&now);
    }
    CHECK(mvhost_bridge_connected() == 0);
    CHECK(mvCloseNotifications(&centre) == MV_STATUS_OKAY);
    CHECK(centre == NULL);
    checks += 3;

    restart_server(&server, port);
    reconnect_with_calls();
    CHECK(fake_bridge_count(&server, 0x000C) == 1);
    checks++;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void report_queued_at_loss_reaches_kernel_on_reconnect(void)
{
    struct fake_bridge server;
    start_server(&server, MVHOST_CLOCK_VIRTUAL, 0);
    uint16_t port = server.port;
    char endpoint[128];
    endpoint_for(endpoint, sizeof endpoint, port, "wait_ms=5000&reconnect_ms=0");
    mvhost_reset();
    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == 0);
    MvNotificationHandle centre = setup_ring();

    /* Answered locally: its REPORT waits for the next exchange, which the lost connection fails. */
    CHECK(mvCloseNotifications(&centre) == MV_STATUS_OKAY);
    CHECK(centre == NULL);
    CHECK(fake_bridge_count(&server, 0x000C) == 0);
    checks += 4;
    fake_bridge_stop(&server);
    uint64_t now = 0;
    for (uint64_t start = monotonic_ms(); mvhost_bridge_connected() && monotonic_ms() - start < LINK_WAIT_MS;) {
        mvGetMicroseconds(&now);
    }
    CHECK(mvhost_bridge_connected() == 0);
    checks++;

    restart_server(&server, port);
    reconnect_with_calls();
    CHECK(fake_bridge_count(&server, 0x000C) == 1);
    checks++;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

/* Connects to a fresh fake simulator, sets up the ring and, with `network`, a network request online. */
static void connect_with_ring(struct fake_bridge *server, MvNotificationHandle *centre, MvNetworkHandle *network)
{
    start_server(server, MVHOST_CLOCK_VIRTUAL, 0);
    char endpoint[128];
    endpoint_for(endpoint, sizeof endpoint, server->port, "wait_ms=5000&reconnect_ms=0");
    mvhost_reset();
    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == 0);
    checks++;
    *centre = setup_ring();
    if (network != NULL) {
        *network = request_network(*centre);
        CHECK(*network != NULL);
        checks++;
    }
}

static void kept_report_survives_a_second_loss(void)
{
    struct fake_bridge server;
    MvNotificationHandle centre = NULL;
    connect_with_ring(&server, &centre, NULL);
    uint16_t port = server.port;

    /* Answered locally, and kept when the next exchange finds the link gone. */
    CHECK(mvCloseNotifications(&centre) == MV_STATUS_OKAY);
    fake_bridge_stop(&server);
    uint64_t now = 0;
    for (uint64_t start = monotonic_ms(); mvhost_bridge_connected() && monotonic_ms() - start < LINK_WAIT_MS;) {
        mvGetMicroseconds(&now);
    }
    checks++;

    /* The next connection breaks at the resume, after the kept REPORT went out: it must go out again. */
    restart_server(&server, port);
    pthread_mutex_lock(&server.lock);
    server.forget_request_to = MVHOST_OP_BRIDGE_RESUME;
    pthread_mutex_unlock(&server.lock);
    reconnect_with_calls();

    CHECK(fake_bridge_count(&server, 0x000C) == 2);
    checks++;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void flushed_report_lost_unread_is_sent_again(void)
{
    struct fake_bridge server;
    MvNotificationHandle centre = NULL;
    connect_with_ring(&server, &centre, NULL);

    /* The flush writes the close's REPORT, and the link breaks before the server reads it. */
    CHECK(mvCloseNotifications(&centre) == MV_STATUS_OKAY);
    pthread_mutex_lock(&server.lock);
    server.forget_request_to = 0x000C;
    pthread_mutex_unlock(&server.lock);
    CHECK(mvhost_flush() == 0);

    /* The next call finds the link gone and reconnects: the REPORT must reach the kernel then. */
    uint64_t now = 0;
    uint64_t start = monotonic_ms();
    while (fake_bridge_count(&server, 0x000C) == 0 && monotonic_ms() - start < LINK_WAIT_MS) {
        mvGetMicroseconds(&now);
    }
    CHECK(fake_bridge_count(&server, 0x000C) == 1);
    checks += 3;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void disconnect_sends_posted_reports_on_open_link(void)
{
    struct fake_bridge server;
    MvNotificationHandle centre = NULL;
    connect_with_ring(&server, &centre, NULL);

    /* Answered locally, so its REPORT is still posted when the app disconnects. */
    CHECK(mvCloseNotifications(&centre) == MV_STATUS_OKAY);
    CHECK(fake_bridge_count(&server, 0x000C) == 0);
    mvhost_disconnect();

    /* A REPORT gets no reply, so the fake may read it after mvhost_disconnect returns. */
    for (int wait = 0; wait < 5000 && fake_bridge_count(&server, 0x000C) == 0; wait++) {
        nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    }
    pthread_mutex_lock(&server.lock);
    unsigned connections = server.connections;
    pthread_mutex_unlock(&server.lock);
    CHECK(fake_bridge_count(&server, 0x000C) == 1);
    CHECK(connections == 1);
    checks += 4;

    fake_bridge_stop(&server);
}

static void lost_reply_of_network_request_is_resumed_not_replayed(void)
{
    struct fake_bridge server;
    MvNotificationHandle centre = NULL;
    connect_with_ring(&server, &centre, NULL);
    pthread_mutex_lock(&server.lock);
    server.lose_reply_to = 0x0014;
    server.reply_opcode = 0x0014;
    server.reply_notification_length = encode_record(server.reply_notification, sizeof server.reply_notification,
                                                      FAKE_CENTRE, MV_EVENTTYPE_NETWORKSTATUSCHANGED, 7);
    pthread_mutex_unlock(&server.lock);

    /* The kernel runs the request, and the link breaks before the reply arrives, so the app gets an offline handle. */
    MvNetworkHandle network = request_network(centre);
    CHECK(network != NULL);
    CHECK(mvhost_bridge_connected() == 0);
    checks += 2;

    reconnect_with_calls();
    /* The reply the server lost brings the kernel's record and handle, so the request runs only once. */
    CHECK(server.resumes_answered == 1);
    CHECK(fake_bridge_count(&server, 0x0014) == 1);
    CHECK(ring[0].event_type == MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK(ring[0].tag == 7);
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    CHECK(mvGetNetworkStatus(network, &status) == MV_STATUS_OKAY);
    pthread_mutex_lock(&server.lock);
    CHECK(server.first_u64[server.requests - 1] == FAKE_NETWORK);
    pthread_mutex_unlock(&server.lock);
    checks += 6;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void channel_opened_for_lost_reply_is_closed_on_reconnect(void)
{
    struct fake_bridge server;
    MvNotificationHandle centre = NULL;
    MvNetworkHandle network = NULL;
    connect_with_ring(&server, &centre, &network);
    pthread_mutex_lock(&server.lock);
    server.lose_reply_to = 0x0018;
    pthread_mutex_unlock(&server.lock);

    /* Offline, the open fails as on a device without a network; the kernel opened the channel all the same. */
    struct MvOpenChannelParams channel_params = {.version = 1};
    channel_params.v1.notification_handle = centre;
    channel_params.v1.notification_tag = 9;
    channel_params.v1.network_handle = network;
    MvChannelHandle channel = NULL;
    CHECK(mvOpenChannel(&channel_params, &channel) != MV_STATUS_OKAY);
    CHECK(channel == NULL);
    checks += 2;

    /* Left open, the kernel's channel would keep its buffers, and the app's next open of them would fail. */
    reconnect_with_calls();
    CHECK(server.resumes_answered == 1);
    CHECK(fake_bridge_count(&server, 0x001D) == 1);
    uint64_t closed = 0;
    pthread_mutex_lock(&server.lock);
    for (unsigned i = 0; i < server.requests && i < 64; i++) {
        closed = server.opcodes[i] == 0x001D ? server.first_u64[i] : closed;
    }
    pthread_mutex_unlock(&server.lock);
    CHECK(closed == FAKE_CHANNEL);
    checks += 3;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void lost_reply_to_replayed_call_is_resumed(void)
{
    struct fake_bridge server;
    uint16_t port = connect_before_simulator(&server);
    checks++;
    MvNotificationHandle centre = setup_ring();

    /* The kernel runs the replayed setup, and the link breaks before its reply arrives. */
    restart_server(&server, port);
    pthread_mutex_lock(&server.lock);
    server.lose_reply_to = 0x000B;
    pthread_mutex_unlock(&server.lock);
    uint64_t now = 0;
    CHECK(mvGetMicroseconds(&now) == MV_STATUS_OKAY);
    CHECK(mvhost_bridge_connected() == 0);
    checks += 2;

    /* The next connection must ask for that reply, not for a request made on the broken link since. */
    reconnect_with_calls();
    CHECK(server.resumes_answered == 1);
    CHECK(fake_bridge_count(&server, 0x000B) == 1);
    checks += 2;
    MvNetworkHandle network = request_network(centre);
    pthread_mutex_lock(&server.lock);
    CHECK(server.first_u64[server.requests - 1] == FAKE_CENTRE);
    pthread_mutex_unlock(&server.lock);
    CHECK(network != NULL);
    checks += 2;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void request_lost_on_its_way_is_replayed(void)
{
    struct fake_bridge server;
    MvNotificationHandle centre = NULL;
    connect_with_ring(&server, &centre, NULL);
    pthread_mutex_lock(&server.lock);
    server.forget_request_to = 0x0014;
    pthread_mutex_unlock(&server.lock);

    MvNetworkHandle network = request_network(centre);
    CHECK(network != NULL);
    checks++;

    reconnect_with_calls();
    CHECK(server.resumes_answered == 0);
    CHECK(fake_bridge_count(&server, 0x0014) == 1);
    checks += 2;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

/*
 * Connects with a ring and a network request, reads the kernel's record 41 in slot 0 and handles
 * it, sleeps until 5 s of device time, then loses the connection, which writes the network's loss
 * record into slot 1.
 */
static void read_record_41_then_lose_link(struct fake_bridge *server)
{
    MvNotificationHandle centre = NULL;
    MvNetworkHandle network = NULL;
    connect_with_ring(server, &centre, &network);
    pthread_mutex_lock(&server->lock);
    server->reply_opcode = 0x0002;
    server->reply_notification_length = encode_record_at(server->reply_notification, sizeof server->reply_notification,
                                                         41, 0, 4000000, MV_EVENTTYPE_CHANNELDATAREADABLE, 3);
    pthread_mutex_unlock(&server->lock);
    uint64_t now = 0;
    CHECK(mvGetMicroseconds(&now) == MV_STATUS_OKAY);
    CHECK(ring[0].tag == 3);
    checks += 2;
    ring[0].event_type = 0; /* the app handled it */
    CHECK(mvhost_clock_sleep_us(5000000) == 0);
    checks++;

    pthread_mutex_lock(&server->lock);
    server->drop_requested = 1;
    pthread_mutex_unlock(&server->lock);
    while (mvhost_bridge_connected()) {
        mvGetMicroseconds(&now);
    }
    CHECK(ring[1].event_type == MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    checks++;
}

static void resent_push_already_read_is_dropped(void)
{
    struct fake_bridge server;
    read_record_41_then_lose_link(&server);
    pthread_mutex_lock(&server.lock);
    server.resume_kept = 1;
    server.resume_lead_length = encode_record_at(server.resume_lead, sizeof server.resume_lead, 41, 0, 4000000,
                                                 MV_EVENTTYPE_CHANNELDATAREADABLE, 3);
    pthread_mutex_unlock(&server.lock);
    struct mvhost_stats before;
    mvhost_get_stats(&before);

    reconnect_with_calls();

    /* The resume names record 41 as read, and the copy sent again reaches no slot. */
    CHECK(server.resumes == 1);
    CHECK(server.resume_read_any == 1);
    CHECK(server.resume_last_read == 41);
    CHECK(ring[0].event_type == 0);
    CHECK(ring[1].event_type == MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK(ring[2].event_type == 0);
    struct mvhost_stats after;
    mvhost_get_stats(&after);
    CHECK(after.notifications_written == before.notifications_written);
    CHECK(fake_bridge_count(&server, MVHOST_OP_BRIDGE_RESTORE) == 0); /* a kept kernel has the app's objects */
    checks += 8;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void resent_push_not_read_fills_its_slot(void)
{
    struct fake_bridge server;
    read_record_41_then_lose_link(&server);
    /* Record 42 went to the kernel's slot 1 before the loss, and the connection lost it unread. */
    pthread_mutex_lock(&server.lock);
    server.resume_kept = 1;
    server.resume_lead_length = encode_record_at(server.resume_lead, sizeof server.resume_lead, 41, 0, 4000000,
                                                 MV_EVENTTYPE_CHANNELDATAREADABLE, 3);
    server.resume_lead_length += encode_record_at(server.resume_lead + server.resume_lead_length,
                                                  sizeof server.resume_lead - server.resume_lead_length, 42, 1,
                                                  4500000, MV_EVENTTYPE_CHANNELDATAREADABLE, 4);
    pthread_mutex_unlock(&server.lock);
    handler_runs = 0;

    reconnect_with_calls();

    /* It goes after libmvhost's loss record, which shifted the kernel's slots by one, and takes its later time. */
    CHECK(ring[0].event_type == 0);
    CHECK(ring[1].event_type == MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK(ring[1].microseconds >= 5000000);
    CHECK(ring[2].event_type == MV_EVENTTYPE_CHANNELDATAREADABLE);
    CHECK(ring[2].tag == 4);
    CHECK(ring[2].microseconds == ring[1].microseconds);
    CHECK(handler_runs >= 1);
    checks += 7;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

/*
 * Encodes a CONFIG_RESPONSE state with one item of `value_length` bytes, which makes a reply
 * larger than any fixed buffer smaller than a full reply.
 */
static uint32_t encode_large_state(uint8_t *out, size_t capacity, uint32_t value_length)
{
    static uint8_t value[80 * 1024];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, out, capacity);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, MVHOST_STATE_CONFIG_RESPONSE, 0, 40);
    mvhost_wire_put_u64(&writer, 0x5eed);
    mvhost_wire_put_u32(&writer, 0);
    mvhost_wire_put_list(&writer, 1, 2);
    mvhost_wire_put_u32(&writer, 0);
    mvhost_wire_put_bytes(&writer, value, value_length);
    mvhost_wire_finish_frame(&writer);
    return (uint32_t)writer.length;
}

static void resume_reply_above_64_kib_is_read(void)
{
    struct fake_bridge server;
    read_record_41_then_lose_link(&server);
    /* The state leads the pushes sent again, as the lost request's remembered reply would. */
    pthread_mutex_lock(&server.lock);
    server.resume_kept = 1;
    server.resume_lead_length = encode_large_state(server.resume_lead, sizeof server.resume_lead, 70000);
    server.resume_lead_length += encode_record_at(server.resume_lead + server.resume_lead_length,
                                                  sizeof server.resume_lead - server.resume_lead_length, 42, 1,
                                                  4500000, MV_EVENTTYPE_CHANNELDATAREADABLE, 4);
    pthread_mutex_unlock(&server.lock);

    reconnect_with_calls();

    pthread_mutex_lock(&server.lock);
    unsigned resumes = server.resumes;
    pthread_mutex_unlock(&server.lock);
    CHECK(resumes == 1);
    CHECK(ring[2].event_type == MV_EVENTTYPE_CHANNELDATAREADABLE);
    CHECK(ring[2].tag == 4);
    checks += 3;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void resent_push_after_wrap_is_kept(void)
{
    struct fake_bridge server;
    MvNotificationHandle centre = NULL;
    connect_with_ring(&server, &centre, NULL);
    /* The kernel's counter is at 2^32 - 2 when libmvhost reads a record, and wraps to 1 before the next one. */
    pthread_mutex_lock(&server.lock);
    server.reply_opcode = 0x0002;
    server.reply_notification_length = encode_record_at(server.reply_notification, sizeof server.reply_notification,
                                                        0xFFFFFFFEu, 0, 1000, MV_EVENTTYPE_CHANNELDATAREADABLE, 3);
    pthread_mutex_unlock(&server.lock);
    uint64_t now = 0;
    CHECK(mvGetMicroseconds(&now) == MV_STATUS_OKAY);
    checks++;
    ring[0].event_type = 0;
    pthread_mutex_lock(&server.lock);
    server.drop_requested = 1;
    server.resume_kept = 1;
    server.resume_lead_length = encode_record_at(server.resume_lead, sizeof server.resume_lead, 0xFFFFFFFEu, 0, 1000,
                                                 MV_EVENTTYPE_CHANNELDATAREADABLE, 3);
    server.resume_lead_length += encode_record_at(server.resume_lead + server.resume_lead_length,
                                                  sizeof server.resume_lead - server.resume_lead_length, 1, 1, 2000,
                                                  MV_EVENTTYPE_CHANNELDATAREADABLE, 4);
    pthread_mutex_unlock(&server.lock);
    while (mvhost_bridge_connected()) {
        mvGetMicroseconds(&now);
    }

    reconnect_with_calls();

    CHECK(server.resume_last_read == 0xFFFFFFFEu);
    CHECK(ring[0].event_type == 0);
    CHECK(ring[1].event_type == MV_EVENTTYPE_CHANNELDATAREADABLE);
    CHECK(ring[1].tag == 4);
    checks += 4;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void fresh_kernel_restarts_read_sequence(void)
{
    struct fake_bridge server;
    read_record_41_then_lose_link(&server);
    pthread_mutex_lock(&server.lock);
    server.resume_kept = 0;
    pthread_mutex_unlock(&server.lock);
    reconnect_with_calls();

    /* The fresh kernel sent no record before the next loss, and its numbers have nothing to do with 41. */
    pthread_mutex_lock(&server.lock);
    server.drop_requested = 1;
    pthread_mutex_unlock(&server.lock);
    uint64_t now = 0;
    while (mvhost_bridge_connected()) {
        mvGetMicroseconds(&now);
    }
    reconnect_with_calls();

    CHECK(server.resumes == 2);
    CHECK(server.resume_read_any == 0);
    checks += 2;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

/* Reads the next field of `reader` and returns its value, or a list's element count; 0xDEAD when none is left. */
static uint64_t next_value(struct mvhost_wire_reader *reader)
{
    struct mvhost_wire_field field;
    if (mvhost_wire_reader_at_end(reader) || mvhost_wire_read_field(reader, &field) != MVHOST_WIRE_OK) {
        return 0xDEAD;
    }
    return field.tag == MVHOST_WIRE_LIST ? field.list_count : field.value;
}

static void fresh_kernel_recreates_app_objects(void)
{
    static uint8_t buffers[1024] __attribute__((aligned(512)));
    struct fake_bridge server;
    MvNotificationHandle centre = NULL;
    MvNetworkHandle network = NULL;
    connect_with_ring(&server, &centre, &network);
    struct MvOpenChannelParams channel_params = {.version = 1};
    channel_params.v1.notification_handle = centre;
    channel_params.v1.notification_tag = 9;
    channel_params.v1.network_handle = network;
    channel_params.v1.receive_buffer = buffers;
    channel_params.v1.receive_buffer_len = 512;
    channel_params.v1.send_buffer = buffers + 512;
    channel_params.v1.send_buffer_len = 512;
    channel_params.v1.channel_type = MV_CHANNELTYPE_CONFIGFETCH;
    MvChannelHandle channel = NULL;
    CHECK(mvOpenChannel(&channel_params, &channel) == MV_STATUS_OKAY);
    checks++;

    /* A record of the lost kernel in slot 0, which the app has not handled, then the loss's two records. */
    pthread_mutex_lock(&server.lock);
    server.reply_opcode = 0x0002;
    server.reply_notification_length = encode_record_at(server.reply_notification, sizeof server.reply_notification,
                                                        5, 0, 1000, MV_EVENTTYPE_NETWORKSTATUSCHANGED, 7);
    pthread_mutex_unlock(&server.lock);
    uint64_t now = 0;
    CHECK(mvGetMicroseconds(&now) == MV_STATUS_OKAY);
    checks++;
    pthread_mutex_lock(&server.lock);
    server.drop_requested = 1;
    server.resume_kept = 0;
    /* The fresh kernel fills the ring from its slot 0, which must land after the records the app has. */
    server.reply_opcode = MVHOST_OP_BRIDGE_RESTORE;
    server.reply_notification_length = encode_record_at(server.reply_notification, sizeof server.reply_notification,
                                                        1, 0, 2000, MV_EVENTTYPE_NETWORKSTATUSCHANGED, 11);
    pthread_mutex_unlock(&server.lock);
    while (mvhost_bridge_connected()) {
        mvGetMicroseconds(&now);
    }
    CHECK(ring[2].event_type == MV_EVENTTYPE_CHANNELNOTCONNECTED);
    checks++;

    CHECK(prints(reconnect_with_calls, "libmvhost: the simulator gave this device a fresh kernel"));
    checks++;

    CHECK(fake_bridge_count(&server, MVHOST_OP_BRIDGE_RESTORE) == 1);
    const uint64_t expected[] = {
        1, FAKE_CENTRE, (uint64_t)(uintptr_t)ring, sizeof ring, TIM8_BRK_IRQn,
        1, FAKE_NETWORK, FAKE_CENTRE, 7,
        1, FAKE_CHANNEL, FAKE_CENTRE, 9, FAKE_NETWORK, (uint64_t)(uintptr_t)buffers, 512,
        (uint64_t)(uintptr_t)(buffers + 512), 512,
    };
    struct mvhost_wire_reader reader;
    mvhost_wire_reader_init(&reader, server.restore_payload, server.restore_length);
    for (unsigned i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        uint64_t value = next_value(&reader);
        if (value != expected[i]) {
            fprintf(stderr, "BRIDGE_RESTORE field %u is 0x%llx, expected 0x%llx\n", i, (unsigned long long)value,
                    (unsigned long long)expected[i]);
        }
        CHECK(value == expected[i]);
        checks++;
    }
    CHECK(mvhost_wire_reader_at_end(&reader));
    CHECK(ring[2].event_type == MV_EVENTTYPE_CHANNELNOTCONNECTED);
    CHECK(ring[3].event_type == MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK(ring[3].tag == 11);
    checks += 5;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

/* Encodes the LIVE_HANDLES state of a kernel kept for a reconnect: the fake's centre on `ring`, and its network request. */
static uint32_t encode_live_handles(uint8_t *out, size_t capacity)
{
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, out, capacity);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, MVHOST_STATE_LIVE_HANDLES, 0, 1);
    mvhost_wire_put_list(&writer, 1, 3);
    mvhost_wire_put_u64(&writer, FAKE_CENTRE);
    mvhost_wire_put_u64(&writer, (uint64_t)(uintptr_t)ring);
    mvhost_wire_put_u32(&writer, sizeof ring);
    mvhost_wire_put_list(&writer, 1, 1);
    mvhost_wire_put_u64(&writer, FAKE_NETWORK);
    mvhost_wire_put_list(&writer, 0, 9);
    mvhost_wire_finish_frame(&writer);
    return (uint32_t)writer.length;
}

/* Opens a config fetch channel with tag 9 on `centre` and `network`, through the fake kernel. */
static MvChannelHandle open_fetch_channel(MvNotificationHandle centre, MvNetworkHandle network)
{
    static uint8_t buffers[1024];
    struct MvOpenChannelParams channel_params = {.version = 1};
    channel_params.v1.notification_handle = centre;
    channel_params.v1.notification_tag = 9;
    channel_params.v1.network_handle = network;
    channel_params.v1.receive_buffer = buffers;
    channel_params.v1.receive_buffer_len = 512;
    channel_params.v1.send_buffer = buffers + 512;
    channel_params.v1.send_buffer_len = 512;
    channel_params.v1.channel_type = MV_CHANNELTYPE_CONFIGFETCH;
    MvChannelHandle channel = NULL;
    CHECK(mvOpenChannel(&channel_params, &channel) == MV_STATUS_OKAY);
    checks++;
    return channel;
}

static void channel_on_released_network_gets_no_loss_record(void)
{
    struct fake_bridge server;
    MvNotificationHandle centre = NULL;
    MvNetworkHandle network = NULL;
    connect_with_ring(&server, &centre, &network);
    open_fetch_channel(centre, network);

    /* The kernel closes the channel with its own record when the app releases its network request. */
    CHECK(mvReleaseNetwork(&network) == MV_STATUS_OKAY);
    checks++;
    struct mvhost_stats before;
    mvhost_get_stats(&before);

    pthread_mutex_lock(&server.lock);
    server.drop_requested = 1;
    pthread_mutex_unlock(&server.lock);
    uint64_t now = 0;
    for (uint64_t start = monotonic_ms(); mvhost_bridge_connected() && monotonic_ms() - start < LINK_WAIT_MS;) {
        mvGetMicroseconds(&now);
    }
    struct mvhost_stats after;
    mvhost_get_stats(&after);
    CHECK(mvhost_bridge_connected() == 0);
    CHECK(after.notifications_written == before.notifications_written);
    checks += 2;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void live_handles_in_replayed_reply_are_kept(void)
{
    struct fake_bridge server;
    MvNotificationHandle centre = NULL;
    MvNetworkHandle network = NULL;
    connect_with_ring(&server, &centre, &network);
    uint16_t port = server.port;
    MvChannelHandle channel = open_fetch_channel(centre, network);

    /* The app closes the channel while the simulator is away, so the reconnect replays the close. */
    fake_bridge_stop(&server);
    uint64_t now = 0;
    for (uint64_t start = monotonic_ms(); mvhost_bridge_connected() && monotonic_ms() - start < LINK_WAIT_MS;) {
        mvGetMicroseconds(&now);
    }
    CHECK(mvCloseChannel(&channel) == MV_STATUS_OKAY);
    checks++;

    /* The kept kernel's first RESPONSE, to the replayed close, leads with the app's live handles. */
    restart_server(&server, port);
    pthread_mutex_lock(&server.lock);
    server.reply_opcode = 0x001D;
    server.reply_notification_length = encode_live_handles(server.reply_notification,
                                                           sizeof server.reply_notification);
    pthread_mutex_unlock(&server.lock);
    reconnect_with_calls();
    CHECK(fake_bridge_count(&server, 0x001D) == 1);
    checks++;
    struct mvhost_stats before;
    mvhost_get_stats(&before);

    CHECK(mvReleaseNetwork(&network) == MV_STATUS_OKAY);

    struct mvhost_stats after;
    mvhost_get_stats(&after);
    CHECK(network == NULL);
    CHECK(after.local_answers == before.local_answers + 1);
    CHECK(after.exchanges == before.exchanges);
    checks += 4;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

/* libmvhost offers version 2 on a socket and uses the version the simulator chose. */
static void socket_offers_stream_framing(void)
{
    struct fake_bridge server;
    MvNotificationHandle centre = NULL;
    MvNetworkHandle network = NULL;
    connect_with_ring(&server, &centre, &network);
    uint64_t microseconds = 0;

    CHECK(mvGetMicroseconds(&microseconds) == MV_STATUS_OKAY);
    CHECK(server.hellos == 1);
    CHECK(server.hello_max_version[0] == 2);
    CHECK(server.chosen_version[0] == (stream_framing ? 2 : 1));
    CHECK(mvhost_bridge_connected() == 1);
    checks += 5;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

/*
 * Sends `raw` after the reply to a POLL, then makes one more call: the bytes break the version 2
 * framing, so the connection is dropped and libmvhost replies to the call itself.
 */
static void check_broken_stream_drops_connection(const uint8_t *raw, uint32_t raw_length, int close_after)
{
    struct fake_bridge server;
    stream_framing = 1;
    MvNotificationHandle centre = NULL;
    connect_with_ring(&server, &centre, NULL);
    pthread_mutex_lock(&server.lock);
    memcpy(server.raw_after_reply, raw, raw_length);
    server.raw_after_opcode = 0x0103;
    server.raw_after_reply_length = raw_length;
    server.close_after_raw = close_after;
    pthread_mutex_unlock(&server.lock);
    struct mvhost_stats stats;

    CHECK(mvhost_poll() == 0);
    CHECK(mvhost_bridge_connected() == 1);
    mvhost_get_stats(&stats);
    uint64_t offline_before = stats.offline_exchanges;
    (void)mvhost_poll();
    mvhost_get_stats(&stats);
    CHECK(mvhost_bridge_connected() == 0);
    CHECK(stats.offline_exchanges == offline_before + 1);
    checks += 4;

    mvhost_disconnect();
    fake_bridge_stop(&server);
}

static void broken_stream_drops_connection(void)
{
    /* A length above the maximum. */
    const uint8_t oversized[] = {0xFF, 0xFF, 0xFF, 0x7F, 'M', 'V'};
    check_broken_stream_drops_connection(oversized, sizeof oversized, 0);

    /* A length below a frame header. */
    const uint8_t undersized[] = {3, 0, 0, 0, 'M', 'V', 1};
    check_broken_stream_drops_connection(undersized, sizeof undersized, 0);

    /* A whole packet whose payload does not start with the frame magic. */
    uint8_t bad_magic[4 + 16] = {16, 0, 0, 0};
    memset(bad_magic + 4, 'X', 16);
    check_broken_stream_drops_connection(bad_magic, sizeof bad_magic, 0);

    /* A packet cut short by the end of the connection. */
    const uint8_t truncated[] = {40, 0, 0, 0, 'M', 'V', 1, 2};
    check_broken_stream_drops_connection(truncated, sizeof truncated, 1);
}

/* The simulator's end of a pseudo-terminal: it reads one HELLO and replies with a CHALLENGE that chooses version 2. */
struct serial_peer {
    int master;
    uint8_t hello_min_version;
    uint8_t hello_max_version;
    int hellos;
};

static void *challenge_with_version_two(void *argument)
{
    struct serial_peer *peer = argument;
    static uint8_t input[512], payload[512], scratch[64], packet[128];
    struct mvhost_packet_reader reader;
    mvhost_packet_reader_init(&reader, 512);
    for (int waits = 0; waits < 100 && peer->hellos == 0; waits++) {
        struct pollfd waiting = {.fd = peer->master, .events = POLLIN};
        if (poll(&waiting, 1, 20) <= 0) {
            continue;
        }
        ssize_t count = read(peer->master, input, sizeof input);
        size_t offset = 0;
        while (count > 0 && offset < (size_t)count) {
            size_t consumed = 0;
            long length = mvhost_packet_reader_feed(&reader, input + offset, (size_t)count - offset, &consumed, payload);
            offset += consumed;
            if (length < 7 + 16 || payload[0] != 'H' || payload[2] != 1) {
                continue;
            }
            peer->hello_min_version = payload[3];
            peer->hello_max_version = payload[4];
            peer->hellos++;
            uint8_t challenge[4 + 2 * 16] = {'H', 'S', 2, 2};
            memcpy(challenge + 4 + 16, payload + 7, 16);
            long encoded = mvhost_packet_encode(challenge, sizeof challenge, scratch, packet, sizeof packet);
            (void)!write(peer->master, packet, (size_t)encoded);
        }
    }
    mvhost_packet_reader_release(&reader);
    return NULL;
}

/* A serial line keeps version 1: libmvhost offers only it, and a CHALLENGE that chooses 2 stops the device. */
static void serial_line_offers_version_one_only(void)
{
    struct serial_peer peer = {.master = posix_openpt(O_RDWR | O_NOCTTY)};
    CHECK(peer.master >= 0);
    CHECK(grantpt(peer.master) == 0);
    CHECK(unlockpt(peer.master) == 0);
    checks += 3;
    char endpoint[128];
    snprintf(endpoint, sizeof endpoint, "serial:%s?retries=0&wait_ms=0&handshake_ms=2000", ptsname(peer.master));
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, challenge_with_version_two, &peer) == 0);
    checks++;

    mvhost_reset();
    CHECK(mvhost_connect(endpoint, SID, KEY_HEX) == MVHOST_EAUTH);
    pthread_join(thread, NULL);
    CHECK(peer.hellos == 1);
    CHECK(peer.hello_min_version == 1);
    CHECK(peer.hello_max_version == 1);
    checks += 4;

    mvhost_disconnect();
    close(peer.master);
}

static void run_suite(void)
{
    handshake_without_answer_times_out();
    device_time_runs_while_handshakes_fail();
    first_connection_waits_for_late_simulator();
    stale_reject_does_not_end_handshake();
    hello_carries_boot_id_and_device_time();
    lost_connection_writes_device_records();
    wall_delay_receives_push_without_ending_early();
    interrupt_thread_sees_push_without_syscall();
    offline_setup_is_replayed_on_connect();
    replayed_call_records_reach_ring();
    loss_after_offline_setup_writes_after_kernel_records();
    setup_closed_offline_is_not_replayed();
    kernel_handle_closed_offline_is_closed_on_reconnect();
    report_queued_at_loss_reaches_kernel_on_reconnect();
    disconnect_sends_posted_reports_on_open_link();
    kept_report_survives_a_second_loss();
    flushed_report_lost_unread_is_sent_again();
    lost_reply_of_network_request_is_resumed_not_replayed();
    channel_opened_for_lost_reply_is_closed_on_reconnect();
    request_lost_on_its_way_is_replayed();
    resent_push_already_read_is_dropped();
    resent_push_not_read_fills_its_slot();
    resent_push_after_wrap_is_kept();
    resume_reply_above_64_kib_is_read();
    fresh_kernel_restarts_read_sequence();
    fresh_kernel_recreates_app_objects();
    lost_reply_to_replayed_call_is_resumed();
    live_handles_in_replayed_reply_are_kept();
    channel_on_released_network_gets_no_loss_record();
    socket_offers_stream_framing();
}

int main(void)
{
    stream_framing = 0;
    run_suite();
    stream_framing = 1;
    run_suite();
    broken_stream_drops_connection();
    serial_line_offers_version_one_only();
    mvhost_reset();
    return bridge_finish("bridge_session_test", checks);
}
