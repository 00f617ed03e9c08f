#include "fake_config_kernel.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "fake_kernel_clock.h"
#include "irq.h"

#define MAX_ITEMS 8

#define NOTIFICATION_HANDLE ((MvNotificationHandle)(uintptr_t)0x1001)
#define NETWORK_HANDLE ((MvNetworkHandle)(uintptr_t)0x2002)
#define CHANNEL_HANDLE ((MvChannelHandle)(uintptr_t)0x3003)

struct stored_item {
    enum MvConfigKeyFetchScope scope;
    enum MvConfigKeyFetchStore store;
    const char *key;
    const char *value;
};

static struct {
    struct stored_item items[MAX_ITEMS];
    uint32_t item_count;
    uint64_t connect_at_us;
    enum fake_response_plan plan;
    uint64_t response_delay_us;

    bool notifications_open;
    struct MvNotification *ring;
    uint32_t ring_records;
    uint32_t ring_write_index;
    uint32_t irq;
    uint32_t notification_tag_network;

    bool network_open;
    bool channel_open;
    uint32_t channel_tag;
    bool channel_dropped;
    bool request_sent;
    bool response_ready;
    enum MvConfigFetchResult fetch_result;
    struct MvConfigKeyToFetch requested[MAX_ITEMS];
    uint32_t requested_count;

    uint32_t status_polls;
    uint32_t syscalls;
} kernel;

void fake_kernel_reset(void) {
    memset(&kernel, 0, sizeof kernel);
    kernel.plan = FAKE_RESPONSE_NORMAL;
    kernel.response_delay_us = 20000;
}

void fake_kernel_store(enum MvConfigKeyFetchScope scope, enum MvConfigKeyFetchStore store,
                       const char *key, const char *value) {
    if (kernel.item_count < MAX_ITEMS) {
        kernel.items[kernel.item_count] = (struct stored_item){scope, store, key, value};
        kernel.item_count++;
    }
}

void fake_kernel_connect_at(uint64_t at_us) {
    kernel.connect_at_us = at_us;
}

void fake_kernel_plan_response(enum fake_response_plan plan, uint64_t delay_us) {
    kernel.plan = plan;
    kernel.response_delay_us = delay_us;
}

uint32_t fake_kernel_open_objects(void) {
    return (uint32_t)kernel.notifications_open + (uint32_t)kernel.network_open +
           (uint32_t)kernel.channel_open;
}

uint32_t fake_kernel_status_polls(void) {
    return kernel.status_polls;
}

uint32_t fake_kernel_syscalls(void) {
    return kernel.syscalls;
}

uint32_t fake_kernel_requested_key_count(void) {
    return kernel.requested_count;
}

const struct MvConfigKeyToFetch *fake_kernel_requested_key(uint32_t index) {
    return index < kernel.requested_count ? &kernel.requested[index] : NULL;
}

/* Counts a syscall and runs pending handlers, as libmvhost does at exit. */
static enum MvStatus finish(enum MvStatus status) {
    kernel.syscalls++;
    mvhost_irq_service();
    return status;
}

static void post_notification(enum MvEventType event_type, uint32_t tag) {
    if (!kernel.notifications_open) {
        return;
    }
    struct MvNotification *record = &kernel.ring[kernel.ring_write_index];
    record->microseconds = fake_clock_now_us();
    record->event_type = event_type;
    record->tag = tag;
    kernel.ring_write_index = (kernel.ring_write_index + 1) % kernel.ring_records;
    mvhost_irq_pend((int32_t)kernel.irq);
}

static void deliver_planned_event(int32_t unused) {
    (void)unused;
    if (!kernel.channel_open) {
        return;
    }

    if (kernel.plan == FAKE_RESPONSE_NETWORK_DROP) {
        kernel.channel_dropped = true;
        post_notification(MV_EVENTTYPE_CHANNELNOTCONNECTED, kernel.channel_tag);
        return;
    }
    kernel.response_ready = true;
    kernel.fetch_result = kernel.plan == FAKE_RESPONSE_TOO_LARGE
                              ? MV_CONFIGFETCHRESULT_RESPONSETOOLARGE
                              : MV_CONFIGFETCHRESULT_OK;
    post_notification(MV_EVENTTYPE_CHANNELDATAREADABLE, kernel.channel_tag);
}

