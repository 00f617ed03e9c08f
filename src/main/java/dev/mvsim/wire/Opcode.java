package dev.mvsim.wire;

/**
 * Every syscall of the Microvisor v0.7.0 API, numbered in the order of the vendor header, plus
 * the harness-control operations. Each carries the schema of its request payload and of the
 * outputs that follow the status in its response (see docs/wire-protocol.md for the meaning of
 * each field).
 */
public enum Opcode {
    MV_NO_OP(0x0001, "mvNoOp", "", ""),
    MV_GET_MICROSECONDS(0x0002, "mvGetMicroseconds", "P", "L"),
    MV_GET_SYS_CLK(0x0003, "mvGetSysClk", "P", "I"),
    MV_GET_H_CLK(0x0004, "mvGetHClk", "P", "I"),
    MV_GET_P_CLK1(0x0005, "mvGetPClk1", "P", "I"),
    MV_GET_P_CLK2(0x0006, "mvGetPClk2", "P", "I"),
    MV_GET_WALL_TIME(0x0007, "mvGetWallTime", "P", "L"),
    MV_GET_DEVICE_ID(0x0008, "mvGetDeviceId", "PI", "B"),
    MV_PERIPH_PEEK32(0x0009, "mvPeriphPeek32", "IP", "I"),
    MV_PERIPH_POKE32(0x000A, "mvPeriphPoke32", "III", ""),
    MV_SETUP_NOTIFICATIONS(0x000B, "mvSetupNotifications", "PIPIP", "L"),
    MV_CLOSE_NOTIFICATIONS(0x000C, "mvCloseNotifications", "PL", "L"),
    MV_TEMP_TRIGGER_NOTIFICATION(0x000D, "mvTempTriggerNotification", "LII", ""),
    MV_SET_FAST_INTERRUPT(0x000E, "mvSetFastInterrupt", "I", ""),
    MV_CLEAR_FAST_INTERRUPT(0x000F, "mvClearFastInterrupt", "I", ""),
    MV_ENABLE_FAST_INTERRUPT(0x0010, "mvEnableFastInterrupt", "I", ""),
    MV_DISABLE_FAST_INTERRUPT(0x0011, "mvDisableFastInterrupt", "I", ""),
    MV_DISABLE_ALL_FAST_INTERRUPTS(0x0012, "mvDisableAllFastInterrupts", "", ""),
    MV_ENABLE_ALL_FAST_INTERRUPTS(0x0013, "mvEnableAllFastInterrupts", "", ""),
    MV_REQUEST_NETWORK(0x0014, "mvRequestNetwork", "PILIP", "L"),
    MV_RELEASE_NETWORK(0x0015, "mvReleaseNetwork", "PL", "L"),
    MV_GET_NETWORK_STATUS(0x0016, "mvGetNetworkStatus", "LP", "I"),
    MV_GET_NETWORK_REASONS(0x0017, "mvGetNetworkReasons", "PP", "II"),
    MV_OPEN_CHANNEL(0x0018, "mvOpenChannel", "PILILPIPIIPIBP", "L"),
    MV_READ_CHANNEL(0x0019, "mvReadChannel", "LPP", "LI"),
    MV_READ_CHANNEL_COMPLETE(0x001A, "mvReadChannelComplete", "LI", ""),
    MV_WRITE_CHANNEL_STREAM(0x001B, "mvWriteChannelStream", "LPIBP", "I"),
    MV_WRITE_CHANNEL(0x001C, "mvWriteChannel", "LPIBP", "I"),
    MV_CLOSE_CHANNEL(0x001D, "mvCloseChannel", "PL", "L"),
    MV_GET_CHANNEL_CLOSURE_REASON(0x001E, "mvGetChannelClosureReason", "LP", "I"),
    MV_SEND_HTTP_REQUEST(0x001F, "mvSendHttpRequest", "LPPIBPIBIP[IPB]PIBI", ""),
    MV_READ_HTTP_RESPONSE_DATA(0x0020, "mvReadHttpResponseData", "LP", "IIII"),
    MV_READ_HTTP_RESPONSE_HEADER(0x0021, "mvReadHttpResponseHeader", "LIPI", "B"),
    MV_READ_HTTP_RESPONSE_BODY(0x0022, "mvReadHttpResponseBody", "LIPI", "B"),
    MV_SERVER_LOGGING_INIT(0x0023, "mvServerLoggingInit", "PI", ""),
    MV_SERVER_LOG(0x0024, "mvServerLog", "PIB", ""),
    MV_SEND_CONFIG_FETCH_REQUEST(0x0025, "mvSendConfigFetchRequest", "LPIP[IIPIB]", ""),
    MV_READ_CONFIG_FETCH_RESPONSE_DATA(0x0026, "mvReadConfigFetchResponseData", "LP", "II"),
    MV_READ_CONFIG_RESPONSE_ITEM(0x0027, "mvReadConfigResponseItem", "LPIPPIP", "IBI"),
    MV_MQTT_GET_NEXT_READABLE_DATA_TYPE(0x0028, "mvMqttGetNextReadableDataType", "LP", "I"),
    MV_MQTT_REQUEST_CONNECT(0x0029, "mvMqttRequestConnect", "LP", ""),
    MV_MQTT_READ_CONNECT_RESPONSE(0x002A, "mvMqttReadConnectResponse", "LP", ""),
    MV_MQTT_REQUEST_SUBSCRIBE(0x002B, "mvMqttRequestSubscribe", "LP", ""),
    MV_MQTT_READ_SUBSCRIBE_RESPONSE(0x002C, "mvMqttReadSubscribeResponse", "LP", ""),
    MV_MQTT_REQUEST_UNSUBSCRIBE(0x002D, "mvMqttRequestUnsubscribe", "LP", ""),
    MV_MQTT_READ_UNSUBSCRIBE_RESPONSE(0x002E, "mvMqttReadUnsubscribeResponse", "LP", ""),
    MV_MQTT_REQUEST_PUBLISH(0x002F, "mvMqttRequestPublish", "LP", ""),
    MV_MQTT_READ_PUBLISH_RESPONSE(0x0030, "mvMqttReadPublishResponse", "LP", ""),
    MV_MQTT_RECEIVE_MESSAGE(0x0031, "mvMqttReceiveMessage", "LP", ""),
    MV_MQTT_RECEIVE_LOST_MESSAGE_INFO(0x0032, "mvMqttReceiveLostMessageInfo", "LP", ""),
    MV_MQTT_ACKNOWLEDGE_MESSAGE(0x0033, "mvMqttAcknowledgeMessage", "LI", ""),
    MV_MQTT_REQUEST_DISCONNECT(0x0034, "mvMqttRequestDisconnect", "L", ""),
    MV_MQTT_READ_DISCONNECT_RESPONSE(0x0035, "mvMqttReadDisconnectResponse", "LP", ""),
    MV_TESTING_COMPLETE(0x0036, "mvTestingComplete", "I", ""),
    MV_TEST_LOGGING_INIT(0x0037, "mvTestLoggingInit", "PI", ""),
    MV_TEST_LOG(0x0038, "mvTestLog", "PIB", ""),
    MV_POWER_SAVE(0x0039, "mvPowerSave", "I", ""),
    MV_SYSTEM_LED_ENABLE(0x003A, "mvSystemLedEnable", "I", ""),
    MV_OPEN_SYSTEM_NOTIFICATION(0x003B, "mvOpenSystemNotification", "PP", "L"),
    MV_CLOSE_SYSTEM_NOTIFICATION(0x003C, "mvCloseSystemNotification", "PL", "L"),
    MV_DEEP_SLEEP(0x003D, "mvDeepSleep", "I", ""),
    MV_GET_WAKE_REASON(0x003E, "mvGetWakeReason", "P", "I"),
    MV_RESTART(0x003F, "mvRestart", "I", ""),
    MV_EXTERNAL_FLASH_OPEN(0x0040, "mvExternalFlashOpen", "P", "L"),
    MV_EXTERNAL_FLASH_CLOSE(0x0041, "mvExternalFlashClose", "PL", "L"),
    MV_EXTERNAL_FLASH_READ_BLOCKING(0x0042, "mvExternalFlashReadBlocking", "LIIP", "B"),
    MV_EXTERNAL_FLASH_ERASE_BLOCKING(0x0043, "mvExternalFlashEraseBlocking", "LII", ""),
    MV_EXTERNAL_FLASH_WRITE_BLOCKING(0x0044, "mvExternalFlashWriteBlocking", "LIIPB", ""),
    MV_EXTERNAL_FLASH_GET_INFO(0x0045, "mvExternalFlashGetInfo", "LP", ""),
    MV_SET_WIFI_CONFIG(0x0046, "mvSetWifiConfig", "P", ""),
    MV_GET_WIFI_CONFIG(0x0047, "mvGetWifiConfig", "P", ""),

