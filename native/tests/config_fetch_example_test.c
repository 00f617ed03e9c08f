/*
 * The config fetch example against the scripted kernel of
 * fake_config_kernel.c: several keys in one request, a missing key, a value
 * longer than the item buffer, a response too large, a network drop
 * mid-fetch, a network that connects late or never, an IRQ never enabled,
 * and the interrupt thread mode.
 */
#include <string.h>

#include "shim_check.h"
#include "config_fetch.h"
#include "fake_config_kernel.h"
#include "fake_kernel_clock.h"
#include "irq.h"
#include "stm32u5xx_hal.h"

int check_failures;

static const struct config_fetch_key three_keys[] = {
    {MV_CONFIGKEYFETCHSCOPE_ACCOUNT, MV_CONFIGKEYFETCHSTORE_SECRET, "weather-api-key"},
    {MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_CONFIG, "prefs"},
    {MV_CONFIGKEYFETCHSCOPE_ACCOUNT, MV_CONFIGKEYFETCHSTORE_CONFIG, "missing-key"},
};

static struct config_fetch_result result;

static void reset_all(void) {
    mvhost_irq_reset();
    fake_clock_reset();
    fake_kernel_reset();
    fake_kernel_store(MV_CONFIGKEYFETCHSCOPE_ACCOUNT, MV_CONFIGKEYFETCHSTORE_SECRET,
                      "weather-api-key", "s3cr3t-value");
    fake_kernel_store(MV_CONFIGKEYFETCHSCOPE_DEVICE, MV_CONFIGKEYFETCHSTORE_CONFIG, "prefs",
                      "{\"units\":\"metric\"}");
    memset(&result, 0xA5, sizeof result);
}

static void fetch_reads_three_keys(void) {
    enum config_fetch_outcome outcome = config_fetch_run(three_keys, 3, NULL, &result);

    CHECK_EQ(outcome, CONFIG_FETCH_OK);
    CHECK_EQ(result.outcome, CONFIG_FETCH_OK);
    CHECK_EQ(result.status, MV_STATUS_OKAY);
    CHECK_EQ(result.item_count, 3);

    CHECK_EQ(result.items[0].read_status, MV_STATUS_OKAY);
    CHECK_EQ(result.items[0].result, MV_CONFIGKEYFETCHRESULT_OK);
    CHECK_EQ(result.items[0].length, strlen("s3cr3t-value"));
    CHECK(strcmp(result.items[0].value, "s3cr3t-value") == 0);

    CHECK_EQ(result.items[1].result, MV_CONFIGKEYFETCHRESULT_OK);
    CHECK(strcmp(result.items[1].value, "{\"units\":\"metric\"}") == 0);

    CHECK_EQ(result.items[2].read_status, MV_STATUS_OKAY);
    CHECK_EQ(result.items[2].result, MV_CONFIGKEYFETCHRESULT_KEYNOTFOUND);
    CHECK_EQ(result.items[2].value[0], '\0');
}

static void fetch_sends_keys_in_order(void) {
    config_fetch_run(three_keys, 3, NULL, &result);

    CHECK_EQ(fake_kernel_requested_key_count(), 3);
    for (uint32_t i = 0; i < 3; i++) {
        const struct MvConfigKeyToFetch *sent = fake_kernel_requested_key(i);
        CHECK_EQ(sent->scope, three_keys[i].scope);
        CHECK_EQ(sent->store, three_keys[i].store);
        CHECK_EQ(sent->key.length, strlen(three_keys[i].name));
    }
}

static void fetch_releases_everything(void) {
    config_fetch_run(three_keys, 3, NULL, &result);

    CHECK_EQ(fake_kernel_open_objects(), 0);
    CHECK_EQ(NVIC_GetEnableIRQ(TIM8_BRK_IRQn), 0);
    CHECK_EQ(NVIC_GetPendingIRQ(TIM8_BRK_IRQn), 0);
}

static void fetch_runs_twice(void) {
    config_fetch_run(three_keys, 3, NULL, &result);
    enum config_fetch_outcome second = config_fetch_run(three_keys, 2, NULL, &result);

    CHECK_EQ(second, CONFIG_FETCH_OK);
    CHECK_EQ(result.item_count, 2);
    CHECK(strcmp(result.items[0].value, "s3cr3t-value") == 0);
}

