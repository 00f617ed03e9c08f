/*
 * Calls every syscall of mv_syscalls.h with NULL for each pointer (and for nested pointers),
 * against the fake kernel. The library must not crash or write through NULL (AddressSanitizer
 * watches), every request must match its schema, and the frame must mark each NULL pointer
 * absent so the kernel can return PARAMETERFAULT or LATEFAULT.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "fake_kernel.h"
#include "mv_syscalls.h"
#include "mvhost.h"
#include "opcodes.h"

static uint8_t opcodes_seen[0x48];

static void check_call(const char *call, enum MvStatus status, uint16_t opcode, unsigned absent)
{
    unsigned failures_before = (unsigned)check_failures;
    CHECK_EQ(fake_kernel.last_opcode, opcode);
    CHECK_EQ(fake_kernel.last_absent_pointers, absent);
    CHECK_EQ(status, absent > 0 ? MV_STATUS_PARAMETERFAULT : MV_STATUS_OKAY);
    CHECK_EQ(fake_kernel.schema_mismatches, 0);
    if ((unsigned)check_failures != failures_before) {
        fprintf(stderr, "  in %s\n", call);
    }
    if (opcode < sizeof opcodes_seen) {
        opcodes_seen[opcode] = 1;
    }
}

#define EXPECT(call, opcode, absent) check_call(#call, (call), (opcode), (absent))

static void every_syscall_with_null_pointers(void)
{
    EXPECT(mvNoOp(), MVHOST_OP_NO_OP, 0);
    EXPECT(mvGetMicroseconds(NULL), MVHOST_OP_GET_MICROSECONDS, 1);
    EXPECT(mvGetSysClk(NULL), MVHOST_OP_GET_SYS_CLK, 1);
    EXPECT(mvGetHClk(NULL), MVHOST_OP_GET_H_CLK, 1);
    EXPECT(mvGetPClk1(NULL), MVHOST_OP_GET_P_CLK1, 1);
    EXPECT(mvGetPClk2(NULL), MVHOST_OP_GET_P_CLK2, 1);
    EXPECT(mvGetWallTime(NULL), MVHOST_OP_GET_WALL_TIME, 1);
    EXPECT(mvGetDeviceId(NULL, 34), MVHOST_OP_GET_DEVICE_ID, 1);
    EXPECT(mvPeriphPeek32(0x40000000u, NULL), MVHOST_OP_PERIPH_PEEK32, 1);
    EXPECT(mvPeriphPoke32(0x40000000u, 1, 1), MVHOST_OP_PERIPH_POKE32, 0);
    EXPECT(mvSetupNotifications(NULL, NULL), MVHOST_OP_SETUP_NOTIFICATIONS, 3);
    EXPECT(mvCloseNotifications(NULL), MVHOST_OP_CLOSE_NOTIFICATIONS, 1);
    EXPECT(mvTempTriggerNotification(NULL, MV_EVENTTYPE_CHANNELDATAREADABLE, 1),
           MVHOST_OP_TEMP_TRIGGER_NOTIFICATION, 0);
    EXPECT(mvSetFastInterrupt(41), MVHOST_OP_SET_FAST_INTERRUPT, 0);
    EXPECT(mvClearFastInterrupt(41), MVHOST_OP_CLEAR_FAST_INTERRUPT, 0);
    EXPECT(mvEnableFastInterrupt(41), MVHOST_OP_ENABLE_FAST_INTERRUPT, 0);
    EXPECT(mvDisableFastInterrupt(41), MVHOST_OP_DISABLE_FAST_INTERRUPT, 0);
    EXPECT(mvDisableAllFastInterrupts(), MVHOST_OP_DISABLE_ALL_FAST_INTERRUPTS, 0);
    EXPECT(mvEnableAllFastInterrupts(), MVHOST_OP_ENABLE_ALL_FAST_INTERRUPTS, 0);
    EXPECT(mvRequestNetwork(NULL, NULL), MVHOST_OP_REQUEST_NETWORK, 2);
    EXPECT(mvReleaseNetwork(NULL), MVHOST_OP_RELEASE_NETWORK, 1);
    EXPECT(mvGetNetworkStatus(NULL, NULL), MVHOST_OP_GET_NETWORK_STATUS, 1);
    EXPECT(mvGetNetworkReasons(NULL, NULL), MVHOST_OP_GET_NETWORK_REASONS, 2);
    /* params, then its receive buffer, send buffer and endpoint data, then the handle output. */
    EXPECT(mvOpenChannel(NULL, NULL), MVHOST_OP_OPEN_CHANNEL, 5);
    EXPECT(mvReadChannel(NULL, NULL, NULL), MVHOST_OP_READ_CHANNEL, 2);
    EXPECT(mvReadChannelComplete(NULL, 0), MVHOST_OP_READ_CHANNEL_COMPLETE, 0);
    EXPECT(mvWriteChannelStream(NULL, NULL, 10, NULL), MVHOST_OP_WRITE_CHANNEL_STREAM, 2);
    EXPECT(mvWriteChannel(NULL, NULL, 10, NULL), MVHOST_OP_WRITE_CHANNEL, 2);
    EXPECT(mvCloseChannel(NULL), MVHOST_OP_CLOSE_CHANNEL, 1);
    EXPECT(mvGetChannelClosureReason(NULL, NULL), MVHOST_OP_GET_CHANNEL_CLOSURE_REASON, 1);
    /* request, then method, url, headers and body pointers inside it. */
    EXPECT(mvSendHttpRequest(NULL, NULL), MVHOST_OP_SEND_HTTP_REQUEST, 5);
    EXPECT(mvReadHttpResponseData(NULL, NULL), MVHOST_OP_READ_HTTP_RESPONSE_DATA, 1);
    EXPECT(mvReadHttpResponseHeader(NULL, 0, NULL, 64), MVHOST_OP_READ_HTTP_RESPONSE_HEADER, 1);
    EXPECT(mvReadHttpResponseBody(NULL, 0, NULL, 64), MVHOST_OP_READ_HTTP_RESPONSE_BODY, 1);
    EXPECT(mvServerLoggingInit(NULL, 4096), MVHOST_OP_SERVER_LOGGING_INIT, 1);
    EXPECT(mvServerLog(NULL, 5), MVHOST_OP_SERVER_LOG, 1);
    EXPECT(mvSendConfigFetchRequest(NULL, NULL), MVHOST_OP_SEND_CONFIG_FETCH_REQUEST, 2);
    EXPECT(mvReadConfigFetchResponseData(NULL, NULL), MVHOST_OP_READ_CONFIG_FETCH_RESPONSE_DATA, 1);
    /* params, then its result, value buffer and length pointers. */
    EXPECT(mvReadConfigResponseItem(NULL, NULL), MVHOST_OP_READ_CONFIG_RESPONSE_ITEM, 4);
    EXPECT(mvMqttGetNextReadableDataType(NULL, NULL), MVHOST_OP_MQTT_GET_NEXT_READABLE_DATA_TYPE, 1);
    EXPECT(mvMqttRequestConnect(NULL, NULL), MVHOST_OP_MQTT_REQUEST_CONNECT, 1);
    EXPECT(mvMqttReadConnectResponse(NULL, NULL), MVHOST_OP_MQTT_READ_CONNECT_RESPONSE, 1);
    EXPECT(mvMqttRequestSubscribe(NULL, NULL), MVHOST_OP_MQTT_REQUEST_SUBSCRIBE, 1);
    EXPECT(mvMqttReadSubscribeResponse(NULL, NULL), MVHOST_OP_MQTT_READ_SUBSCRIBE_RESPONSE, 1);
    EXPECT(mvMqttRequestUnsubscribe(NULL, NULL), MVHOST_OP_MQTT_REQUEST_UNSUBSCRIBE, 1);
    EXPECT(mvMqttReadUnsubscribeResponse(NULL, NULL), MVHOST_OP_MQTT_READ_UNSUBSCRIBE_RESPONSE, 1);
    EXPECT(mvMqttRequestPublish(NULL, NULL), MVHOST_OP_MQTT_REQUEST_PUBLISH, 1);
    EXPECT(mvMqttReadPublishResponse(NULL, NULL), MVHOST_OP_MQTT_READ_PUBLISH_RESPONSE, 1);
    EXPECT(mvMqttReceiveMessage(NULL, NULL), MVHOST_OP_MQTT_RECEIVE_MESSAGE, 1);
    EXPECT(mvMqttReceiveLostMessageInfo(NULL, NULL), MVHOST_OP_MQTT_RECEIVE_LOST_MESSAGE_INFO, 1);
    EXPECT(mvMqttAcknowledgeMessage(NULL, 7), MVHOST_OP_MQTT_ACKNOWLEDGE_MESSAGE, 0);
    EXPECT(mvMqttRequestDisconnect(NULL), MVHOST_OP_MQTT_REQUEST_DISCONNECT, 0);
    EXPECT(mvMqttReadDisconnectResponse(NULL, NULL), MVHOST_OP_MQTT_READ_DISCONNECT_RESPONSE, 1);
    EXPECT(mvTestingComplete(0), MVHOST_OP_TESTING_COMPLETE, 0);
    EXPECT(mvTestLoggingInit(NULL, 4096), MVHOST_OP_TEST_LOGGING_INIT, 1);
    EXPECT(mvTestLog(NULL, 5), MVHOST_OP_TEST_LOG, 1);
    EXPECT(mvPowerSave((enum MvPowerSavingMode)0), MVHOST_OP_POWER_SAVE, 0);
    EXPECT(mvSystemLedEnable(1), MVHOST_OP_SYSTEM_LED_ENABLE, 0);
    EXPECT(mvOpenSystemNotification(NULL, NULL), MVHOST_OP_OPEN_SYSTEM_NOTIFICATION, 2);
    EXPECT(mvCloseSystemNotification(NULL), MVHOST_OP_CLOSE_SYSTEM_NOTIFICATION, 1);
    EXPECT(mvDeepSleep((enum MvDeepSleepMode)0), MVHOST_OP_DEEP_SLEEP, 0);
    EXPECT(mvGetWakeReason(NULL), MVHOST_OP_GET_WAKE_REASON, 1);
    EXPECT(mvRestart((enum MvRestartMode)0), MVHOST_OP_RESTART, 0);
    EXPECT(mvExternalFlashOpen(NULL), MVHOST_OP_EXTERNAL_FLASH_OPEN, 1);
    EXPECT(mvExternalFlashClose(NULL), MVHOST_OP_EXTERNAL_FLASH_CLOSE, 1);
    EXPECT(mvExternalFlashReadBlocking(NULL, 0, 16, NULL), MVHOST_OP_EXTERNAL_FLASH_READ_BLOCKING, 1);
    EXPECT(mvExternalFlashEraseBlocking(NULL, 0, 4096), MVHOST_OP_EXTERNAL_FLASH_ERASE_BLOCKING, 0);
    EXPECT(mvExternalFlashWriteBlocking(NULL, 0, 16, NULL), MVHOST_OP_EXTERNAL_FLASH_WRITE_BLOCKING, 1);
    EXPECT(mvExternalFlashGetInfo(NULL, NULL), MVHOST_OP_EXTERNAL_FLASH_GET_INFO, 1);
    EXPECT(mvSetWifiConfig(NULL), MVHOST_OP_SET_WIFI_CONFIG, 1);
    EXPECT(mvGetWifiConfig(NULL), MVHOST_OP_GET_WIFI_CONFIG, 1);

    unsigned covered = 0;
    for (unsigned i = 0; i < sizeof opcodes_seen; i++) {
        covered += opcodes_seen[i];
    }
    CHECK_EQ(covered, MVHOST_SYSCALL_COUNT);
}