    /** Reads the kernel clock; the response carries the microseconds. */
    HARNESS_NOW(0x0101, "mvhost_clock_now_us", "", "L"),
    /** Lets time pass (virtual: advance; wall: sleep) and delivers the notifications that fall due. */
    HARNESS_SLEEP(0x0102, "mvhost_clock_sleep_us", "L", "L"),
    /** Delivers notifications that are already due, without letting time pass. */
    HARNESS_POLL(0x0103, "mvhost_poll", "", ""),
    /**
     * Lets time pass as {@code HAL_Delay} does: at most the first argument's microseconds, but only
     * up to the end of the step (second argument, in µs) in which the first notification was
     * written. The response carries the clock after.
     */
    HARNESS_WAIT(0x0104, "mvhost_clock_wait_us", "LL", "L"),
    /**
     * Requests from the bridge, after a reconnection, what the lost connection may have carried
     * unread. Arguments: the opcode of the request whose reply was lost, or 0 for none, and the
     * frame's sequence number is that request's. Then 1 if the next argument counts, and the
     * sequence of the last notification libmvhost read from the kernel. The bridge sends the notifications it pushed
     * after that one, then the lost request's remembered reply unchanged, or a RESPONSE with this
     * opcode when the request never ran. Its output is 1 when the kernel is the one the device used
     * before and 0 for a fresh kernel. No C function makes it.
     */
    BRIDGE_RESUME(0x0105, "bridge_resume", "III", "I"),
    /**
     * Recreates, in a fresh kernel, the objects the app holds handles of, after a BRIDGE_RESUME
     * reply showed the kernel is fresh (a server restart, or a kernel the server dropped). Arguments:
     * the notification centres (handle, ring address, ring size in bytes, IRQ), the network
     * requests (handle, centre, tag) and the channels (handle, centre, tag, network request,
     * receive buffer address and size, send buffer address and size). Each object gets the handle
     * the app holds, and the channels are closed by the lost connection. The output is the number
     * of objects recreated. No C function makes it.
     */
    BRIDGE_RESTORE(0x0106, "bridge_restore", "[LLII][LLI][LLILLILI]", "I");

