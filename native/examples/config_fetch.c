#include "config_fetch.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "notifications.h"
#include "stm32u5xx_hal.h"

#define DEFAULT_NETWORK_TIMEOUT_MS 10000U
#define DEFAULT_RESPONSE_TIMEOUT_MS 5000U
#define NETWORK_POLL_INTERVAL_MS 100U
#define RESPONSE_POLL_INTERVAL_MS 1U

/* Channel buffers: Microvisor apps align both to 512 bytes and size them in
   multiples of 512. Microvisor owns them while the channel is open. */
#define RECEIVE_BUFFER_BYTES 2560U
#define SEND_BUFFER_BYTES 512U
static uint8_t receive_buffer[RECEIVE_BUFFER_BYTES] __attribute__((aligned(512)));
static uint8_t send_buffer[SEND_BUFFER_BYTES] __attribute__((aligned(512)));

/* Handles of one run; 0 while not held. */
struct fetch_session {
    MvNotificationHandle notifications;
    MvNetworkHandle network;
    MvChannelHandle channel;
};

static enum config_fetch_outcome stop(struct config_fetch_result *result,
                                      enum config_fetch_outcome outcome, enum MvStatus status) {
    result->outcome = outcome;
    result->status = status;
    return outcome;
}

static bool keys_are_valid(const struct config_fetch_key *keys, uint32_t key_count) {
    if (keys == NULL || key_count == 0 || key_count > CONFIG_FETCH_MAX_KEYS) {
        return false;
    }
    for (uint32_t i = 0; i < key_count; i++) {
        if (keys[i].name == NULL) {
            return false;
        }
    }
    return true;
}

static enum MvStatus start_notifications(struct fetch_session *session, bool enable_irq) {
    NVIC_DisableIRQ(NOTIFICATION_IRQ);
    notifications_clear();

    struct MvNotificationSetup setup = {
        .irq = (uint32_t)NOTIFICATION_IRQ,
        .buffer = notifications_ring(),
        .buffer_size = notifications_ring_size_bytes(),
    };
    enum MvStatus status = mvSetupNotifications(&setup, &session->notifications);
    if (status != MV_STATUS_OKAY) {
        return status;
    }

    /* Microvisor leaves the IRQ's configuration to the app. */
    NVIC_ClearPendingIRQ(NOTIFICATION_IRQ);
    if (enable_irq) {
        NVIC_EnableIRQ(NOTIFICATION_IRQ);
    }
    return MV_STATUS_OKAY;
}

static enum MvStatus request_network(struct fetch_session *session) {
    struct MvRequestNetworkParams params = {
        .version = 1,
        .v1 = {
            .notification_handle = session->notifications,
            .notification_tag = TAG_NETWORK,
        },
    };
    return mvRequestNetwork(&params, &session->network);
}

/* Polls until the network is CONNECTED; Microvisor is usually connected
   already, and then no notification comes. */
static enum MvStatus wait_for_connection(MvNetworkHandle network, uint32_t timeout_ms,
                                         bool *connected) {
    uint32_t start_tick = HAL_GetTick();
    *connected = false;

    for (;;) {
        enum MvNetworkStatus network_status = MV_NETWORKSTATUS_DELIBERATELYOFFLINE;
        enum MvStatus status = mvGetNetworkStatus(network, &network_status);
        if (status != MV_STATUS_OKAY) {
            return status;
        }
        if (network_status == MV_NETWORKSTATUS_CONNECTED) {
            *connected = true;
            return MV_STATUS_OKAY;
        }
        if (HAL_GetTick() - start_tick >= timeout_ms) {
            return MV_STATUS_OKAY;
        }
        HAL_Delay(NETWORK_POLL_INTERVAL_MS);
    }
}

static enum MvStatus open_config_channel(struct fetch_session *session) {
    struct MvOpenChannelParams params = {
        .version = 1,
        .v1 = {
            .notification_handle = session->notifications,
            .notification_tag = TAG_CONFIG_CHANNEL,
            .network_handle = session->network,
            .receive_buffer = receive_buffer,
            .receive_buffer_len = RECEIVE_BUFFER_BYTES,
            .send_buffer = send_buffer,
            .send_buffer_len = SEND_BUFFER_BYTES,
            .channel_type = MV_CHANNELTYPE_CONFIGFETCH,
            .endpoint = {.data = NULL, .length = 0},
        },
    };
    return mvOpenChannel(&params, &session->channel);
}

