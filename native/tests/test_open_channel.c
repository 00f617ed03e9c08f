/*
 * mvOpenChannel answered with a handle of the kernel's RESERVED_HANDLES state, within its
 * OPEN_BUDGET state. libmvhost answers locally only with valid arguments on a virtual clock, a
 * tracked centre, a tracked network request whose status is CONNECTED, buffers that no listed
 * holder uses, and room in the budget. Every other case goes to the kernel, which the fake's
 * request counter and its handle show.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "fake_kernel.h"
#include "host.h"
#include "local_handle_fixture.h"
#include "mv_syscalls.h"
#include "mvhost.h"
#include "wire.h"

#define CENTRE 0x0badf00du
#define NETWORK 0x5a17c0deu
#define CHANNEL 0x7e57ab1eu
#define SECOND_CHANNEL 0x7e57ab2eu

#define WINDOW_US 1000000u
#define MAX_OPENS 8u
/* The fake kernel's clock when a test starts, so that opens up to a window earlier are representable. */
#define START_US 5000000u

#define BUFFER_SETS 4
static uint8_t buffers[BUFFER_SETS][2560] __attribute__((aligned(512)));
static struct MvNotification ring[8];

/* Queues an OPEN_BUDGET state of MAX_OPENS opens per WINDOW_US with `free_channels` and the opens given. */
static void queue_budget(uint32_t free_channels, const uint64_t *opens, uint32_t open_count)
{
    fake_kernel_queue_open_budget(free_channels, MAX_OPENS, WINDOW_US, opens, open_count);
}

/*
 * Resets libmvhost onto the fake, then sets up centre CENTRE and requests network NETWORK locally
 * from a state whose new requests report `status`. It then delivers a state that lists the centre
 * as the only holder and offers CHANNEL and SECOND_CHANNEL, with the budget given.
 */
static void start_with_budget(uint32_t clock_kind, uint32_t status, uint32_t free_channels, const uint64_t *opens,
                              uint32_t open_count)
{
    static const uint64_t first_handles[2] = {CENTRE, NETWORK};
    static const uint64_t channel_handles[2] = {CHANNEL, SECOND_CHANNEL};
    static const uint64_t holders[1] = {CENTRE};
    MvNotificationHandle centre = 0;
    MvNetworkHandle network = 0;
    fake_kernel_restart(clock_kind, START_US);
    fake_kernel_queue_reservation(
        MVHOST_RESERVED_SETUP_FREE | MVHOST_RESERVED_HOLDERS_LISTED | MVHOST_RESERVED_STATUS_KNOWN, status,
        first_handles, 2, NULL, 0);
    CHECK_EQ(mvhost_poll(), 0);

    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &centre), MV_STATUS_OKAY);
    CHECK_EQ(app_request_network(1, centre, &network), MV_STATUS_OKAY);
    CHECK_EQ((uint64_t)(uintptr_t)centre, CENTRE);
    CHECK_EQ((uint64_t)(uintptr_t)network, NETWORK);

    /* The REPORTs travel with this poll, and its reply brings the channel states. */
    fake_kernel_queue_reservation(MVHOST_RESERVED_HOLDERS_LISTED | MVHOST_RESERVED_STATUS_KNOWN, status,
                                  channel_handles, 2, holders, 1);
    if (opens != NULL || free_channels > 0) {
        queue_budget(free_channels, opens, open_count);
    }
    CHECK_EQ(mvhost_poll(), 0);
}

static void start(void)
{
    start_with_budget(MVHOST_CLOCK_VIRTUAL, MV_NETWORKSTATUS_CONNECTED, 4, NULL, 0);
}

/* Parameters of a config-fetch channel on the buffers of set `set`: 2048 bytes to receive, then 512 to send. */
static struct MvOpenChannelParams channel_params(unsigned set)
{
    struct MvOpenChannelParams params = {.version = 1};
    params.v1.notification_handle = (MvNotificationHandle)(uintptr_t)CENTRE;
    params.v1.notification_tag = 9;
    params.v1.network_handle = (MvNetworkHandle)(uintptr_t)NETWORK;
    params.v1.receive_buffer = buffers[set];
    params.v1.receive_buffer_len = 2048;
    params.v1.send_buffer = buffers[set] + 2048;
    params.v1.send_buffer_len = 512;
    params.v1.channel_type = MV_CHANNELTYPE_CONFIGFETCH;
    /* The fake kernel answers PARAMETERFAULT for any absent pointer, so the empty endpoint gets an address. */
    params.v1.endpoint.data = (const uint8_t *)"";
    return params;
}

/* Opens a channel and returns its handle. FAKE_HANDLE shows that the call reached the kernel. */
static uint64_t open_with(const struct MvOpenChannelParams *params)
{
    MvChannelHandle channel = 0;
    CHECK_EQ(mvOpenChannel(params, &channel), MV_STATUS_OKAY);
    return (uint64_t)(uintptr_t)channel;
}