    /** Number of syscalls in the v0.7.0 API. */
    public static final int SYSCALL_COUNT = 71;

    private final int code;
    private final String cName;
    private final Schema requestSchema;
    private final Schema responseSchema;

    Opcode(int code, String cName, String requestSchema, String responseSchema) {
        this.code = code;
        this.cName = cName;
        this.requestSchema = Schema.parse(requestSchema);
        this.responseSchema = Schema.parse(responseSchema);
    }

    public int code() {
        return code;
    }

    /** Returns the name of the C function this opcode stands for. */
    public String cName() {
        return cName;
    }

    public Schema requestSchema() {
        return requestSchema;
    }

    /** Returns the schema of the outputs that follow the status in a response. */
    public Schema responseSchema() {
        return responseSchema;
    }

    /** Returns whether this is a harness-control operation, carried in CONTROL frames, not REQUEST frames. */
    public boolean isHarnessControl() {
        return code >= 0x0100;
    }

    /**
     * Returns whether libmvhost may answer this operation itself and REPORT it: every syscall, and
     * the two harness controls that only let virtual time pass (SLEEP and WAIT).
     */
    public boolean isReportable() {
        return !isHarnessControl() || this == HARNESS_SLEEP || this == HARNESS_WAIT;
    }

    /** Opcodes indexed by code (0 to 0x1FF); values() would copy the array on every frame decoded. */
    private static final Opcode[] BY_CODE = new Opcode[0x200];

    static {
        for (Opcode opcode : values()) {
            BY_CODE[opcode.code] = opcode;
        }
    }

    static Opcode fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
