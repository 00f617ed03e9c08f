/*
 * Local answers and the queue of posted REPORT frames: reads of a cached config response and
 * certain closes are answered without an exchange and reported ahead of the next one, and every
 * case the cache cannot decide still goes to the kernel.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "fake_kernel.h"
#include "host.h"
#include "mv_syscalls.h"
#include "mvhost.h"
#include "wire.h"

#define CENTRE 0x5a17c0deu
#define NETWORK 0x0badf00du
#define CHANNEL 0x1234abcdu
#define TAG 7u
/* TIM8_BRK, an IRQ the app may use; nothing enables it here, so pending it runs no handler. */
#define IRQ 51u

static struct MvNotification ring[8];
static MvNotificationHandle centre;
static MvNetworkHandle network;
static MvChannelHandle channel;

/* Queues a CONFIG_RESPONSE state for CHANNEL: item 0 OK with "s3cr3t", item 1 KEYNOTFOUND. */
static void queue_config_response(uint64_t handle)
{
    uint8_t storage[256];
    struct mvhost_wire_writer writer;
    mvhost_wire_writer_init(&writer, storage, sizeof storage);
    mvhost_wire_begin_frame(&writer, MVHOST_WIRE_STATE, MVHOST_STATE_CONFIG_RESPONSE, 0, 0);
    mvhost_wire_put_u64(&writer, handle);
    mvhost_wire_put_u32(&writer, MV_CONFIGFETCHRESULT_OK);
    mvhost_wire_put_list(&writer, 2, 2);
    mvhost_wire_put_u32(&writer, MV_CONFIGKEYFETCHRESULT_OK);
    mvhost_wire_put_bytes(&writer, "s3cr3t", 6);
    mvhost_wire_put_u32(&writer, MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND);
    mvhost_wire_put_bytes(&writer, NULL, 0);
    CHECK_EQ(mvhost_wire_finish_frame(&writer), MVHOST_WIRE_OK);
    fake_kernel_queue_frame(writer.data, (uint32_t)writer.length);
    mvhost_wire_writer_release(&writer);
}

/* Opens a centre, a network and a channel through the fake, and sends a fetch on the channel. */
static void open_channel_with_fetch(void)
{
    static uint8_t receive[512];
    static uint8_t send[512];
    struct MvNotificationSetup setup = {.irq = IRQ, .buffer = ring, .buffer_size = sizeof ring};
    struct MvRequestNetworkParams network_params = {.version = 1};
    struct MvOpenChannelParams channel_params = {.version = 1};
    struct MvConfigKeyToFetch key = {.scope = MV_CONFIGKEYFETCHSCOPE_ACCOUNT, .store = MV_CONFIGKEYFETCHSTORE_SECRET,
                                     .key = {(const uint8_t *)"k", 1}};
    struct MvConfigKeyFetchParams request = {.num_items = 1, .keys_to_fetch = &key};

    /* Whatever an earlier case left queued goes to the fake before its counters are zeroed. */
    (void)mvhost_flush();
    fake_kernel_install();
    mvhost_reset();
    memset(ring, 0, sizeof ring);

    fake_kernel.u64_output = CENTRE;
    CHECK_EQ(mvSetupNotifications(&setup, &centre), MV_STATUS_OKAY);
    fake_kernel.u64_output = NETWORK;
    network_params.v1.notification_handle = centre;
    CHECK_EQ(mvRequestNetwork(&network_params, &network), MV_STATUS_OKAY);

    channel_params.v1.notification_handle = centre;
    channel_params.v1.notification_tag = TAG;
    channel_params.v1.network_handle = network;
    channel_params.v1.receive_buffer = receive;
    channel_params.v1.receive_buffer_len = sizeof receive;
    channel_params.v1.send_buffer = send;
    channel_params.v1.send_buffer_len = sizeof send;
    channel_params.v1.channel_type = MV_CHANNELTYPE_CONFIGFETCH;
    /* The fake answers PARAMETERFAULT to any absent pointer, an empty endpoint's included. */
    channel_params.v1.endpoint.data = (const uint8_t *)"";
    fake_kernel.u64_output = CHANNEL;
    CHECK_EQ(mvOpenChannel(&channel_params, &channel), MV_STATUS_OKAY);
    CHECK_EQ(mvSendConfigFetchRequest(channel, &request), MV_STATUS_OKAY);
}

