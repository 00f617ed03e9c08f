/*
 * The LIVE_HANDLES state, which a kernel kept for a reconnect sends: libmvhost tracks exactly the
 * centres, network requests and channels it lists, so it replies to calls on them itself again,
 * and a call on a handle the state does not list goes to the kernel. The fake kernel's request counter shows which.
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
#define CHANNEL 0x1234abcdu
#define TAG 7u

static struct MvNotification ring[8];
static uint8_t receive_buffer[512];
static uint8_t send_buffer[512];

/* Which of the app's handles the kernel lists. */
struct live_list {
    int centre;
    int network;
    int channel;
    uint32_t fetch_pending;
};

/* Queues a LIVE_HANDLES state with the handles `list` names in front of the next response. */
static void queue_live_handles(const struct live_list *list)
{
    uint8_t storage[256];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, MVHOST_STATE_LIVE_HANDLES, 0, 0);
    mvhost_wire_put_list(&writer, list->centre ? 1 : 0, 3);
    if (list->centre) {
        mvhost_wire_put_u64(&writer, CENTRE);
        mvhost_wire_put_u64(&writer, (uint64_t)(uintptr_t)ring);
        mvhost_wire_put_u32(&writer, sizeof ring);
    }
    mvhost_wire_put_list(&writer, list->network ? 1 : 0, 1);
    if (list->network) {
        mvhost_wire_put_u64(&writer, NETWORK);
    }
    mvhost_wire_put_list(&writer, list->channel ? 1 : 0, 9);
    if (list->channel) {
        mvhost_wire_put_u64(&writer, CHANNEL);
        mvhost_wire_put_u64(&writer, CENTRE);
        mvhost_wire_put_u32(&writer, TAG);
        mvhost_wire_put_u64(&writer, NETWORK);
        mvhost_wire_put_u64(&writer, (uint64_t)(uintptr_t)receive_buffer);
        mvhost_wire_put_u32(&writer, sizeof receive_buffer);
        mvhost_wire_put_u64(&writer, (uint64_t)(uintptr_t)send_buffer);
        mvhost_wire_put_u32(&writer, sizeof send_buffer);
        mvhost_wire_put_u32(&writer, list->fetch_pending);
    }
    CHECK_EQ(mvhost_wire_finish_frame(&writer), MVHOST_WIRE_OK);
    fake_kernel_queue_frame(writer.data, (uint32_t)writer.length);
    mvhost_wire_writer_release(&writer);
}

/* Resets libmvhost onto the fake with a virtual clock, so that no handle is tracked. */
static void start(void)
{
    fake_kernel_restart(MVHOST_CLOCK_VIRTUAL, 0);
}

/* Delivers the queued states with an exchange, as they lead the kernel's first reply after a reattachment. */
static void deliver(void)
{
    CHECK_EQ(mvhost_poll(), 0);
}

static void listed_handles_answer_locally(void)
{
    struct live_list list = {.centre = 1, .network = 1, .channel = 1};
    MvNotificationHandle centre = (MvNotificationHandle)(uintptr_t)CENTRE;
    MvNetworkHandle network = (MvNetworkHandle)(uintptr_t)NETWORK;
    MvChannelHandle channel = (MvChannelHandle)(uintptr_t)CHANNEL;
    enum MvNetworkStatus status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
    start();
    /* The kernel's NETWORK states may come first: they lead a reattached kernel's reply. */
    fake_kernel_queue_network_state(NETWORK, MV_NETWORKSTATUS_CONNECTED);
    queue_live_handles(&list);
    deliver();
    unsigned before = fake_kernel.requests;

    CHECK_EQ(mvGetNetworkStatus(network, &status), MV_STATUS_OKAY);
    CHECK_EQ(mvCloseChannel(&channel), MV_STATUS_OKAY);
    CHECK_EQ(mvReleaseNetwork(&network), MV_STATUS_OKAY);
    CHECK_EQ(mvCloseNotifications(&centre), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before);
    CHECK_EQ(status, MV_NETWORKSTATUS_CONNECTED);
    CHECK(channel == NULL);
    CHECK(network == NULL);
    CHECK(centre == NULL);
    CHECK_EQ(mvhost_flush(), 0);
    CHECK_EQ(fake_kernel.reports, 4);
}

static void unlisted_handle_goes_to_kernel(void)
{
    struct live_list nothing = {0};
    struct MvNotificationSetup setup = {.irq = 51, .buffer = ring, .buffer_size = sizeof ring};
    MvNotificationHandle centre = NULL;
    start();
    CHECK_EQ(mvSetupNotifications(&setup, &centre), MV_STATUS_OKAY);

    /* The kernel no longer has the centre it issued, so its list leaves it out. */
    queue_live_handles(&nothing);
    deliver();
    unsigned before = fake_kernel.requests;

    CHECK_EQ(mvCloseNotifications(&centre), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before + 1);
}

static void network_state_without_listing_goes_to_kernel(void)
{
    struct live_list centre_only = {.centre = 1};
    MvNetworkHandle network = (MvNetworkHandle)(uintptr_t)NETWORK;
    enum MvNetworkStatus status = MV_NETWORKSTATUS_CONNECTED;
    start();
    fake_kernel_queue_network_state(NETWORK, MV_NETWORKSTATUS_CONNECTED);
    queue_live_handles(&centre_only);
    deliver();
    unsigned before = fake_kernel.requests;

    CHECK_EQ(mvGetNetworkStatus(network, &status), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before + 1);
    CHECK_EQ(status, MV_NETWORKSTATUS_DELIBERATELYOFFLINE);
}

static void pending_fetch_keeps_close_with_kernel(void)
{
    struct live_list list = {.centre = 1, .network = 1, .channel = 1, .fetch_pending = 1};
    MvChannelHandle channel = (MvChannelHandle)(uintptr_t)CHANNEL;
    start();
    queue_live_handles(&list);
    deliver();
    unsigned before = fake_kernel.requests;

    CHECK_EQ(mvCloseChannel(&channel), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before + 1);
}

static void listed_channel_keeps_release_with_kernel(void)
{
    struct live_list list = {.centre = 1, .network = 1, .channel = 1};
    MvNetworkHandle network = (MvNetworkHandle)(uintptr_t)NETWORK;
    start();
    queue_live_handles(&list);
    deliver();
    unsigned before = fake_kernel.requests;

    /* The release closes the channel on it and notifies it, which only the kernel does. */
    CHECK_EQ(mvReleaseNetwork(&network), MV_STATUS_OKAY);

    CHECK_EQ(fake_kernel.requests, before + 1);
}

int main(void)
{
    listed_handles_answer_locally();
    unlisted_handle_goes_to_kernel();
    network_state_without_listing_goes_to_kernel();
    pending_fetch_keeps_close_with_kernel();
    listed_channel_keeps_release_with_kernel();
    return check_failures == 0 ? 0 : 1;
}
