/*
 * mvGetNetworkStatus answered from NETWORK states. libmvhost answers locally only for a network
 * handle the app requested and has not released, with a cached status, a present output pointer
 * and a virtual clock. Every other case goes to the kernel.
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

#define CENTRE 0x5a17c0deu
#define NETWORK 0x0badf00du
/* The status the fake kernel writes for any u32 output, which marks a call that reached it. */
#define FAKE_STATUS 0x77u

static MvNotificationHandle centre;
static MvNetworkHandle network;
static struct MvNotification ring[8];

/* Resets libmvhost onto the fake with a clock of `clock_kind` and sets up a notification centre. */
static void start(uint32_t clock_kind)
{
    struct MvNotificationSetup setup = {.irq = 51, .buffer = ring, .buffer_size = sizeof ring};
    (void)mvhost_flush();
    fake_kernel_install();
    mvhost_reset();
    fake_kernel.clock_kind = clock_kind;
    fake_kernel.u32_output = FAKE_STATUS;
    fake_kernel.u64_output = CENTRE;
    CHECK_EQ(mvSetupNotifications(&setup, &centre), MV_STATUS_OKAY);
}

/* Requests the network with the kernel's NETWORK state ahead of the response, as the Java kernel sends it. */
static void request_network_with_state(uint32_t status)
{
    struct MvRequestNetworkParams params = {.version = 1};
    params.v1.notification_handle = centre;
    fake_kernel.u64_output = NETWORK;
    fake_kernel_queue_network_state(NETWORK, status);
    CHECK_EQ(mvRequestNetwork(&params, &network), MV_STATUS_OKAY);
}

/* Calls mvGetNetworkStatus and returns how many exchanges it made. */
static unsigned exchanges_of_status_call(MvNetworkHandle handle, enum MvNetworkStatus *status)
{
    unsigned before = fake_kernel.requests;
    CHECK_EQ(mvGetNetworkStatus(handle, status), MV_STATUS_OKAY);
    return fake_kernel.requests - before;
}

static void cached_status_needs_no_exchange(void)
{
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    start(MVHOST_CLOCK_VIRTUAL);
    request_network_with_state(MV_NETWORKSTATUS_CONNECTING);

    CHECK_EQ(exchanges_of_status_call(network, &status), 0);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTING);
    CHECK_EQ(fake_kernel.reports, 0);
    CHECK_EQ(mvhost_flush(), 0);
    CHECK_EQ(fake_kernel.reports, 1);
    CHECK_EQ(fake_kernel.last_report_opcode, 0x0016);
}

static void newer_state_replaces_status(void)
{
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    start(MVHOST_CLOCK_VIRTUAL);
    request_network_with_state(MV_NETWORKSTATUS_CONNECTING);

    fake_kernel_queue_network_state(NETWORK, MV_NETWORKSTATUS_CONNECTED);
    CHECK_EQ(mvhost_poll(), 0);

    CHECK_EQ(exchanges_of_status_call(network, &status), 0);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTED);
}