static void fetch_waits_for_network(void) {
    fake_kernel_connect_at(350000);

    enum config_fetch_outcome outcome = config_fetch_run(three_keys, 3, NULL, &result);

    CHECK_EQ(outcome, CONFIG_FETCH_OK);
    CHECK(fake_kernel_status_polls() >= 4);
}

static void network_never_connects(void) {
    fake_kernel_connect_at(UINT64_MAX);
    struct config_fetch_options options = {.network_timeout_ms = 1000};

    enum config_fetch_outcome outcome = config_fetch_run(three_keys, 3, &options, &result);

    CHECK_EQ(outcome, CONFIG_FETCH_NETWORK_NOT_CONNECTED);
    CHECK_EQ(result.status, MV_STATUS_OKAY);
    CHECK(fake_clock_now_us() >= 1000000);
    CHECK_EQ(fake_kernel_open_objects(), 0);
}

static void value_longer_than_buffer(void) {
    static char long_value[CONFIG_FETCH_VALUE_CAPACITY + 44];
    memset(long_value, 'x', sizeof long_value - 1);
    long_value[sizeof long_value - 1] = '\0';
    fake_kernel_store(MV_CONFIGKEYFETCHSCOPE_ACCOUNT, MV_CONFIGKEYFETCHSTORE_CONFIG, "missing-key",
                      long_value);

    enum config_fetch_outcome outcome = config_fetch_run(three_keys, 3, NULL, &result);

    CHECK_EQ(outcome, CONFIG_FETCH_OK);
    CHECK_EQ(result.items[2].read_status, MV_STATUS_INVALIDBUFFERSIZE);
    CHECK_EQ(result.items[2].length, sizeof long_value - 1);
    CHECK_EQ(result.items[2].value[0], '\0');
    CHECK_EQ(result.items[0].result, MV_CONFIGKEYFETCHRESULT_OK);
}

static void value_filling_buffer(void) {
    static char full_value[CONFIG_FETCH_VALUE_CAPACITY];
    memset(full_value, 'y', sizeof full_value - 1);
    full_value[sizeof full_value - 1] = '\0';
    fake_kernel_store(MV_CONFIGKEYFETCHSCOPE_ACCOUNT, MV_CONFIGKEYFETCHSTORE_CONFIG, "missing-key",
                      full_value);

    config_fetch_run(three_keys, 3, NULL, &result);

    CHECK_EQ(result.items[2].read_status, MV_STATUS_OKAY);
    CHECK_EQ(result.items[2].length, CONFIG_FETCH_VALUE_CAPACITY - 1);
    CHECK(strcmp(result.items[2].value, full_value) == 0);
}

static void response_too_large(void) {
    fake_kernel_plan_response(FAKE_RESPONSE_TOO_LARGE, 20000);

    enum config_fetch_outcome outcome = config_fetch_run(three_keys, 3, NULL, &result);

    CHECK_EQ(outcome, CONFIG_FETCH_RESPONSE_NOT_OK);
    CHECK_EQ(result.fetch_result, MV_CONFIGFETCHRESULT_RESPONSETOOLARGE);
    CHECK_EQ(result.item_count, 0);
    CHECK_EQ(result.items[0].result, MV_CONFIGKEYFETCHRESULT__MAX);
}

static void network_drop_mid_fetch(void) {
    fake_kernel_plan_response(FAKE_RESPONSE_NETWORK_DROP, 20000);

    enum config_fetch_outcome outcome = config_fetch_run(three_keys, 3, NULL, &result);

    CHECK_EQ(outcome, CONFIG_FETCH_CHANNEL_DISCONNECTED);
    CHECK_EQ(result.closure_reason, MV_CLOSUREREASON_NETWORKDISCONNECTED);
    CHECK_EQ(fake_kernel_open_objects(), 0);
}

static void response_never_arrives(void) {
    fake_kernel_plan_response(FAKE_RESPONSE_NEVER, 0);
    struct config_fetch_options options = {.response_timeout_ms = 300};

    enum config_fetch_outcome outcome = config_fetch_run(three_keys, 3, &options, &result);

    CHECK_EQ(outcome, CONFIG_FETCH_RESPONSE_TIMED_OUT);
    CHECK(fake_clock_now_us() >= 300000);
}