static uint64_t open_set(unsigned set)
{
    struct MvOpenChannelParams params = channel_params(set);
    return open_with(&params);
}

static void open_needs_no_exchange(void)
{
    start();
    unsigned before = fake_kernel.requests;

    uint64_t channel = open_set(0);

    CHECK_EQ(fake_kernel.requests, before);
    CHECK_EQ(channel, CHANNEL);

    /* The REPORT leads the next exchange. */
    CHECK_EQ(mvhost_poll(), 0);
    CHECK_EQ(fake_kernel.reports, 3);
    CHECK_EQ(fake_kernel.last_report_opcode, MVHOST_OP_OPEN_CHANNEL);
}

static void local_channel_closes_locally(void)
{
    start();
    MvChannelHandle channel = (MvChannelHandle)(uintptr_t)open_set(0);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(mvCloseChannel(&channel), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before);
    CHECK_EQ((uint64_t)(uintptr_t)channel, 0);
}

static void full_window_sends_open_to_kernel(void)
{
    uint64_t opens[MAX_OPENS];
    for (unsigned i = 0; i < MAX_OPENS; i++) {
        opens[i] = START_US - WINDOW_US + 1 + i;
    }
    start_with_budget(MVHOST_CLOCK_VIRTUAL, MV_NETWORKSTATUS_CONNECTED, 4, opens, MAX_OPENS);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(open_set(0), FAKE_HANDLE);
    CHECK_EQ(fake_kernel.requests, before + 1);
}

static void open_past_window_stays_local(void)
{
    uint64_t opens[MAX_OPENS];
    /* The oldest open is exactly one window old, which the kernel no longer counts. */
    opens[0] = START_US - WINDOW_US;
    for (unsigned i = 1; i < MAX_OPENS; i++) {
        opens[i] = START_US - 10 + i;
    }
    start_with_budget(MVHOST_CLOCK_VIRTUAL, MV_NETWORKSTATUS_CONNECTED, 4, opens, MAX_OPENS);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(open_set(0), CHANNEL);

    /* The eighth open inside the window is libmvhost's own, so the next one must go to the kernel. */
    CHECK_EQ(open_set(1), FAKE_HANDLE);
    CHECK_EQ(fake_kernel.requests, before + 1);
}

/* Delivers a state that offers 8 handles with only the centre holding buffers, and a budget of 4 free channels. */
static void deliver_free_channels(const uint64_t *opens, uint32_t open_count)
{
    static const uint64_t offered[8] = {0x100, 0x101, 0x102, 0x103, 0x104, 0x105, 0x106, 0x107};
    static const uint64_t holders[1] = {CENTRE};
    fake_kernel_queue_reservation(MVHOST_RESERVED_HOLDERS_LISTED | MVHOST_RESERVED_STATUS_KNOWN,
                                  MV_NETWORKSTATUS_CONNECTED, offered, 8, holders, 1);
    queue_budget(4, opens, open_count);
    CHECK_EQ(mvhost_poll(), 0);
}

static void ninth_local_open_goes_to_kernel(void)
{
    const uint64_t opens[MAX_OPENS] = {START_US, START_US, START_US, START_US, START_US, START_US, START_US, START_US};
    unsigned locally = 0;
    start();

    /* Four opens and closes per state: each one frees every channel and lists the opens so far, all at START_US. */
    for (unsigned round = 0; round < 2; round++) {
        deliver_free_channels(opens, round * 4);
        for (unsigned i = 0; i < 4; i++) {
            unsigned before = fake_kernel.requests;
            MvChannelHandle channel = (MvChannelHandle)(uintptr_t)open_set(0);
            locally += fake_kernel.requests == before;
            CHECK_EQ(mvCloseChannel(&channel), MV_STATUS_OKAY);
        }
    }
    CHECK_EQ(locally, 8);
    deliver_free_channels(opens, MAX_OPENS);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(open_set(0), FAKE_HANDLE);
    CHECK_EQ(fake_kernel.requests, before + 1);
}

static void local_opens_use_up_free_channels(void)
{
    start_with_budget(MVHOST_CLOCK_VIRTUAL, MV_NETWORKSTATUS_CONNECTED, 1, NULL, 0);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(open_set(0), CHANNEL);
    CHECK_EQ(open_set(1), FAKE_HANDLE);

    CHECK_EQ(fake_kernel.requests, before + 1);
}

static void missing_budget_sends_open_to_kernel(void)
{
    start_with_budget(MVHOST_CLOCK_VIRTUAL, MV_NETWORKSTATUS_CONNECTED, 0, NULL, 0);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(open_set(0), FAKE_HANDLE);
    CHECK_EQ(fake_kernel.requests, before + 1);
}

static void connecting_network_sends_open_to_kernel(void)
{
    start_with_budget(MVHOST_CLOCK_VIRTUAL, MV_NETWORKSTATUS_CONNECTING, 4, NULL, 0);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(open_set(0), FAKE_HANDLE);
    CHECK_EQ(fake_kernel.requests, before + 1);
}