static enum MvStatus send_request(MvChannelHandle channel, const struct config_fetch_key *keys,
                                  uint32_t key_count) {
    struct MvConfigKeyToFetch requested[CONFIG_FETCH_MAX_KEYS];

    for (uint32_t i = 0; i < key_count; i++) {
        requested[i].scope = keys[i].scope;
        requested[i].store = keys[i].store;
        requested[i].key.data = (const uint8_t *)keys[i].name;
        requested[i].key.length = (uint32_t)strlen(keys[i].name);
    }

    struct MvConfigKeyFetchParams request = {
        .num_items = key_count,
        .keys_to_fetch = requested,
    };
    return mvSendConfigFetchRequest(channel, &request);
}

/* Waits for the handler to flag the response or a disconnection. Pending
   handlers run inside HAL_Delay. */
static enum config_fetch_outcome wait_for_response(uint32_t timeout_ms) {
    uint32_t start_tick = HAL_GetTick();

    for (;;) {
        if (notifications_channel_readable()) {
            return CONFIG_FETCH_OK;
        }
        if (notifications_channel_disconnected()) {
            return CONFIG_FETCH_CHANNEL_DISCONNECTED;
        }
        if (HAL_GetTick() - start_tick >= timeout_ms) {
            return CONFIG_FETCH_RESPONSE_TIMED_OUT;
        }
        HAL_Delay(RESPONSE_POLL_INTERVAL_MS);
    }
}

/* Reads item index into item. The buffer is given one byte less than its
   capacity, so a NUL always fits after the value. */
static void read_item(MvChannelHandle channel, uint32_t index, struct config_fetch_item *item) {
    uint32_t length = 0;
    struct MvConfigResponseReadItemParams params = {
        .item_index = index,
        .result = &item->result,
        .buf = {
            .data = (uint8_t *)item->value,
            .size = CONFIG_FETCH_VALUE_CAPACITY - 1,
            .length = &length,
        },
    };

    item->result = MV_CONFIGKEYFETCHRESULT__MAX;
    item->read_status = mvReadConfigResponseItem(channel, &params);
    item->length = length;

    if (item->read_status == MV_STATUS_OKAY && item->result == MV_CONFIGKEYFETCHRESULT_OK &&
        length < CONFIG_FETCH_VALUE_CAPACITY) {
        item->value[length] = '\0';
    } else {
        item->value[0] = '\0';
    }
}

static enum config_fetch_outcome read_response(MvChannelHandle channel, uint32_t key_count,
                                               struct config_fetch_result *result) {
    struct MvConfigResponseData response = {MV_CONFIGFETCHRESULT_OK, 0};
    enum MvStatus status = mvReadConfigFetchResponseData(channel, &response);
    if (status != MV_STATUS_OKAY) {
        return stop(result, CONFIG_FETCH_RESPONSE_READ_FAILED, status);
    }

    result->fetch_result = response.result;
    result->item_count = response.num_items;
    if (response.result != MV_CONFIGFETCHRESULT_OK) {
        return stop(result, CONFIG_FETCH_RESPONSE_NOT_OK, MV_STATUS_OKAY);
    }

    uint32_t readable_items = response.num_items < key_count ? response.num_items : key_count;
    for (uint32_t i = 0; i < readable_items; i++) {
        read_item(channel, i, &result->items[i]);
    }

    if (response.num_items != key_count) {
        return stop(result, CONFIG_FETCH_ITEM_COUNT_MISMATCH, MV_STATUS_OKAY);
    }
    return stop(result, CONFIG_FETCH_OK, MV_STATUS_OKAY);
}

/* Releases whatever the session holds. Close failures are ignored because
   nothing useful can follow them; a channel the server already dropped may
   report CHANNELCLOSED here. */
static void end_session(struct fetch_session *session) {
    if (session->channel != 0) {
        (void)mvCloseChannel(&session->channel);
    }
    if (session->network != 0) {
        (void)mvReleaseNetwork(&session->network);
    }
    if (session->notifications != 0) {
        (void)mvCloseNotifications(&session->notifications);
    }

    /* After mvCloseNotifications Microvisor pends nothing more, but a pending
       state already set stays until the app clears it. */
    NVIC_DisableIRQ(NOTIFICATION_IRQ);
    NVIC_ClearPendingIRQ(NOTIFICATION_IRQ);
}