/* Delivers the queued CONFIG_RESPONSE state with an exchange. */
static void deliver_response(void)
{
    queue_config_response(CHANNEL);
    CHECK_EQ(mvhost_poll(), 0);
}

static void cached_reads_need_no_exchange(void)
{
    struct MvConfigResponseData data = {0};
    uint8_t value[16];
    uint32_t length = 99;
    enum MvConfigKeyFetchResult result = MV_CONFIGKEYFETCHRESULT_SERVERERROR;
    struct MvConfigResponseReadItemParams item = {.item_index = 0, .result = &result, .buf = {value, sizeof value, &length}};
    open_channel_with_fetch();
    deliver_response();
    unsigned exchanges = fake_kernel.requests;

    CHECK_EQ(mvReadConfigFetchResponseData(channel, &data), MV_STATUS_OKAY);
    CHECK_EQ(data.result, MV_CONFIGFETCHRESULT_OK);
    CHECK_EQ(data.num_items, 2);
    CHECK_EQ(mvReadConfigResponseItem(channel, &item), MV_STATUS_OKAY);
    CHECK_EQ(result, MV_CONFIGKEYFETCHRESULT_OK);
    CHECK_EQ(length, 6);
    CHECK(memcmp(value, "s3cr3t", 6) == 0);

    item.item_index = 1;
    CHECK_EQ(mvReadConfigResponseItem(channel, &item), MV_STATUS_OKAY);
    CHECK_EQ(result, MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND);
    CHECK_EQ(length, 0);
    CHECK_EQ(fake_kernel.requests, exchanges);
    CHECK_EQ(fake_kernel.reports, 0);

    struct mvhost_stats stats;
    mvhost_get_stats(&stats);
    CHECK_EQ(stats.local_answers, 3);
}

static void reports_lead_next_exchange(void)
{
    struct MvConfigResponseData data = {0};
    uint64_t now = 0;
    open_channel_with_fetch();
    deliver_response();

    CHECK_EQ(mvReadConfigFetchResponseData(channel, &data), MV_STATUS_OKAY);
    CHECK_EQ(mvReadConfigFetchResponseData(channel, &data), MV_STATUS_OKAY);
    CHECK_EQ(fake_kernel.reports, 0);
    CHECK_EQ(mvGetMicroseconds(&now), MV_STATUS_OKAY);
    CHECK_EQ(fake_kernel.reports, 2);
    CHECK_EQ(fake_kernel.last_report_opcode, 0x0026);
    CHECK_EQ(fake_kernel.last_opcode, 0x0002);
}

static void flush_sends_queue_alone(void)
{
    struct MvConfigResponseData data = {0};
    open_channel_with_fetch();
    deliver_response();
    CHECK_EQ(mvReadConfigFetchResponseData(channel, &data), MV_STATUS_OKAY);
    unsigned exchanges = fake_kernel.requests;

    CHECK_EQ(mvhost_flush(), 0);
    CHECK_EQ(fake_kernel.requests, exchanges + 1);
    CHECK_EQ(fake_kernel.reports, 1);
    CHECK_EQ(mvhost_flush(), 0);
    CHECK_EQ(fake_kernel.requests, exchanges + 1);
}

