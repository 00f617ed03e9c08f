/*
 * mvSetupNotifications and mvRequestNetwork answered with the handles of the kernel's
 * RESERVED_HANDLES state. libmvhost answers locally only with valid arguments, a handle left, and
 * the state's conditions: no app buffer in use for a setup, a tracked centre for a request. Every
 * other case goes to the kernel, which the fake's request counter shows.
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

#define FIRST 0x0badf00du
#define SECOND 0x5a17c0deu
#define THIRD 0x7e57ab1eu

static struct MvNotification ring[8];
static struct MvNotification other_ring[4];

/* Resets libmvhost onto the fake and delivers a state with `conditions` and `count` handles in a poll's reply. */
static void start_with(uint32_t conditions, uint32_t count)
{
    static const uint64_t handles[3] = {FIRST, SECOND, THIRD};
    fake_kernel_restart(MVHOST_CLOCK_VIRTUAL, 0);
    fake_kernel_queue_reservation(conditions, MV_NETWORKSTATUS_CONNECTED, handles, count, NULL, 0);
    CHECK_EQ(mvhost_poll(), 0);
}

static void start(uint32_t conditions)
{
    start_with(conditions, 2);
}

static void setup_and_request_need_no_exchange(void)
{
    MvNotificationHandle centre = 0;
    MvNetworkHandle network = 0;
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    start(MVHOST_RESERVED_SETUP_FREE | MVHOST_RESERVED_STATUS_KNOWN);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &centre), MV_STATUS_OKAY);
    CHECK_EQ(app_request_network(1, centre, &network), MV_STATUS_OKAY);
    CHECK_EQ(mvGetNetworkStatus(network, &status), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before);
    CHECK_EQ((uint64_t)(uintptr_t)centre, FIRST);
    CHECK_EQ((uint64_t)(uintptr_t)network, SECOND);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTED);

    /* The REPORTs lead the next exchange, and the kernel's records for the centre reach its ring. */
    fake_kernel_queue_notification(FIRST, (uint64_t)(uintptr_t)ring, 0, 5, MV_EVENTTYPE_NETWORKSTATUSCHANGED, 7, 51);
    CHECK_EQ(mvhost_poll(), 0);
    CHECK_EQ(fake_kernel.reports, 3);
    CHECK_EQ(ring[0].event_type, MV_EVENTTYPE_NETWORKSTATUSCHANGED);
    CHECK_EQ(ring[0].tag, 7);
    memset(ring, 0, sizeof ring);
}

static void status_unknown_goes_to_kernel(void)
{
    MvNotificationHandle centre = 0;
    MvNetworkHandle network = 0;
    enum MvNetworkStatus status = MV_NETWORKSTATUS_CONNECTED;
    start(MVHOST_RESERVED_SETUP_FREE);
    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &centre), MV_STATUS_OKAY);
    CHECK_EQ(app_request_network(1, centre, &network), MV_STATUS_OKAY);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(mvGetNetworkStatus(network, &status), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before + 1);
    CHECK_EQ(status, MV_NETWORKSTATUS_DELIBERATELYOFFLINE);
}

static void buffers_in_use_send_setup_to_kernel(void)
{
    MvNotificationHandle centre = 0;
    start(MVHOST_RESERVED_STATUS_KNOWN);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &centre), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before + 1);
    CHECK_EQ((uint64_t)(uintptr_t)centre, FAKE_HANDLE);
}

static void second_setup_goes_to_kernel(void)
{
    MvNotificationHandle first = 0;
    MvNotificationHandle second = 0;
    start(MVHOST_RESERVED_SETUP_FREE);
    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &first), MV_STATUS_OKAY);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(app_setup_notifications(52, other_ring, sizeof other_ring, &second), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before + 1);
    CHECK_EQ((uint64_t)(uintptr_t)second, FAKE_HANDLE);
}