static enum config_fetch_outcome fetch(struct fetch_session *session,
                                       const struct config_fetch_key *keys, uint32_t key_count,
                                       const struct config_fetch_options *options,
                                       struct config_fetch_result *result) {
    enum MvStatus status = start_notifications(session, options->leave_irq_disabled == 0);
    if (status != MV_STATUS_OKAY) {
        return stop(result, CONFIG_FETCH_NOTIFICATION_SETUP_FAILED, status);
    }

    status = request_network(session);
    if (status != MV_STATUS_OKAY) {
        return stop(result, CONFIG_FETCH_NETWORK_REQUEST_FAILED, status);
    }

    bool connected = false;
    status = wait_for_connection(session->network, options->network_timeout_ms, &connected);
    if (!connected) {
        return stop(result, CONFIG_FETCH_NETWORK_NOT_CONNECTED, status);
    }

    status = open_config_channel(session);
    if (status != MV_STATUS_OKAY) {
        return stop(result, CONFIG_FETCH_CHANNEL_OPEN_FAILED, status);
    }

    status = send_request(session->channel, keys, key_count);
    if (status != MV_STATUS_OKAY) {
        return stop(result, CONFIG_FETCH_REQUEST_FAILED, status);
    }

    enum config_fetch_outcome waited = wait_for_response(options->response_timeout_ms);
    if (waited == CONFIG_FETCH_CHANNEL_DISCONNECTED) {
        /* The reason is only readable while the handle is still open. */
        (void)mvGetChannelClosureReason(session->channel, &result->closure_reason);
        return stop(result, waited, MV_STATUS_OKAY);
    }
    if (waited != CONFIG_FETCH_OK) {
        return stop(result, waited, MV_STATUS_OKAY);
    }

    return read_response(session->channel, key_count, result);
}

enum config_fetch_outcome config_fetch_run(const struct config_fetch_key *keys, uint32_t key_count,
                                           const struct config_fetch_options *options,
                                           struct config_fetch_result *result) {
    if (result == NULL) {
        return CONFIG_FETCH_INVALID_ARGUMENT;
    }
    memset(result, 0, sizeof *result);
    for (uint32_t i = 0; i < CONFIG_FETCH_MAX_KEYS; i++) {
        result->items[i].result = MV_CONFIGKEYFETCHRESULT__MAX;
    }
    if (!keys_are_valid(keys, key_count)) {
        return stop(result, CONFIG_FETCH_INVALID_ARGUMENT, MV_STATUS_OKAY);
    }

    struct config_fetch_options effective = {0};
    if (options != NULL) {
        effective = *options;
    }
    if (effective.network_timeout_ms == 0) {
        effective.network_timeout_ms = DEFAULT_NETWORK_TIMEOUT_MS;
    }
    if (effective.response_timeout_ms == 0) {
        effective.response_timeout_ms = DEFAULT_RESPONSE_TIMEOUT_MS;
    }

    struct fetch_session session = {0, 0, 0};
    enum config_fetch_outcome outcome = fetch(&session, keys, key_count, &effective, result);
    end_session(&session);
    return outcome;
}

const struct MvNotification *config_fetch_notification_ring(uint32_t *record_count) {
    if (record_count != NULL) {
        *record_count = NOTIFICATION_RING_RECORDS;
    }
    return notifications_ring();
}

const char *config_fetch_outcome_name(enum config_fetch_outcome outcome) {
    switch (outcome) {
    case CONFIG_FETCH_OK:
        return "OK";
    case CONFIG_FETCH_INVALID_ARGUMENT:
        return "INVALID_ARGUMENT";
    case CONFIG_FETCH_NOTIFICATION_SETUP_FAILED:
        return "NOTIFICATION_SETUP_FAILED";
    case CONFIG_FETCH_NETWORK_REQUEST_FAILED:
        return "NETWORK_REQUEST_FAILED";
    case CONFIG_FETCH_NETWORK_NOT_CONNECTED:
        return "NETWORK_NOT_CONNECTED";
    case CONFIG_FETCH_CHANNEL_OPEN_FAILED:
        return "CHANNEL_OPEN_FAILED";
    case CONFIG_FETCH_REQUEST_FAILED:
        return "REQUEST_FAILED";
    case CONFIG_FETCH_RESPONSE_TIMED_OUT:
        return "RESPONSE_TIMED_OUT";
    case CONFIG_FETCH_CHANNEL_DISCONNECTED:
        return "CHANNEL_DISCONNECTED";
    case CONFIG_FETCH_RESPONSE_READ_FAILED:
        return "RESPONSE_READ_FAILED";
    case CONFIG_FETCH_RESPONSE_NOT_OK:
        return "RESPONSE_NOT_OK";
    case CONFIG_FETCH_ITEM_COUNT_MISMATCH:
        return "ITEM_COUNT_MISMATCH";
    }
    return "UNKNOWN";
}