static void wall_clock_sends_open_to_kernel(void)
{
    start_with_budget(MVHOST_CLOCK_WALL, MV_NETWORKSTATUS_CONNECTED, 4, NULL, 0);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(open_set(0), FAKE_HANDLE);
    CHECK_EQ(fake_kernel.requests, before + 1);
}

static void buffers_in_use_send_open_to_kernel(void)
{
    start();
    CHECK_EQ(open_set(0), CHANNEL);
    struct MvOpenChannelParams over_ring = channel_params(1);
    over_ring.v1.receive_buffer = (uint8_t *)ring;
    over_ring.v1.receive_buffer_len = 512;
    unsigned before = fake_kernel.requests;

    CHECK_EQ(open_set(0), FAKE_HANDLE);
    CHECK_EQ(open_with(&over_ring), FAKE_HANDLE);

    CHECK_EQ(fake_kernel.requests, before + 2);
}

static void unknown_holder_sends_open_to_kernel(void)
{
    static const uint64_t handles[1] = {CHANNEL};
    static const uint64_t holders[2] = {CENTRE, 0x4444u};
    start();
    fake_kernel_queue_reservation(MVHOST_RESERVED_HOLDERS_LISTED | MVHOST_RESERVED_STATUS_KNOWN,
                                  MV_NETWORKSTATUS_CONNECTED, handles, 1, holders, 2);
    queue_budget(4, NULL, 0);
    CHECK_EQ(mvhost_poll(), 0);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(open_set(0), FAKE_HANDLE);
    CHECK_EQ(fake_kernel.requests, before + 1);
}

/* Each argument the kernel would reject makes its status uncertain, so the call must be exchanged. */
static void invalid_open_goes_to_kernel(void)
{
    MvChannelHandle channel = 0;
    start();
    struct MvOpenChannelParams versions = channel_params(0);
    versions.version = 2;
    struct MvOpenChannelParams misaligned = channel_params(0);
    misaligned.v1.send_buffer = buffers[0] + 16;
    struct MvOpenChannelParams odd_size = channel_params(0);
    odd_size.v1.receive_buffer_len = 1000;
    struct MvOpenChannelParams empty_send = channel_params(0);
    empty_send.v1.send_buffer_len = 0;
    struct MvOpenChannelParams overlapping = channel_params(0);
    overlapping.v1.send_buffer = buffers[0] + 1024;
    struct MvOpenChannelParams http = channel_params(0);
    http.v1.channel_type = MV_CHANNELTYPE_HTTP;
    struct MvOpenChannelParams endpoint = channel_params(0);
    endpoint.v1.endpoint.data = (const uint8_t *)"x";
    endpoint.v1.endpoint.length = 1;
    struct MvOpenChannelParams no_receive = channel_params(0);
    no_receive.v1.receive_buffer = NULL;
    struct MvOpenChannelParams untracked_centre = channel_params(0);
    untracked_centre.v1.notification_handle = (MvNotificationHandle)(uintptr_t)0x1234u;
    struct MvOpenChannelParams untracked_network = channel_params(0);
    untracked_network.v1.network_handle = (MvNetworkHandle)(uintptr_t)0x1234u;
    struct MvOpenChannelParams valid = channel_params(0);
    const struct MvOpenChannelParams *rejected[] = {&versions, &misaligned, &odd_size, &empty_send, &overlapping,
                                                    &http, &endpoint, &no_receive, &untracked_centre,
                                                    &untracked_network};
    unsigned before = fake_kernel.requests;

    for (size_t i = 0; i < sizeof rejected / sizeof rejected[0]; i++) {
        (void)mvOpenChannel(rejected[i], &channel);
    }
    CHECK_EQ(mvOpenChannel(NULL, &channel), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(mvOpenChannel(&valid, NULL), MV_STATUS_PARAMETERFAULT);

    CHECK_EQ(fake_kernel.requests, before + 12);
    CHECK_EQ(fake_kernel.reports, 2);
}

static void new_transport_drops_budget(void)
{
    start();
    mvhost_set_inprocess_transport(NULL, NULL);
    fake_kernel_install();
    fake_kernel.u64_output = FAKE_HANDLE;
    unsigned before = fake_kernel.requests;

    /* A new transport may lead to another kernel, so the budget and handles of the old one are gone. */
    CHECK_EQ(open_set(0), FAKE_HANDLE);
    CHECK_EQ(fake_kernel.requests, before + 1);
}

int main(void)
{
    open_needs_no_exchange();
    local_channel_closes_locally();
    full_window_sends_open_to_kernel();
    open_past_window_stays_local();
    ninth_local_open_goes_to_kernel();
    local_opens_use_up_free_channels();
    missing_budget_sends_open_to_kernel();
    connecting_network_sends_open_to_kernel();
    wall_clock_sends_open_to_kernel();
    buffers_in_use_send_open_to_kernel();
    unknown_holder_sends_open_to_kernel();
    invalid_open_goes_to_kernel();
    new_transport_drops_budget();
    return check_failures == 0 ? 0 : 1;
}