/* Each invalid argument makes the kernel's status uncertain, so the call must be exchanged. */
static void invalid_setup_goes_to_kernel(void)
{
    MvNotificationHandle centre = 0;
    struct MvNotificationSetup without_ring = {.irq = 51, .buffer = NULL, .buffer_size = sizeof ring};
    struct MvNotificationSetup wrapping = {.irq = 51, .buffer = (struct MvNotification *)(uintptr_t)(UINT64_MAX - 64),
                                           .buffer_size = sizeof ring};
    start(MVHOST_RESERVED_SETUP_FREE);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(mvSetupNotifications(NULL, &centre), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(mvSetupNotifications(&without_ring, &centre), MV_STATUS_PARAMETERFAULT);
    (void)mvSetupNotifications(&wrapping, &centre);
    (void)app_setup_notifications(51, ring, 16, &centre);
    (void)app_setup_notifications(51, ring, 40, &centre);
    (void)app_setup_notifications(51, ring, 65536 + 16, &centre);
    (void)app_setup_notifications(3, ring, sizeof ring, &centre);
    (void)app_setup_notifications(125, ring, sizeof ring, &centre);
    (void)app_setup_notifications(UINT32_MAX, ring, sizeof ring, &centre);

    CHECK_EQ(fake_kernel.requests, before + 10);
    CHECK_EQ(fake_kernel.reports, 0);
}

static void invalid_request_goes_to_kernel(void)
{
    MvNotificationHandle centre = 0;
    MvNetworkHandle network = 0;
    start(MVHOST_RESERVED_SETUP_FREE | MVHOST_RESERVED_STATUS_KNOWN);
    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &centre), MV_STATUS_OKAY);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(app_request_network(1, centre, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(mvRequestNetwork(NULL, &network), MV_STATUS_PARAMETERFAULT);
    (void)app_request_network(2, centre, &network);
    (void)app_request_network(1, (MvNotificationHandle)(uintptr_t)0x1234u, &network);

    CHECK_EQ(fake_kernel.requests, before + 4);
}

static void used_handles_are_not_given_twice(void)
{
    MvNotificationHandle centre = 0;
    MvNetworkHandle first = 0;
    MvNetworkHandle second = 0;
    start(MVHOST_RESERVED_SETUP_FREE | MVHOST_RESERVED_STATUS_KNOWN);
    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &centre), MV_STATUS_OKAY);
    CHECK_EQ(app_request_network(1, centre, &first), MV_STATUS_OKAY);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(app_request_network(1, centre, &second), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before + 1);
    CHECK_EQ((uint64_t)(uintptr_t)second, FAKE_HANDLE);
}

static void empty_state_clears_conditions_only(void)
{
    MvNotificationHandle centre = 0;
    MvNetworkHandle network = 0;
    enum MvNetworkStatus status = MV_NETWORKSTATUS_CONNECTED;
    start(MVHOST_RESERVED_SETUP_FREE | MVHOST_RESERVED_STATUS_KNOWN);
    uint8_t storage[64];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, MVHOST_STATE_RESERVED_HANDLES, 0, 0);
    mvhost_wire_put_u32(&writer, 0);
    mvhost_wire_put_u32(&writer, 0);
    mvhost_wire_put_list(&writer, 0, 1);
    mvhost_wire_put_list(&writer, 0, 1);
    CHECK_EQ(mvhost_wire_finish_frame(&writer), MVHOST_WIRE_OK);
    CHECK_EQ(mvhost_deliver_frames(writer.data, (uint32_t)writer.length), 0);
    mvhost_wire_writer_release(&writer);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &centre), MV_STATUS_OKAY);
    CHECK_EQ(fake_kernel.requests, before + 1);

    /* The handles stay: the request is answered locally, but its status comes from the kernel. */
    CHECK_EQ(app_request_network(1, centre, &network), MV_STATUS_OKAY);
    CHECK_EQ((uint64_t)(uintptr_t)network, FIRST);
    CHECK_EQ(fake_kernel.requests, before + 1);
    CHECK_EQ(mvGetNetworkStatus(network, &status), MV_STATUS_OKAY);
    CHECK_EQ(fake_kernel.requests, before + 2);
    CHECK_EQ(status, MV_NETWORKSTATUS_DELIBERATELYOFFLINE);
}

static void local_release_forgets_status(void)
{
    MvNotificationHandle centre = 0;
    MvNetworkHandle network = 0;
    enum MvNetworkStatus status = MV_NETWORKSTATUS_CONNECTED;
    start_with(MVHOST_RESERVED_SETUP_FREE | MVHOST_RESERVED_STATUS_KNOWN, 3);
    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &centre), MV_STATUS_OKAY);
    CHECK_EQ(app_request_network(1, centre, &network), MV_STATUS_OKAY);
    CHECK_EQ(mvReleaseNetwork(&network), MV_STATUS_OKAY);
    unsigned before = fake_kernel.requests;

    /* The local release may take the device offline, so the new request's status must come from the kernel. */
    CHECK_EQ(app_request_network(1, centre, &network), MV_STATUS_OKAY);
    CHECK_EQ((uint64_t)(uintptr_t)network, THIRD);
    CHECK_EQ(mvGetNetworkStatus(network, &status), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before + 1);
    CHECK_EQ(status, MV_NETWORKSTATUS_DELIBERATELYOFFLINE);
}

