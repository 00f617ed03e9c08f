package dev.mvsim.kernel;

import static dev.mvsim.kernel.KernelFixture.key;
import static dev.mvsim.kernel.KernelFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.ItemStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigFetchTest {

    private static final int ACCOUNT = 0;
    private static final int DEVICE = 1;
    private static final int SECRET = 0;
    private static final int CONFIG = 1;

    private final KernelFixture fixture = new KernelFixture(
            FaultPlan.builder().latency(Duration.ofMillis(40)).serverErrorFor("broken").build());
    private final DeviceKernel kernel = fixture.kernel;
    private final KernelFixture.Connected connected = fixture.connect();

    ConfigFetchTest() {
        fixture.directory.putAccountItem(ItemStore.SECRET, "api-key", "s3cr3t");
        fixture.directory.putDeviceItem(KernelFixture.DEVICE_SID, ItemStore.CONFIG, "prefs", "{\"units\":\"metric\"}");
    }

    private record ItemRead(MvStatus status, MvConfigKeyFetchResult result, int length, String value) {
    }

    private ItemRead readItem(long channel, int index, int bufferSize) {
        Out.Value<MvConfigKeyFetchResult> result = new Out.Value<>();
        Out.U32 length = new Out.U32();
        byte[] target = new byte[bufferSize];
        MvStatus status = kernel.mvReadConfigResponseItem(channel,
                new MvConfigResponseReadItemParams(index, result, MvSizedStringBuffer.of(target, length)));
        int written = Math.min(length.value, bufferSize);
        return new ItemRead(status, result.value, length.value,
                new String(target, 0, written, StandardCharsets.US_ASCII));
    }

    @Test
    void fetchArrivesAfterLatency() {
        long channel = fixture.openChannel(connected);
        long sentAt = fixture.clock.nowMicros();

        assertThat(kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "api-key"))))
                .isEqualTo(MvStatus.OKAY);
        kernel.advanceMicros(39_999);
        assertThat(kernel.takeNotifications(connected.centre())).isEmpty();
        kernel.advanceMicros(1);

        assertThat(kernel.takeNotifications(connected.centre())).containsExactly(
                new MvNotification(sentAt + 40_000, MvEventType.CHANNELDATAREADABLE, KernelFixture.CHANNEL_TAG));
    }

    @Test
    void fetchReadsItemsInRequestOrder() {
        long channel = fixture.openChannel(connected);
        kernel.mvSendConfigFetchRequest(channel, request(
                key(DEVICE, CONFIG, "prefs"), key(ACCOUNT, SECRET, "missing"),
                key(ACCOUNT, SECRET, "broken"), key(ACCOUNT, SECRET, "api-key")));
        kernel.runUntilIdle();

        MvConfigResponseData data = new MvConfigResponseData();
        assertThat(kernel.mvReadConfigFetchResponseData(channel, data)).isEqualTo(MvStatus.OKAY);
        assertThat(data.result).isEqualTo(MvConfigFetchResult.OK);
        assertThat(data.numItems).isEqualTo(4);

        assertThat(readItem(channel, 0, 64)).isEqualTo(
                new ItemRead(MvStatus.OKAY, MvConfigKeyFetchResult.OK, 18, "{\"units\":\"metric\"}"));
        assertThat(readItem(channel, 1, 64)).isEqualTo(
                new ItemRead(MvStatus.OKAY, MvConfigKeyFetchResult.KEYNOTFOUND, 0, ""));
        assertThat(readItem(channel, 2, 64)).isEqualTo(
                new ItemRead(MvStatus.OKAY, MvConfigKeyFetchResult.SERVERERROR, 0, ""));
        assertThat(readItem(channel, 3, 64)).isEqualTo(
                new ItemRead(MvStatus.OKAY, MvConfigKeyFetchResult.OK, 6, "s3cr3t"));
    }

    @Test
    void deviceItemsOfOtherDevicesAreNotFound() {
        fixture.directory.putDeviceItem("UV00000000000000000000000000000000", ItemStore.CONFIG, "other", "x");
        long channel = fixture.openChannel(connected);
        kernel.mvSendConfigFetchRequest(channel, request(key(DEVICE, CONFIG, "other")));
        kernel.runUntilIdle();

        assertThat(readItem(channel, 0, 64).result()).isEqualTo(MvConfigKeyFetchResult.KEYNOTFOUND);
    }

    @Test
    void readItemBufferTooSmall() {
        long channel = fixture.openChannel(connected);
        kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "api-key")));
        kernel.runUntilIdle();

        ItemRead read = readItem(channel, 0, 5);

        assertThat(read.status()).isEqualTo(MvStatus.INVALIDBUFFERSIZE);
        assertThat(read.result()).isEqualTo(MvConfigKeyFetchResult.OK);
        assertThat(read.length()).as("full length reported").isEqualTo(6);
        assertThat(read.value()).as("nothing written").isEqualTo("\0\0\0\0\0");
        assertThat(readItem(channel, 0, 6).value()).isEqualTo("s3cr3t");
    }

    @Test
    void readItemIndexInvalid() {
        long channel = fixture.openChannel(connected);
        kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "api-key")));
        kernel.runUntilIdle();

        assertThat(readItem(channel, 1, 64).status()).isEqualTo(MvStatus.INDEXINVALID);
        assertThat(readItem(channel, -1, 64).status()).isEqualTo(MvStatus.INDEXINVALID);
    }

    @Test
    void readBeforeArrivalIsNotPresent() {
        long channel = fixture.openChannel(connected);

        assertThat(kernel.mvReadConfigFetchResponseData(channel, new MvConfigResponseData()))
                .as("before send").isEqualTo(MvStatus.RESPONSENOTPRESENT);
        kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "api-key")));
        assertThat(kernel.mvReadConfigFetchResponseData(channel, new MvConfigResponseData()))
                .as("before arrival").isEqualTo(MvStatus.RESPONSENOTPRESENT);
        assertThat(readItem(channel, 0, 64).status()).isEqualTo(MvStatus.RESPONSENOTPRESENT);
    }

    @Test
    void readBadArguments() {
        long channel = fixture.openChannel(connected);
        kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "api-key")));
        kernel.runUntilIdle();
        Out.Value<MvConfigKeyFetchResult> result = new Out.Value<>();
        Out.U32 length = new Out.U32();
        byte[] target = new byte[64];

        assertThat(kernel.mvReadConfigFetchResponseData(channel, null)).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvReadConfigFetchResponseData(0, new MvConfigResponseData()))
                .isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvReadConfigFetchResponseData(connected.network(), new MvConfigResponseData()))
                .isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvReadConfigResponseItem(channel, null)).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvReadConfigResponseItem(channel, new MvConfigResponseReadItemParams(0, null,
                MvSizedStringBuffer.of(target, length)))).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvReadConfigResponseItem(channel, new MvConfigResponseReadItemParams(0, result,
                MvSizedStringBuffer.of(target, null)))).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvReadConfigResponseItem(channel, new MvConfigResponseReadItemParams(0, result,
                new MvSizedStringBuffer(AppBuffer.NULL, target, length)))).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvReadConfigResponseItem(connected.centre(), new MvConfigResponseReadItemParams(0, result,
                MvSizedStringBuffer.of(target, length)))).isEqualTo(MvStatus.INVALIDHANDLE);
    }

    @Test
    void sendBadArguments() {
        long channel = fixture.openChannel(connected);

        assertThat(kernel.mvSendConfigFetchRequest(channel, null)).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvSendConfigFetchRequest(0, request(key(ACCOUNT, SECRET, "a"))))
                .isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvSendConfigFetchRequest(connected.network(), request(key(ACCOUNT, SECRET, "a"))))
                .isEqualTo(MvStatus.INVALIDHANDLE);
    }

    @Test
    void sendKeyChecks() {
        long channel = fixture.openChannel(connected);

        assertThat(kernel.mvSendConfigFetchRequest(channel, request(key(2, SECRET, "a"))))
                .isEqualTo(MvStatus.UNKNOWNCONFIGSCOPE);
        assertThat(kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, 2, "a"))))
                .isEqualTo(MvStatus.UNKNOWNCONFIGSTORE);
        assertThat(kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, ""))))
                .isEqualTo(MvStatus.INVALIDCONFIGKEY);
        assertThat(kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "tab\tkey"))))
                .isEqualTo(MvStatus.INVALIDCONFIGKEY);
        assertThat(kernel.mvSendConfigFetchRequest(channel, request(new MvConfigKeyToFetch(ACCOUNT, SECRET,
                new MvSizedString(new byte[] {'k', (byte) 0xC3, (byte) 0xA9}, 3))))).isEqualTo(MvStatus.INVALIDCONFIGKEY);
        assertThat(kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "k".repeat(101)))))
                .isEqualTo(MvStatus.INVALIDCONFIGKEY);
        assertThat(kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "with space ~"))))
                .as("rejected requests do not use up the channel").isEqualTo(MvStatus.OKAY);
    }

    @Test
    void sendZeroKeysAnswersEmpty() {
        long channel = fixture.openChannel(connected);

        assertThat(kernel.mvSendConfigFetchRequest(channel, new MvConfigKeyFetchParams(0, null)))
                .isEqualTo(MvStatus.OKAY);
        kernel.runUntilIdle();

        MvConfigResponseData data = new MvConfigResponseData();
        assertThat(kernel.mvReadConfigFetchResponseData(channel, data)).isEqualTo(MvStatus.OKAY);
        assertThat(data.result).isEqualTo(MvConfigFetchResult.OK);
        assertThat(data.numItems).isZero();
    }

    @Test
    void sendTooManyKeys() {
        long channel = fixture.openChannel(connected, 4096, 4096);
        MvConfigKeyToFetch[] keys = new MvConfigKeyToFetch[KernelConfig.DEFAULT_MAX_CONFIG_KEYS + 1];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(ACCOUNT, CONFIG, "key-" + i);
        }

        assertThat(kernel.mvSendConfigFetchRequest(channel, request(keys))).isEqualTo(MvStatus.TOOMANYCONFIGKEYS);
        assertThat(kernel.mvSendConfigFetchRequest(channel,
                new MvConfigKeyFetchParams(keys.length - 1, keys))).isEqualTo(MvStatus.OKAY);
    }

    @Test
    void sendKeyLimitIsConfigurable() {
        KernelFixture limited = new KernelFixture(FaultPlan.none(), KernelConfig.DEFAULTS.withMaxConfigKeys(2));
        long channel = limited.openChannel(limited.connect());

        assertThat(limited.kernel.mvSendConfigFetchRequest(channel, request(
                key(ACCOUNT, CONFIG, "a"), key(ACCOUNT, CONFIG, "b"), key(ACCOUNT, CONFIG, "c"))))
                .isEqualTo(MvStatus.TOOMANYCONFIGKEYS);
    }

    @Test
    void sendBadNestedPointerIsLateFault() {
        long channel = fixture.openChannel(connected);

        assertThat(kernel.mvSendConfigFetchRequest(channel, new MvConfigKeyFetchParams(1, null)))
                .isEqualTo(MvStatus.LATEFAULT);
        assertThat(kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "a"))))
                .as("the channel is dead").isEqualTo(MvStatus.CHANNELCLOSED);
        assertThat(kernel.mvCloseChannel(new Out.Handle(channel))).isEqualTo(MvStatus.OKAY);
    }

    @Test
    void sendNestedArraysShorterThanCount() {
        long first = fixture.openChannel(connected);
        long second = fixture.openChannel(connected);

        assertThat(kernel.mvSendConfigFetchRequest(first,
                new MvConfigKeyFetchParams(3, new MvConfigKeyToFetch[] {key(ACCOUNT, SECRET, "a")})))
                .isEqualTo(MvStatus.LATEFAULT);
        assertThat(kernel.mvSendConfigFetchRequest(second, request(new MvConfigKeyToFetch(ACCOUNT, SECRET,
                new MvSizedString(null, 4))))).isEqualTo(MvStatus.LATEFAULT);
    }

    @Test
    void sendRequestMustFitSendBuffer() {
        long channel = fixture.openChannel(connected, 4096, 512);
        // 8 + 5 * (4 + 100) = 528 bytes, 16 more than the 512-byte send buffer.
        MvConfigKeyToFetch[] keys = new MvConfigKeyToFetch[5];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(ACCOUNT, CONFIG, String.valueOf(i).repeat(100));
        }
        assertThat(SizeModel.requestBytes(100, 100, 100, 100, 100)).isEqualTo(528);

        assertThat(kernel.mvSendConfigFetchRequest(channel, request(keys))).isEqualTo(MvStatus.INVALIDBUFFERSIZE);
        assertThat(kernel.mvSendConfigFetchRequest(channel, new MvConfigKeyFetchParams(4, keys)))
                .isEqualTo(MvStatus.OKAY);
    }

    @Test
    void sendOnlyOncePerChannel() {
        long channel = fixture.openChannel(connected);
        kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "api-key")));

        assertThat(kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "api-key"))))
                .isEqualTo(MvStatus.REQUESTALREADYSENT);
        kernel.runUntilIdle();
        assertThat(kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "api-key"))))
                .isEqualTo(MvStatus.REQUESTALREADYSENT);
    }

    @Test
    void responseTooLargeForReceiveBuffer() {
        // 8 + 8 + 496 = 512 bytes fit the 512-byte receive buffer; 8 + 8 + 497 = 513 do not.
        fixture.directory.putAccountItem(ItemStore.CONFIG, "big", "x".repeat(496));
        fixture.directory.putAccountItem(ItemStore.CONFIG, "bigger", "x".repeat(497));
        long fits = fixture.openChannel(connected, 512, 512);
        long tooSmall = fixture.openChannel(connected, 512, 512);

        kernel.mvSendConfigFetchRequest(fits, request(key(ACCOUNT, CONFIG, "big")));
        kernel.mvSendConfigFetchRequest(tooSmall, request(key(ACCOUNT, CONFIG, "bigger")));
        kernel.runUntilIdle();

        MvConfigResponseData data = new MvConfigResponseData();
        kernel.mvReadConfigFetchResponseData(fits, data);
        assertThat(data.result).isEqualTo(MvConfigFetchResult.OK);
        kernel.mvReadConfigFetchResponseData(tooSmall, data);
        assertThat(data.result).isEqualTo(MvConfigFetchResult.RESPONSETOOLARGE);
        assertThat(data.numItems).isZero();
        assertThat(readItem(tooSmall, 0, 1024).status()).isEqualTo(MvStatus.INDEXINVALID);
    }

    @Test
    void responseTooLargeForcedByPlan() {
        KernelFixture forced = new KernelFixture(FaultPlan.builder().responseTooLargeOnFetch(2).build());
        KernelFixture.Connected up = forced.connect();
        long first = forced.openChannel(up);
        long second = forced.openChannel(up);
        forced.kernel.mvSendConfigFetchRequest(first, request(key(ACCOUNT, CONFIG, "a")));
        forced.kernel.mvSendConfigFetchRequest(second, request(key(ACCOUNT, CONFIG, "a")));
        forced.kernel.runUntilIdle();

        MvConfigResponseData data = new MvConfigResponseData();
        forced.kernel.mvReadConfigFetchResponseData(first, data);
        assertThat(data.result).isEqualTo(MvConfigFetchResult.OK);
        forced.kernel.mvReadConfigFetchResponseData(second, data);
        assertThat(data.result).isEqualTo(MvConfigFetchResult.RESPONSETOOLARGE);
    }

    @Test
    void dropBeforeArrivalFailsFetch() {
        KernelFixture dropping = new KernelFixture(FaultPlan.builder()
                .latency(Duration.ofSeconds(1)).dropConnectionAt(Duration.ofSeconds(2)).build());
        KernelFixture.Connected up = dropping.connect();
        dropping.kernel.advance(Duration.ofMillis(1500));
        long channel = dropping.openChannel(up);
        dropping.kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, CONFIG, "a")));

        dropping.kernel.runUntilIdle();

        assertThat(dropping.kernel.takeNotifications(up.centre())).extracting(MvNotification::eventType)
                .containsExactly(MvEventType.NETWORKSTATUSCHANGED, MvEventType.CHANNELNOTCONNECTED,
                        MvEventType.NETWORKSTATUSCHANGED);
        assertThat(dropping.kernel.mvReadConfigFetchResponseData(channel, new MvConfigResponseData()))
                .isEqualTo(MvStatus.CHANNELCLOSED);
        assertThat(dropping.kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, CONFIG, "a"))))
                .isEqualTo(MvStatus.CHANNELCLOSED);
        assertThat(dropping.kernel.stats().fetchesFailed()).isEqualTo(1);
        assertThat(dropping.kernel.stats().fetchesArrived()).isZero();
    }

    @Test
    void readAfterDropIsChannelClosed() {
        KernelFixture dropping = new KernelFixture(FaultPlan.builder().dropConnectionAt(Duration.ofSeconds(2)).build());
        KernelFixture.Connected up = dropping.connect();
        long channel = dropping.openChannel(up);
        dropping.kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, CONFIG, "a")));
        dropping.kernel.runUntilIdle();

        assertThat(dropping.kernel.mvReadConfigResponseItem(channel, new MvConfigResponseReadItemParams(0,
                new Out.Value<>(), MvSizedStringBuffer.of(new byte[8], new Out.U32()))))
                .isEqualTo(MvStatus.CHANNELCLOSED);
    }

    @Test
    void closeBeforeArrivalAbandonsFetch() {
        long channel = fixture.openChannel(connected);
        kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "api-key")));
        kernel.mvCloseChannel(new Out.Handle(channel));

        kernel.runUntilIdle();

        assertThat(kernel.takeNotifications(connected.centre())).isEmpty();
        assertThat(kernel.stats().fetchesAbandoned()).isEqualTo(1);
        assertThat(kernel.stats().fetchesPending()).isZero();
    }

    @Test
    void fetchSeesStoreAtArrival() {
        long channel = fixture.openChannel(connected);
        kernel.mvSendConfigFetchRequest(channel, request(key(ACCOUNT, SECRET, "api-key")));
        fixture.directory.putAccountItem(ItemStore.SECRET, "api-key", "rotated");

        kernel.runUntilIdle();

        assertThat(readItem(channel, 0, 64).value()).isEqualTo("rotated");
    }

    @Test
    void traceListsCallsWithStatuses() {
        long channel = fixture.openChannel(connected);
        kernel.mvSendConfigFetchRequest(channel, null);

        assertThat(kernel.trace()).extracting(TraceEntry::call, TraceEntry::status).endsWith(
                org.assertj.core.groups.Tuple.tuple("mvOpenChannel", MvStatus.OKAY),
                org.assertj.core.groups.Tuple.tuple("mvSendConfigFetchRequest", MvStatus.PARAMETERFAULT));
        assertThat(kernel.formatTrace()).contains("seed 42").contains("MV_STATUS_PARAMETERFAULT");
    }
}