static void uncertain_cases_go_to_kernel(void)
{
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    start(MVHOST_CLOCK_VIRTUAL);
    request_network_with_state(MV_NETWORKSTATUS_CONNECTING);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(mvGetNetworkStatus(network, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(fake_kernel.requests, before + 1);

    /* A status for a handle the app never got from mvRequestNetwork is not trusted. */
    fake_kernel_queue_network_state(NETWORK + 1, MV_NETWORKSTATUS_CONNECTED);
    CHECK_EQ(mvhost_poll(), 0);
    CHECK_EQ(exchanges_of_status_call((MvNetworkHandle)(uintptr_t)(NETWORK + 1), &status), 1);
    CHECK_EQ(status, FAKE_STATUS);
}

static void handle_without_state_goes_to_kernel(void)
{
    struct MvRequestNetworkParams params = {.version = 1};
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    start(MVHOST_CLOCK_VIRTUAL);
    params.v1.notification_handle = centre;
    fake_kernel.u64_output = NETWORK;
    CHECK_EQ(mvRequestNetwork(&params, &network), MV_STATUS_OKAY);

    CHECK_EQ(exchanges_of_status_call(network, &status), 1);
    CHECK_EQ(status, FAKE_STATUS);
}

static void wall_clock_goes_to_kernel(void)
{
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    start(MVHOST_CLOCK_WALL);
    request_network_with_state(MV_NETWORKSTATUS_CONNECTING);

    CHECK_EQ(exchanges_of_status_call(network, &status), 1);
    CHECK_EQ(status, FAKE_STATUS);
}

static void no_clock_goes_to_kernel(void)
{
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    start(0);
    request_network_with_state(MV_NETWORKSTATUS_CONNECTING);

    CHECK_EQ(exchanges_of_status_call(network, &status), 1);
}

static void release_forgets_status(void)
{
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    MvNetworkHandle released;
    start(MVHOST_CLOCK_VIRTUAL);
    request_network_with_state(MV_NETWORKSTATUS_CONNECTING);
    released = network;

    CHECK_EQ(mvReleaseNetwork(&network), MV_STATUS_OKAY);

    CHECK_EQ(exchanges_of_status_call(released, &status), 1);
}

static void reset_forgets_status(void)
{
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    start(MVHOST_CLOCK_VIRTUAL);
    request_network_with_state(MV_NETWORKSTATUS_CONNECTING);

    mvhost_reset();
    fake_kernel_install();
    fake_kernel.clock_kind = MVHOST_CLOCK_VIRTUAL;
    fake_kernel.u32_output = FAKE_STATUS;

    CHECK_EQ(exchanges_of_status_call(network, &status), 1);
}

static void transport_change_forgets_status(void)
{
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    start(MVHOST_CLOCK_VIRTUAL);
    request_network_with_state(MV_NETWORKSTATUS_CONNECTING);

    fake_kernel_install();
    fake_kernel.clock_kind = MVHOST_CLOCK_VIRTUAL;
    fake_kernel.u32_output = FAKE_STATUS;

    CHECK_EQ(exchanges_of_status_call(network, &status), 1);
}

static void malformed_state_is_ignored(void)
{
    uint8_t storage[64];
    struct mvhost_wire_writer writer;
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    start(MVHOST_CLOCK_VIRTUAL);
    request_network_with_state(MV_NETWORKSTATUS_CONNECTING);

    /* The fields in the wrong order: the schema check drops the frame and the older status stays. */
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, MVHOST_STATE_NETWORK, 0, 0);
    mvhost_wire_put_u32(&writer, MV_NETWORKSTATUS_CONNECTED);
    mvhost_wire_put_u64(&writer, NETWORK);
    CHECK_EQ(mvhost_wire_finish_frame(&writer), MVHOST_WIRE_OK);
    fake_kernel_queue_frame(writer.data, (uint32_t)writer.length);
    mvhost_wire_writer_release(&writer);
    CHECK_EQ(mvhost_poll(), 0);

    CHECK_EQ(exchanges_of_status_call(network, &status), 0);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTING);
}

/* States for handles the app never requested fill the table, but a real request must still be tracked. */
static void stray_states_leave_room_for_requests(void)
{
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    start(MVHOST_CLOCK_VIRTUAL);
    for (uint64_t i = 0; i < 100; i++) {
        fake_kernel_queue_network_state(0x1000u + i, MV_NETWORKSTATUS_CONNECTED);
        CHECK_EQ(mvhost_poll(), 0);
    }

    request_network_with_state(MV_NETWORKSTATUS_CONNECTING);

    CHECK_EQ(exchanges_of_status_call(network, &status), 0);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTING);
}

int main(void)
{
    cached_status_needs_no_exchange();
    newer_state_replaces_status();
    uncertain_cases_go_to_kernel();
    handle_without_state_goes_to_kernel();
    wall_clock_goes_to_kernel();
    no_clock_goes_to_kernel();
    release_forgets_status();
    reset_forgets_status();
    transport_change_forgets_status();
    malformed_state_is_ignored();
    stray_states_leave_room_for_requests();
    return check_failures == 0 ? 0 : 1;
}