static void status_survives_release_when_stated(void)
{
    MvNotificationHandle centre = 0;
    MvNetworkHandle network = 0;
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    start_with(MVHOST_RESERVED_SETUP_FREE | MVHOST_RESERVED_STATUS_KNOWN | MVHOST_RESERVED_STATUS_SURVIVES_RELEASE, 3);
    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &centre), MV_STATUS_OKAY);
    CHECK_EQ(app_request_network(1, centre, &network), MV_STATUS_OKAY);
    CHECK_EQ(mvReleaseNetwork(&network), MV_STATUS_OKAY);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(app_request_network(1, centre, &network), MV_STATUS_OKAY);
    CHECK_EQ(mvGetNetworkStatus(network, &status), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before);
    CHECK_EQ((uint64_t)(uintptr_t)network, THIRD);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTED);
}

/* Sets up centre FIRST locally, then has a poll's reply list it as the only holder, with `more` holders besides. */
static MvNotificationHandle start_with_centre_holding(const uint64_t *more, uint32_t more_count)
{
    static const uint64_t handles[2] = {SECOND, THIRD};
    uint64_t holders[4] = {FIRST};
    MvNotificationHandle centre = 0;
    start(MVHOST_RESERVED_SETUP_FREE | MVHOST_RESERVED_STATUS_KNOWN);
    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &centre), MV_STATUS_OKAY);
    CHECK_EQ((uint64_t)(uintptr_t)centre, FIRST);
    for (uint32_t i = 0; i < more_count && i < 3; i++) {
        holders[i + 1] = more[i];
    }
    fake_kernel_queue_reservation(MVHOST_RESERVED_HOLDERS_LISTED | MVHOST_RESERVED_STATUS_KNOWN,
                                  MV_NETWORKSTATUS_CONNECTED, handles, 2, holders, 1 + more_count);
    CHECK_EQ(mvhost_poll(), 0);
    return centre;
}

static void closing_every_holder_frees_setup(void)
{
    MvNotificationHandle centre = start_with_centre_holding(NULL, 0);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(mvCloseNotifications(&centre), MV_STATUS_OKAY);
    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &centre), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before);
    CHECK_EQ((uint64_t)(uintptr_t)centre, SECOND);
}

static void holder_left_open_sends_setup_to_kernel(void)
{
    static const uint64_t channel = 0x1234abcdu;
    MvNotificationHandle centre = start_with_centre_holding(&channel, 1);
    unsigned before = fake_kernel.requests;

    CHECK_EQ(mvCloseNotifications(&centre), MV_STATUS_OKAY);
    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &centre), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before + 1);
    CHECK_EQ((uint64_t)(uintptr_t)centre, FAKE_HANDLE);
}

static void local_setup_holds_until_closed(void)
{
    MvNotificationHandle first = start_with_centre_holding(NULL, 0);
    MvNotificationHandle second = 0;
    MvNotificationHandle third = 0;
    CHECK_EQ(mvCloseNotifications(&first), MV_STATUS_OKAY);
    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &second), MV_STATUS_OKAY);
    unsigned before = fake_kernel.requests;

    /* The centre just set up uses its ring, so another setup needs the kernel's overlap and IRQ checks. */
    CHECK_EQ(app_setup_notifications(52, other_ring, sizeof other_ring, &third), MV_STATUS_OKAY);
    CHECK_EQ(fake_kernel.requests, before + 1);
    CHECK_EQ((uint64_t)(uintptr_t)third, FAKE_HANDLE);
}

static void reset_forgets_reservation(void)
{
    MvNotificationHandle centre = 0;
    start(MVHOST_RESERVED_SETUP_FREE);
    mvhost_reset();
    fake_kernel_install();
    fake_kernel.u64_output = FAKE_HANDLE;
    unsigned before = fake_kernel.requests;

    CHECK_EQ(app_setup_notifications(51, ring, sizeof ring, &centre), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before + 1);
    CHECK_EQ((uint64_t)(uintptr_t)centre, FAKE_HANDLE);
}

int main(void)
{
    setup_and_request_need_no_exchange();
    status_unknown_goes_to_kernel();
    buffers_in_use_send_setup_to_kernel();
    second_setup_goes_to_kernel();
    invalid_setup_goes_to_kernel();
    invalid_request_goes_to_kernel();
    used_handles_are_not_given_twice();
    empty_state_clears_conditions_only();
    local_release_forgets_status();
    status_survives_release_when_stated();
    closing_every_holder_frees_setup();
    holder_left_open_sends_setup_to_kernel();
    local_setup_holds_until_closed();
    reset_forgets_reservation();
    return check_failures == 0 ? 0 : 1;
}