static void nested_null_pointers_travel_absent(void)
{
    MvChannelHandle channel = (MvChannelHandle)(uintptr_t)0x77;
    MvChannelHandle untouched = channel;

    struct MvOpenChannelParams open = {.version = 1};
    open.v1.receive_buffer_len = 512;
    open.v1.send_buffer_len = 512;
    open.v1.channel_type = MV_CHANNELTYPE_CONFIGFETCH;
    EXPECT(mvOpenChannel(&open, &channel), MVHOST_OP_OPEN_CHANNEL, 3);
    CHECK(channel == untouched);

    struct MvConfigKeyFetchParams no_keys = {.num_items = 2, .keys_to_fetch = NULL};
    EXPECT(mvSendConfigFetchRequest(channel, &no_keys), MVHOST_OP_SEND_CONFIG_FETCH_REQUEST, 1);

    struct MvConfigKeyToFetch keys[2] = {
        {.scope = MV_CONFIGKEYFETCHSCOPE_ACCOUNT, .store = MV_CONFIGKEYFETCHSTORE_SECRET, .key = {NULL, 7}},
        {.scope = MV_CONFIGKEYFETCHSCOPE_DEVICE, .store = MV_CONFIGKEYFETCHSTORE_CONFIG, .key = {NULL, 5}}};
    struct MvConfigKeyFetchParams null_keys = {.num_items = 2, .keys_to_fetch = keys};
    EXPECT(mvSendConfigFetchRequest(channel, &null_keys), MVHOST_OP_SEND_CONFIG_FETCH_REQUEST, 2);

    struct MvConfigResponseReadItemParams item = {.item_index = 0, .result = NULL, .buf = {NULL, 64, NULL}};
    EXPECT(mvReadConfigResponseItem(channel, &item), MVHOST_OP_READ_CONFIG_RESPONSE_ITEM, 3);

    struct MvHttpHeader headers[1] = {{.length = 4, .data = NULL}};
    struct MvHttpRequest http = {.num_headers = 1, .headers = headers, .timeout_ms = 5000};
    /* method, url and body data plus the one header's data are NULL. */
    EXPECT(mvSendHttpRequest(channel, &http), MVHOST_OP_SEND_HTTP_REQUEST, 4);

    struct MvNotificationSetup setup = {.irq = 51, .buffer = NULL, .buffer_size = 128};
    MvNotificationHandle centre = NULL;
    EXPECT(mvSetupNotifications(&setup, &centre), MVHOST_OP_SETUP_NOTIFICATIONS, 1);
    CHECK(centre == NULL);
}

static void null_without_transport_is_unavailable(void)
{
    struct mvhost_stats stats;
    mvhost_clear_transport();

    CHECK_EQ(mvGetMicroseconds(NULL), MV_STATUS_UNAVAILABLE);
    CHECK_EQ(mvReadConfigResponseItem(NULL, NULL), MV_STATUS_UNAVAILABLE);
    CHECK_EQ(mvOpenChannel(NULL, NULL), MV_STATUS_UNAVAILABLE);

    mvhost_get_stats(&stats);
    CHECK_EQ(stats.calls_without_transport, 3);
}

int main(void)
{
    mvhost_reset();
    fake_kernel_install();
    every_syscall_with_null_pointers();
    nested_null_pointers_travel_absent();
    null_without_transport_is_unavailable();
    return check_failures == 0 ? 0 : 1;
}