static const struct stored_item *find_item(const struct MvConfigKeyToFetch *requested) {
    for (uint32_t i = 0; i < kernel.item_count; i++) {
        const struct stored_item *item = &kernel.items[i];
        if (item->scope == requested->scope && item->store == requested->store &&
            strlen(item->key) == requested->key.length &&
            memcmp(item->key, requested->key.data, requested->key.length) == 0) {
            return item;
        }
    }
    return NULL;
}

enum MvStatus mvSetupNotifications(const struct MvNotificationSetup *setup,
                                   MvNotificationHandle *handle_out) {
    if (setup == NULL || handle_out == NULL || setup->buffer == NULL) {
        return finish(MV_STATUS_PARAMETERFAULT);
    }
    if (setup->buffer_size < 32 || setup->buffer_size % 16 != 0) {
        return finish(MV_STATUS_INVALIDBUFFERSIZE);
    }
    kernel.notifications_open = true;
    kernel.ring = setup->buffer;
    kernel.ring_records = setup->buffer_size / 16;
    kernel.ring_write_index = 0;
    kernel.irq = setup->irq;
    *handle_out = NOTIFICATION_HANDLE;
    return finish(MV_STATUS_OKAY);
}

enum MvStatus mvCloseNotifications(MvNotificationHandle *handle) {
    if (handle == NULL) {
        return finish(MV_STATUS_PARAMETERFAULT);
    }
    if (*handle != NOTIFICATION_HANDLE || !kernel.notifications_open) {
        return finish(MV_STATUS_INVALIDHANDLE);
    }
    kernel.notifications_open = false;
    *handle = 0;
    return finish(MV_STATUS_OKAY);
}

enum MvStatus mvRequestNetwork(const struct MvRequestNetworkParams *params,
                               MvNetworkHandle *handle) {
    if (params == NULL || handle == NULL) {
        return finish(MV_STATUS_PARAMETERFAULT);
    }
    if (params->version != 1) {
        return finish(MV_STATUS_UNSUPPORTEDSTRUCTUREVERSION);
    }
    kernel.network_open = true;
    kernel.notification_tag_network = params->v1.notification_tag;
    *handle = NETWORK_HANDLE;
    return finish(MV_STATUS_OKAY);
}

enum MvStatus mvReleaseNetwork(MvNetworkHandle *handle) {
    if (handle == NULL) {
        return finish(MV_STATUS_PARAMETERFAULT);
    }
    if (*handle != NETWORK_HANDLE || !kernel.network_open) {
        return finish(MV_STATUS_INVALIDHANDLE);
    }
    kernel.network_open = false;
    *handle = 0;
    return finish(MV_STATUS_OKAY);
}

enum MvStatus mvGetNetworkStatus(MvNetworkHandle handle, enum MvNetworkStatus *status) {
    kernel.status_polls++;
    if (status == NULL) {
        return finish(MV_STATUS_PARAMETERFAULT);
    }
    if (handle != NETWORK_HANDLE || !kernel.network_open) {
        return finish(MV_STATUS_INVALIDHANDLE);
    }
    *status = fake_clock_now_us() >= kernel.connect_at_us ? MV_NETWORKSTATUS_CONNECTED
                                                          : MV_NETWORKSTATUS_CONNECTING;
    return finish(MV_STATUS_OKAY);
}

enum MvStatus mvOpenChannel(const struct MvOpenChannelParams *params, MvChannelHandle *handle) {
    if (params == NULL || handle == NULL || params->v1.receive_buffer == NULL ||
        params->v1.send_buffer == NULL) {
        return finish(MV_STATUS_PARAMETERFAULT);
    }
    if (params->v1.notification_handle != NOTIFICATION_HANDLE ||
        params->v1.network_handle != NETWORK_HANDLE) {
        return finish(MV_STATUS_INVALIDHANDLE);
    }
    if (((uintptr_t)params->v1.send_buffer % 512) != 0) {
        return finish(MV_STATUS_INVALIDBUFFERALIGNMENT);
    }
    if (params->v1.channel_type != MV_CHANNELTYPE_CONFIGFETCH) {
        return finish(MV_STATUS_UNKNOWNCHANNELTYPE);
    }
    if (fake_clock_now_us() < kernel.connect_at_us) {
        return finish(MV_STATUS_NETWORKNOTCONNECTED);
    }
    kernel.channel_open = true;
    kernel.channel_tag = params->v1.notification_tag;
    kernel.channel_dropped = false;
    kernel.request_sent = false;
    kernel.response_ready = false;
    *handle = CHANNEL_HANDLE;
    return finish(MV_STATUS_OKAY);
}