static void irq_never_enabled(void) {
    struct config_fetch_options options = {.response_timeout_ms = 200, .leave_irq_disabled = 1};

    enum config_fetch_outcome outcome = config_fetch_run(three_keys, 3, &options, &result);

    CHECK_EQ(outcome, CONFIG_FETCH_RESPONSE_TIMED_OUT);
    uint32_t records = 0;
    const struct MvNotification *ring = config_fetch_notification_ring(&records);
    CHECK_EQ(records, 8);
    CHECK_EQ(ring[0].event_type, MV_EVENTTYPE_CHANNELDATAREADABLE);
    CHECK_EQ(ring[0].tag, 2);
    CHECK_EQ(ring[0].microseconds, 20000);
    CHECK_EQ(mvhost_irq_default_handler_runs(), 0);
}

static void invalid_arguments_make_no_syscall(void) {
    struct config_fetch_key nine_keys[CONFIG_FETCH_MAX_KEYS + 1];
    for (uint32_t i = 0; i < CONFIG_FETCH_MAX_KEYS + 1; i++) {
        nine_keys[i] = three_keys[0];
    }
    struct config_fetch_key unnamed = three_keys[0];
    unnamed.name = NULL;

    CHECK_EQ(config_fetch_run(NULL, 1, NULL, &result), CONFIG_FETCH_INVALID_ARGUMENT);
    CHECK_EQ(config_fetch_run(three_keys, 0, NULL, &result), CONFIG_FETCH_INVALID_ARGUMENT);
    CHECK_EQ(config_fetch_run(nine_keys, CONFIG_FETCH_MAX_KEYS + 1, NULL, &result),
             CONFIG_FETCH_INVALID_ARGUMENT);
    CHECK_EQ(config_fetch_run(&unnamed, 1, NULL, &result), CONFIG_FETCH_INVALID_ARGUMENT);
    CHECK_EQ(config_fetch_run(three_keys, 3, NULL, NULL), CONFIG_FETCH_INVALID_ARGUMENT);
    CHECK_EQ(fake_kernel_syscalls(), 0);
}

static void fetch_with_interrupt_thread(void) {
    CHECK_EQ(mvhost_irq_start_thread(), 0);

    enum config_fetch_outcome outcome = config_fetch_run(three_keys, 3, NULL, &result);

    mvhost_irq_stop_thread();
    CHECK_EQ(outcome, CONFIG_FETCH_OK);
    CHECK(strcmp(result.items[0].value, "s3cr3t-value") == 0);
}

static void outcome_names_are_distinct(void) {
    CHECK(strcmp(config_fetch_outcome_name(CONFIG_FETCH_OK), "OK") == 0);
    CHECK(strcmp(config_fetch_outcome_name(CONFIG_FETCH_CHANNEL_DISCONNECTED),
                 "CHANNEL_DISCONNECTED") == 0);
    CHECK(strcmp(config_fetch_outcome_name((enum config_fetch_outcome)99), "UNKNOWN") == 0);
}

int main(void) {
    RUN_TEST(reset_all, fetch_reads_three_keys);
    RUN_TEST(reset_all, fetch_sends_keys_in_order);
    RUN_TEST(reset_all, fetch_releases_everything);
    RUN_TEST(reset_all, fetch_runs_twice);
    RUN_TEST(reset_all, fetch_waits_for_network);
    RUN_TEST(reset_all, network_never_connects);
    RUN_TEST(reset_all, value_longer_than_buffer);
    RUN_TEST(reset_all, value_filling_buffer);
    RUN_TEST(reset_all, response_too_large);
    RUN_TEST(reset_all, network_drop_mid_fetch);
    RUN_TEST(reset_all, response_never_arrives);
    RUN_TEST(reset_all, irq_never_enabled);
    RUN_TEST(reset_all, invalid_arguments_make_no_syscall);
    RUN_TEST(reset_all, fetch_with_interrupt_thread);
    RUN_TEST(reset_all, outcome_names_are_distinct);

    mvhost_irq_reset();
    return check_failures == 0 ? 0 : 1;
}
