/*
 * Firmware-style config and secret retrieval, written against the Microvisor
 * SDK API only (mv_syscalls.h and stm32u5xx_hal.h), so the same code builds
 * for the device and for the host.
 *
 * config_fetch_run brings up notifications and the network, fetches several
 * keys over one CONFIGFETCH channel, reads every item into a fixed buffer and
 * tears everything down again. Its notification handler is TIM8_BRK_IRQHandler.
 */
#ifndef CONFIG_FETCH_H
#define CONFIG_FETCH_H

#include <stdint.h>

#include "mv_syscalls.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CONFIG_FETCH_API __attribute__((visibility("default")))
#else
#define CONFIG_FETCH_API
#endif

/* Most keys one call fetches. */
#define CONFIG_FETCH_MAX_KEYS 8

/* Bytes of each item buffer. At most one byte less is read, so the value
   always ends in a NUL. */
#define CONFIG_FETCH_VALUE_CAPACITY 256

/* One key to fetch. */
struct config_fetch_key {
    enum MvConfigKeyFetchScope scope;
    enum MvConfigKeyFetchStore store;
    /* NUL-terminated key name, printable ASCII. */
    const char *name;
};

/* Limits of one run; zero fields take the defaults. */
struct config_fetch_options {
    /* How long to wait for the network to connect (default 10000 ms). */
    uint32_t network_timeout_ms;
    /* How long to wait for the response after sending the request (default
       5000 ms, as Microvisor's weather demo waits). */
    uint32_t response_timeout_ms;
    /* Non-zero leaves the notification IRQ disabled, to test firmware that
       never calls NVIC_EnableIRQ. The records are still written into the ring. */
    uint32_t leave_irq_disabled;
};

/* Outcome of a run: success, or the step at which it stopped. */
enum config_fetch_outcome {
    /* Every item was read; see each item for its own result. */
    CONFIG_FETCH_OK = 0,
    /* keys or result is NULL, key_count is 0 or above CONFIG_FETCH_MAX_KEYS,
       or a key name is NULL. */
    CONFIG_FETCH_INVALID_ARGUMENT,
    CONFIG_FETCH_NOTIFICATION_SETUP_FAILED,
    CONFIG_FETCH_NETWORK_REQUEST_FAILED,
    /* mvGetNetworkStatus failed, or the network did not connect in time. */
    CONFIG_FETCH_NETWORK_NOT_CONNECTED,
    CONFIG_FETCH_CHANNEL_OPEN_FAILED,
    CONFIG_FETCH_REQUEST_FAILED,
    /* No CHANNELDATAREADABLE arrived in time. */
    CONFIG_FETCH_RESPONSE_TIMED_OUT,
    /* CHANNELNOTCONNECTED arrived before the response; see closure_reason. */
    CONFIG_FETCH_CHANNEL_DISCONNECTED,
    /* mvReadConfigFetchResponseData failed. */
    CONFIG_FETCH_RESPONSE_READ_FAILED,
    /* The fetch as a whole failed; see fetch_result. */
    CONFIG_FETCH_RESPONSE_NOT_OK,
    /* The response contains a different number of items than keys requested. */
    CONFIG_FETCH_ITEM_COUNT_MISMATCH
};

/* Result of reading one key. */
struct config_fetch_item {
    /* Status of mvReadConfigResponseItem for this item. */
    enum MvStatus read_status;
    /* Set by Microvisor when read_status is MV_STATUS_OKAY, else left at
       MV_CONFIGKEYFETCHRESULT__MAX. */
    enum MvConfigKeyFetchResult result;
    /* Length Microvisor stored through buf.length, or 0 if it stored none. */
    uint32_t length;
    /* The value, NUL-terminated; empty unless result is OK. */
    char value[CONFIG_FETCH_VALUE_CAPACITY];
};

/* Everything a run learned. Items are in the order of the keys. */
struct config_fetch_result {
    enum config_fetch_outcome outcome;
    /* Status of the syscall that stopped the run, or MV_STATUS_OKAY. */
    enum MvStatus status;
    enum MvConfigFetchResult fetch_result;
    /* Read after CHANNELNOTCONNECTED; MV_CLOSUREREASON_NONE otherwise. */
    enum MvClosureReason closure_reason;
    /* Number of items in the response. */
    uint32_t item_count;
    struct config_fetch_item items[CONFIG_FETCH_MAX_KEYS];
};

/* Fetches key_count keys in one request and fills *result, which is cleared
   first. options may be NULL for the defaults. Returns result->outcome.
   Must not run twice at the same time, because the ring and flags are
   shared with the interrupt handler. */
CONFIG_FETCH_API enum config_fetch_outcome config_fetch_run(const struct config_fetch_key *keys,
                                                            uint32_t key_count,
                                                            const struct config_fetch_options *options,
                                                            struct config_fetch_result *result);

/* Returns the notification ring and its record count, so tests can see what
   Microvisor wrote even when no handler ran. */
CONFIG_FETCH_API const struct MvNotification *config_fetch_notification_ring(uint32_t *record_count);

/* Returns a short constant name for an outcome, such as "CHANNEL_DISCONNECTED". */
CONFIG_FETCH_API const char *config_fetch_outcome_name(enum config_fetch_outcome outcome);

#ifdef __cplusplus
}
#endif

#endif /* CONFIG_FETCH_H */