enum MvStatus mvCloseChannel(MvChannelHandle *handle) {
    if (handle == NULL) {
        return finish(MV_STATUS_PARAMETERFAULT);
    }
    if (*handle != CHANNEL_HANDLE || !kernel.channel_open) {
        return finish(MV_STATUS_INVALIDHANDLE);
    }
    kernel.channel_open = false;
    *handle = 0;
    return finish(MV_STATUS_OKAY);
}

enum MvStatus mvGetChannelClosureReason(MvChannelHandle handle, enum MvClosureReason *reason) {
    if (reason == NULL) {
        return finish(MV_STATUS_PARAMETERFAULT);
    }
    if (handle != CHANNEL_HANDLE || !kernel.channel_open) {
        return finish(MV_STATUS_INVALIDHANDLE);
    }
    *reason = kernel.channel_dropped ? MV_CLOSUREREASON_NETWORKDISCONNECTED : MV_CLOSUREREASON_NONE;
    return finish(MV_STATUS_OKAY);
}

enum MvStatus mvSendConfigFetchRequest(MvChannelHandle handle,
                                       const struct MvConfigKeyFetchParams *request) {
    if (request == NULL) {
        return finish(MV_STATUS_PARAMETERFAULT);
    }
    if (handle != CHANNEL_HANDLE || !kernel.channel_open) {
        return finish(MV_STATUS_INVALIDHANDLE);
    }
    if (kernel.request_sent) {
        return finish(MV_STATUS_REQUESTALREADYSENT);
    }
    if (request->num_items > MAX_ITEMS) {
        return finish(MV_STATUS_TOOMANYCONFIGKEYS);
    }

    kernel.request_sent = true;
    kernel.requested_count = request->num_items;
    memcpy(kernel.requested, request->keys_to_fetch,
           request->num_items * sizeof request->keys_to_fetch[0]);
    if (kernel.plan != FAKE_RESPONSE_NEVER) {
        fake_clock_schedule(fake_clock_now_us() + kernel.response_delay_us, deliver_planned_event, 0);
    }
    return finish(MV_STATUS_OKAY);
}

enum MvStatus mvReadConfigFetchResponseData(MvChannelHandle handle,
                                            struct MvConfigResponseData *response_data) {
    if (response_data == NULL) {
        return finish(MV_STATUS_PARAMETERFAULT);
    }
    if (handle != CHANNEL_HANDLE || !kernel.channel_open) {
        return finish(MV_STATUS_INVALIDHANDLE);
    }
    if (!kernel.response_ready) {
        return finish(MV_STATUS_RESPONSENOTPRESENT);
    }
    response_data->result = kernel.fetch_result;
    response_data->num_items =
        kernel.fetch_result == MV_CONFIGFETCHRESULT_OK ? kernel.requested_count : 0;
    return finish(MV_STATUS_OKAY);
}

/* A value longer than the buffer gets INVALIDBUFFERSIZE with the full length
   in *length and nothing copied. */
enum MvStatus mvReadConfigResponseItem(MvChannelHandle handle,
                                       const struct MvConfigResponseReadItemParams *params) {
    if (params == NULL || params->result == NULL || params->buf.data == NULL ||
        params->buf.length == NULL) {
        return finish(MV_STATUS_PARAMETERFAULT);
    }
    if (handle != CHANNEL_HANDLE || !kernel.channel_open) {
        return finish(MV_STATUS_INVALIDHANDLE);
    }
    if (!kernel.response_ready) {
        return finish(MV_STATUS_RESPONSENOTPRESENT);
    }
    if (params->item_index >= kernel.requested_count) {
        return finish(MV_STATUS_INDEXINVALID);
    }

    const struct stored_item *item = find_item(&kernel.requested[params->item_index]);
    if (item == NULL) {
        *params->result = MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND;
        *params->buf.length = 0;
        return finish(MV_STATUS_OKAY);
    }

    uint32_t length = (uint32_t)strlen(item->value);
    *params->buf.length = length;
    if (length > params->buf.size) {
        return finish(MV_STATUS_INVALIDBUFFERSIZE);
    }
    memcpy(params->buf.data, item->value, length);
    *params->result = MV_CONFIGKEYFETCHRESULT_OK;
    return finish(MV_STATUS_OKAY);
}
