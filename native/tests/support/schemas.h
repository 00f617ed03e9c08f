/*
 * Payload schemas per opcode, the same strings as dev.mvsim.wire.Opcode (I = u32, L = u64,
 * P = pointer, B = bytes, [..] = list). The fake kernel checks every request libmvhost sends
 * against them, so the C marshalling and the Java table cannot drift apart unnoticed.
 */
#ifndef MVHOST_TEST_SCHEMAS_H
#define MVHOST_TEST_SCHEMAS_H

#include <stdint.h>

struct opcode_schema {
    uint16_t opcode;
    const char *function;
    const char *request;
    const char *response;
};

static const struct opcode_schema OPCODE_SCHEMAS[] = {
    {0x0001, "mvNoOp", "", ""},
    {0x0002, "mvGetMicroseconds", "P", "L"},
    {0x0003, "mvGetSysClk", "P", "I"},
    {0x0004, "mvGetHClk", "P", "I"},
    {0x0005, "mvGetPClk1", "P", "I"},
    {0x0006, "mvGetPClk2", "P", "I"},
    {0x0007, "mvGetWallTime", "P", "L"},
    {0x0008, "mvGetDeviceId", "PI", "B"},
    {0x0009, "mvPeriphPeek32", "IP", "I"},
    {0x000A, "mvPeriphPoke32", "III", ""},
    {0x000B, "mvSetupNotifications", "PIPIP", "L"},
    {0x000C, "mvCloseNotifications", "PL", "L"},
    {0x000D, "mvTempTriggerNotification", "LII", ""},
    {0x000E, "mvSetFastInterrupt", "I", ""},
    {0x000F, "mvClearFastInterrupt", "I", ""},
    {0x0010, "mvEnableFastInterrupt", "I", ""},
    {0x0011, "mvDisableFastInterrupt", "I", ""},
    {0x0012, "mvDisableAllFastInterrupts", "", ""},
    {0x0013, "mvEnableAllFastInterrupts", "", ""},
    {0x0014, "mvRequestNetwork", "PILIP", "L"},
    {0x0015, "mvReleaseNetwork", "PL", "L"},
    {0x0016, "mvGetNetworkStatus", "LP", "I"},
    {0x0017, "mvGetNetworkReasons", "PP", "II"},
    {0x0018, "mvOpenChannel", "PILILPIPIIPIBP", "L"},
    {0x0019, "mvReadChannel", "LPP", "LI"},
    {0x001A, "mvReadChannelComplete", "LI", ""},
    {0x001B, "mvWriteChannelStream", "LPIBP", "I"},
    {0x001C, "mvWriteChannel", "LPIBP", "I"},
    {0x001D, "mvCloseChannel", "PL", "L"},
    {0x001E, "mvGetChannelClosureReason", "LP", "I"},
    {0x001F, "mvSendHttpRequest", "LPPIBPIBIP[IPB]PIBI", ""},
    {0x0020, "mvReadHttpResponseData", "LP", "IIII"},
    {0x0021, "mvReadHttpResponseHeader", "LIPI", "B"},
    {0x0022, "mvReadHttpResponseBody", "LIPI", "B"},
    {0x0023, "mvServerLoggingInit", "PI", ""},
    {0x0024, "mvServerLog", "PIB", ""},
    {0x0025, "mvSendConfigFetchRequest", "LPIP[IIPIB]", ""},
    {0x0026, "mvReadConfigFetchResponseData", "LP", "II"},
    {0x0027, "mvReadConfigResponseItem", "LPIPPIP", "IBI"},
    {0x0028, "mvMqttGetNextReadableDataType", "LP", "I"},
    {0x0029, "mvMqttRequestConnect", "LP", ""},
    {0x002A, "mvMqttReadConnectResponse", "LP", ""},
    {0x002B, "mvMqttRequestSubscribe", "LP", ""},
    {0x002C, "mvMqttReadSubscribeResponse", "LP", ""},
    {0x002D, "mvMqttRequestUnsubscribe", "LP", ""},
    {0x002E, "mvMqttReadUnsubscribeResponse", "LP", ""},
    {0x002F, "mvMqttRequestPublish", "LP", ""},
    {0x0030, "mvMqttReadPublishResponse", "LP", ""},
    {0x0031, "mvMqttReceiveMessage", "LP", ""},
    {0x0032, "mvMqttReceiveLostMessageInfo", "LP", ""},
    {0x0033, "mvMqttAcknowledgeMessage", "LI", ""},
    {0x0034, "mvMqttRequestDisconnect", "L", ""},
    {0x0035, "mvMqttReadDisconnectResponse", "LP", ""},
    {0x0036, "mvTestingComplete", "I", ""},
    {0x0037, "mvTestLoggingInit", "PI", ""},
    {0x0038, "mvTestLog", "PIB", ""},
    {0x0039, "mvPowerSave", "I", ""},
    {0x003A, "mvSystemLedEnable", "I", ""},
    {0x003B, "mvOpenSystemNotification", "PP", "L"},
    {0x003C, "mvCloseSystemNotification", "PL", "L"},
    {0x003D, "mvDeepSleep", "I", ""},
    {0x003E, "mvGetWakeReason", "P", "I"},
    {0x003F, "mvRestart", "I", ""},
    {0x0040, "mvExternalFlashOpen", "P", "L"},
    {0x0041, "mvExternalFlashClose", "PL", "L"},
    {0x0042, "mvExternalFlashReadBlocking", "LIIP", "B"},
    {0x0043, "mvExternalFlashEraseBlocking", "LII", ""},
    {0x0044, "mvExternalFlashWriteBlocking", "LIIPB", ""},
    {0x0045, "mvExternalFlashGetInfo", "LP", ""},
    {0x0046, "mvSetWifiConfig", "P", ""},
    {0x0047, "mvGetWifiConfig", "P", ""},
    {0x0101, "mvhost_clock_now_us", "", "L"},
    {0x0102, "mvhost_clock_sleep_us", "L", "L"},
    {0x0103, "mvhost_poll", "", ""},
    {0x0104, "mvhost_clock_wait_us", "LL", "L"},
    {0x0105, "bridge_resume", "III", "I"},
    {0x0106, "bridge_restore", "[LLII][LLI][LLILLILI]", "I"},
};

#define OPCODE_SCHEMA_COUNT (sizeof OPCODE_SCHEMAS / sizeof OPCODE_SCHEMAS[0])

#endif