/* Each case below is one the kernel decides, so it must reach the fake as a request. */
static void error_cases_go_to_kernel(void)
{
    uint8_t value[16];
    uint8_t small[4];
    uint32_t length = 0;
    enum MvConfigKeyFetchResult result = MV_CONFIGKEYFETCHRESULT_OK;
    struct MvConfigResponseReadItemParams item = {.item_index = 0, .result = &result, .buf = {value, sizeof value, &length}};
    open_channel_with_fetch();
    deliver_response();

    unsigned exchanges = fake_kernel.requests;
    CHECK_EQ(mvReadConfigFetchResponseData(channel, NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(fake_kernel.requests, exchanges + 1);

    item.result = NULL;
    (void)mvReadConfigResponseItem(channel, &item);
    CHECK_EQ(fake_kernel.requests, exchanges + 2);
    item.result = &result;

    item.buf.data = small;
    item.buf.size = sizeof small;
    (void)mvReadConfigResponseItem(channel, &item);
    CHECK_EQ(fake_kernel.requests, exchanges + 3);
    item.buf.data = value;
    item.buf.size = sizeof value;

    item.item_index = 2;
    (void)mvReadConfigResponseItem(channel, &item);
    CHECK_EQ(fake_kernel.requests, exchanges + 4);
    item.item_index = 0;

    (void)mvReadConfigResponseItem((MvChannelHandle)(uintptr_t)(CHANNEL + 1), &item);
    CHECK_EQ(fake_kernel.requests, exchanges + 5);

    item.buf.data = (uint8_t *)(uintptr_t)(UINT64_MAX - 4);
    (void)mvReadConfigResponseItem(channel, &item);
    CHECK_EQ(fake_kernel.requests, exchanges + 6);
    CHECK_EQ(fake_kernel.reports, 0);
}

static void channel_not_connected_drops_cache(void)
{
    struct MvConfigResponseData data = {0};
    open_channel_with_fetch();
    deliver_response();

    fake_kernel_queue_notification(CENTRE, (uint64_t)(uintptr_t)ring, 0, 5, MV_EVENTTYPE_CHANNELNOTCONNECTED, TAG,
                                   IRQ);
    CHECK_EQ(mvhost_poll(), 0);
    unsigned exchanges = fake_kernel.requests;
    (void)mvReadConfigFetchResponseData(channel, &data);
    CHECK_EQ(fake_kernel.requests, exchanges + 1);
}

static void closing_centre_drops_cache(void)
{
    struct MvConfigResponseData data = {0};
    open_channel_with_fetch();
    deliver_response();

    CHECK_EQ(mvCloseNotifications(&centre), MV_STATUS_OKAY);
    unsigned exchanges = fake_kernel.requests;
    (void)mvReadConfigFetchResponseData(channel, &data);
    CHECK_EQ(fake_kernel.requests, exchanges + 1);
}

static void reset_forgets_cache(void)
{
    struct MvConfigResponseData data = {0};
    open_channel_with_fetch();
    deliver_response();

    mvhost_reset();
    unsigned exchanges = fake_kernel.requests;
    (void)mvReadConfigFetchResponseData(channel, &data);
    CHECK_EQ(fake_kernel.requests, exchanges + 1);
}

static void teardown_posted_when_certain(void)
{
    open_channel_with_fetch();
    unsigned exchanges = fake_kernel.requests;

    /* A fetch is in flight, so its response could still arrive: the kernel closes the channel. */
    fake_kernel.u64_output = 0;
    MvChannelHandle in_flight = channel;
    CHECK_EQ(mvCloseChannel(&in_flight), MV_STATUS_OKAY);
    CHECK_EQ(fake_kernel.requests, exchanges + 1);

    /* The closed handle is forgotten: closing it again is the kernel's INVALIDHANDLE to give. */
    in_flight = channel;
    (void)mvCloseChannel(&in_flight);
    CHECK_EQ(fake_kernel.requests, exchanges + 2);

    /* With no channel left on it, the network and the centre close locally. */
    CHECK_EQ(mvReleaseNetwork(&network), MV_STATUS_OKAY);
    CHECK(network == NULL);
    CHECK_EQ(mvCloseNotifications(&centre), MV_STATUS_OKAY);
    CHECK(centre == NULL);
    CHECK_EQ(fake_kernel.requests, exchanges + 2);
    CHECK_EQ(mvhost_flush(), 0);
    CHECK_EQ(fake_kernel.reports, 2);
    CHECK_EQ(fake_kernel.last_report_opcode, 0x000C);
}

static void channel_close_posted_after_response(void)
{
    open_channel_with_fetch();
    deliver_response();
    unsigned exchanges = fake_kernel.requests;

    /* The network still has the channel, so releasing it notifies: the kernel does it. */
    MvNetworkHandle copy = network;
    fake_kernel.u64_output = 0;
    CHECK_EQ(mvReleaseNetwork(&copy), MV_STATUS_OKAY);
    CHECK_EQ(fake_kernel.requests, exchanges + 1);

    CHECK_EQ(mvCloseChannel(&channel), MV_STATUS_OKAY);
    CHECK(channel == NULL);
    CHECK_EQ(fake_kernel.requests, exchanges + 1);

    CHECK_EQ(mvCloseChannel(NULL), MV_STATUS_PARAMETERFAULT);
    CHECK_EQ(fake_kernel.requests, exchanges + 2);
    CHECK_EQ(fake_kernel.reports, 1);
}

static void state_in_send_reply_ends_fetch(void)
{
    open_channel_with_fetch();
    fake_kernel.u64_output = CHANNEL + 1;

    /* A second channel whose response state comes in the reply to its own send, as with no link delay. */
    static uint8_t receive[512];
    static uint8_t send[512];
    struct MvOpenChannelParams params = {.version = 1};
    struct MvConfigKeyToFetch key = {.key = {(const uint8_t *)"k", 1}};
    struct MvConfigKeyFetchParams request = {.num_items = 1, .keys_to_fetch = &key};
    params.v1.notification_handle = centre;
    params.v1.network_handle = network;
    params.v1.receive_buffer = receive;
    params.v1.receive_buffer_len = sizeof receive;
    params.v1.send_buffer = send;
    params.v1.send_buffer_len = sizeof send;
    params.v1.endpoint.data = (const uint8_t *)"";
    MvChannelHandle second = NULL;
    CHECK_EQ(mvOpenChannel(&params, &second), MV_STATUS_OKAY);
    queue_config_response(CHANNEL + 1);
    CHECK_EQ(mvSendConfigFetchRequest(second, &request), MV_STATUS_OKAY);
    unsigned exchanges = fake_kernel.requests;

    CHECK_EQ(mvCloseChannel(&second), MV_STATUS_OKAY);
    CHECK_EQ(fake_kernel.requests, exchanges);
}

static void local_close_ends_link_tracking(void)
{
    open_channel_with_fetch();
    deliver_response();
    CHECK_EQ(mvCloseChannel(&channel), MV_STATUS_OKAY);
    memset(ring, 0, sizeof ring);

    /* A lost link notifies the open channels; the one closed locally must not be among them. */
    mvhost_lock();
    mvhost_link_lost(9);
    mvhost_unlock();

    unsigned not_connected = 0;
    for (unsigned i = 0; i < 8; i++) {
        if (ring[i].event_type == MV_EVENTTYPE_CHANNELNOTCONNECTED) {
            not_connected++;
        }
    }
    CHECK_EQ(not_connected, 0);
}

static void full_queue_flushes_itself(void)
{
    struct MvConfigResponseData data = {0};
    open_channel_with_fetch();
    deliver_response();
    unsigned exchanges = fake_kernel.requests;

    /* Each REPORT of this call takes well under 100 bytes, so 2000 of them pass the 64 KiB bound. */
    for (unsigned i = 0; i < 2000; i++) {
        CHECK_EQ(mvReadConfigFetchResponseData(channel, &data), MV_STATUS_OKAY);
    }
    CHECK(fake_kernel.requests > exchanges);
    CHECK(fake_kernel.reports > 0);
    CHECK_EQ(mvhost_flush(), 0);
    CHECK_EQ(fake_kernel.reports, 2000);
}

int main(void)
{
    cached_reads_need_no_exchange();
    reports_lead_next_exchange();
    flush_sends_queue_alone();
    error_cases_go_to_kernel();
    channel_not_connected_drops_cache();
    closing_centre_drops_cache();
    reset_forgets_cache();
    teardown_posted_when_certain();
    channel_close_posted_after_response();
    state_in_send_reply_ends_fetch();
    local_close_ends_link_tracking();
    full_queue_flushes_itself();
    return check_failures == 0 ? 0 : 1;
}
