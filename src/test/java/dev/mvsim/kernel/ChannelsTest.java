package dev.mvsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.FaultPlan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChannelsTest {

    private final KernelFixture fixture = new KernelFixture();
    private final DeviceKernel kernel = fixture.kernel;
    private final KernelFixture.Connected connected = fixture.connect();

    private MvStatus open(MvOpenChannelParams params) {
        return kernel.mvOpenChannel(params, new Out.Handle());
    }

    private MvOpenChannelParams params(AppBuffer receive, AppBuffer send) {
        return new MvOpenChannelParams(1, connected.centre(), KernelFixture.CHANNEL_TAG, connected.network(),
                receive, send, MvChannelType.CONFIGFETCH.code(), MvSizedString.EMPTY);
    }

    private MvOpenChannelParams withType(int type) {
        return new MvOpenChannelParams(1, connected.centre(), 0, connected.network(),
                fixture.buffer(1024), fixture.buffer(512), type, MvSizedString.EMPTY);
    }

    @Test
    void openReturnsNonZeroHandle() {
        Out.Handle handle = new Out.Handle();

        assertThat(kernel.mvOpenChannel(fixture.channelParams(connected, 2560, 512), handle))
                .isEqualTo(MvStatus.OKAY);
        assertThat(handle.value).isBetween(1L, 0xFFFF_FFFFL)
                .isNotIn(connected.centre(), connected.network());
    }

    @Test
    void openNullPointers() {
        assertThat(kernel.mvOpenChannel(null, new Out.Handle())).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvOpenChannel(fixture.channelParams(connected, 1024, 512), null))
                .isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(open(params(new AppBuffer(0, 1024), fixture.buffer(512)))).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(open(params(fixture.buffer(1024), new AppBuffer(0, 512)))).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(open(params(null, fixture.buffer(512)))).isEqualTo(MvStatus.PARAMETERFAULT);
    }

    @Test
    void openEndpointPointerShorterThanLength() {
        MvOpenChannelParams params = new MvOpenChannelParams(1, connected.centre(), 0, connected.network(),
                fixture.buffer(1024), fixture.buffer(512), MvChannelType.CONFIGFETCH.code(),
                new MvSizedString(new byte[2], 5));

        assertThat(open(params)).isEqualTo(MvStatus.PARAMETERFAULT);
    }

    @Test
    void openUnsupportedVersion() {
        MvOpenChannelParams params = new MvOpenChannelParams(2, connected.centre(), 0, connected.network(),
                fixture.buffer(1024), fixture.buffer(512), MvChannelType.CONFIGFETCH.code(), MvSizedString.EMPTY);

        assertThat(open(params)).isEqualTo(MvStatus.UNSUPPORTEDSTRUCTUREVERSION);
    }

    @Test
    void openInvalidHandles() {
        MvOpenChannelParams swapped = new MvOpenChannelParams(1, connected.network(), 0, connected.centre(),
                fixture.buffer(1024), fixture.buffer(512), MvChannelType.CONFIGFETCH.code(), MvSizedString.EMPTY);
        MvOpenChannelParams zero = new MvOpenChannelParams(1, 0, 0, 0,
                fixture.buffer(1024), fixture.buffer(512), MvChannelType.CONFIGFETCH.code(), MvSizedString.EMPTY);

        assertThat(open(swapped)).isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(open(zero)).isEqualTo(MvStatus.INVALIDHANDLE);
    }

    @Test
    void openUnknownChannelType() {
        assertThat(open(withType(4))).isEqualTo(MvStatus.UNKNOWNCHANNELTYPE);
        assertThat(open(withType(-1))).isEqualTo(MvStatus.UNKNOWNCHANNELTYPE);
    }

    @Test
    void openTypesWithoutDataAreUnavailable() {
        assertThat(open(withType(MvChannelType.OPAQUEBYTES.code()))).isEqualTo(MvStatus.UNAVAILABLE);
        assertThat(open(withType(MvChannelType.MQTT.code()))).isEqualTo(MvStatus.UNAVAILABLE);
        assertThat(open(withType(MvChannelType.HTTP.code()))).isEqualTo(MvStatus.UNAVAILABLE);
    }

    @Test
    void openUnknownEndpoint() {
        MvOpenChannelParams params = new MvOpenChannelParams(1, connected.centre(), 0, connected.network(),
                fixture.buffer(1024), fixture.buffer(512), MvChannelType.CONFIGFETCH.code(),
                MvSizedString.of("dummy"));

        assertThat(open(params)).isEqualTo(MvStatus.UNKNOWNCHANNELENDPOINT);
    }

    @Test
    void openSendBufferAlignment() {
        AppBuffer send = fixture.buffer(1024);

        assertThat(open(params(fixture.buffer(1024), new AppBuffer(send.address() + 16, 512))))
                .isEqualTo(MvStatus.INVALIDBUFFERALIGNMENT);
    }

    @Test
    void openReceiveBufferNeedsNoAlignment() {
        AppBuffer receive = fixture.buffer(2048);

        assertThat(open(params(new AppBuffer(receive.address() + 4, 1024), fixture.buffer(512))))
                .isEqualTo(MvStatus.OKAY);
    }

    @Test
    void openBufferSizes() {
        for (int size : new int[] {0, 256, 511, 513, 1000}) {
            assertThat(open(params(fixture.buffer(1024), fixture.buffer(size))))
                    .as("send size %d", size).isEqualTo(MvStatus.INVALIDBUFFERSIZE);
            assertThat(open(params(fixture.buffer(size), fixture.buffer(512))))
                    .as("receive size %d", size).isEqualTo(MvStatus.INVALIDBUFFERSIZE);
        }
    }

    @Test
    void openBuffersInUse() {
        MvOpenChannelParams first = fixture.channelParams(connected, 1024, 512);
        assertThat(open(first)).isEqualTo(MvStatus.OKAY);

        assertThat(open(params(first.receiveBuffer(), fixture.buffer(512)))).isEqualTo(MvStatus.BUFFERALREADYINUSE);
        assertThat(open(params(fixture.buffer(1024), first.sendBuffer()))).isEqualTo(MvStatus.BUFFERALREADYINUSE);
        AppBuffer shared = fixture.buffer(1024);
        assertThat(open(params(shared, new AppBuffer(shared.address(), 512)))).isEqualTo(MvStatus.BUFFERALREADYINUSE);
    }

    @Test
    void openBuffersFreeAfterClose() {
        MvOpenChannelParams first = fixture.channelParams(connected, 1024, 512);
        Out.Handle handle = new Out.Handle();
        kernel.mvOpenChannel(first, handle);
        kernel.mvCloseChannel(handle);

        assertThat(open(first)).isEqualTo(MvStatus.OKAY);
    }

    @Test
    void openWhileOffline() {
        KernelFixture offline = new KernelFixture();
        long centre = offline.setupCentre();
        long network = offline.requestNetwork(centre);

        MvOpenChannelParams params = new MvOpenChannelParams(1, centre, 0, network, offline.buffer(1024),
                offline.buffer(512), MvChannelType.CONFIGFETCH.code(), MvSizedString.EMPTY);
        assertThat(offline.kernel.mvOpenChannel(params, new Out.Handle())).isEqualTo(MvStatus.NETWORKNOTCONNECTED);
    }

    @Test
    void openLimitOfFourChannels() {
        for (int i = 0; i < 4; i++) {
            fixture.openChannel(connected);
        }

        assertThat(open(fixture.channelParams(connected, 1024, 512))).isEqualTo(MvStatus.TOOMANYCHANNELS);
    }

    @Test
    void openRateLimitOfEightPerSecond() {
        for (int i = 0; i < 8; i++) {
            Out.Handle handle = new Out.Handle(fixture.openChannel(connected));
            kernel.mvCloseChannel(handle);
            kernel.advanceMicros(100_000);
        }

        // Eight opens at 0 ms, 100 ms, ..., 700 ms after the first; the clock is now at 800 ms.
        assertThat(open(fixture.channelParams(connected, 1024, 512))).isEqualTo(MvStatus.RATELIMITED);
        kernel.advanceMicros(199_999);
        assertThat(open(fixture.channelParams(connected, 1024, 512))).isEqualTo(MvStatus.RATELIMITED);
        kernel.advanceMicros(1);
        assertThat(open(fixture.channelParams(connected, 1024, 512))).as("first open left the window")
                .isEqualTo(MvStatus.OKAY);
    }

    @Test
    void closeZeroesHandleAndStalesIt() {
        Out.Handle handle = new Out.Handle(fixture.openChannel(connected));
        long closed = handle.value;

        assertThat(kernel.mvCloseChannel(handle)).isEqualTo(MvStatus.OKAY);
        assertThat(handle.value).isZero();
        assertThat(kernel.mvCloseChannel(new Out.Handle(closed))).isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvGetChannelClosureReason(closed, new Out.Value<>())).isEqualTo(MvStatus.INVALIDHANDLE);
    }

    @Test
    void closeBadArguments() {
        assertThat(kernel.mvCloseChannel(null)).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvCloseChannel(new Out.Handle(0))).isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvCloseChannel(new Out.Handle(connected.network()))).isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvCloseChannel(new Out.Handle(0x1_0000_0001L))).isEqualTo(MvStatus.INVALIDHANDLE);
    }

    @Test
    void closureReasonNoneWhileOpen() {
        long channel = fixture.openChannel(connected);
        Out.Value<MvClosureReason> reason = new Out.Value<>();

        assertThat(kernel.mvGetChannelClosureReason(channel, reason)).isEqualTo(MvStatus.OKAY);
        assertThat(reason.value).isEqualTo(MvClosureReason.NONE);
        assertThat(kernel.mvGetChannelClosureReason(channel, null)).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvGetChannelClosureReason(0, reason)).isEqualTo(MvStatus.INVALIDHANDLE);
    }

    @Test
    void dropNotifiesAndSetsReason() {
        KernelFixture dropping = new KernelFixture(FaultPlan.builder().dropConnectionAt(Duration.ofSeconds(5)).build());
        KernelFixture.Connected up = dropping.connect();
        long channel = dropping.openChannel(up);

        dropping.kernel.advanceMicros(5_000_000 - dropping.clock.nowMicros());

        assertThat(dropping.kernel.takeNotifications(up.centre())).containsExactly(
                new MvNotification(5_000_000, MvEventType.NETWORKSTATUSCHANGED, KernelFixture.NETWORK_TAG),
                new MvNotification(5_000_000, MvEventType.CHANNELNOTCONNECTED, KernelFixture.CHANNEL_TAG));
        Out.Value<MvClosureReason> reason = new Out.Value<>();
        assertThat(dropping.kernel.mvGetChannelClosureReason(channel, reason)).isEqualTo(MvStatus.OKAY);
        assertThat(reason.value).isEqualTo(MvClosureReason.NETWORKDISCONNECTED);
        assertThat(dropping.kernel.mvCloseChannel(new Out.Handle(channel))).isEqualTo(MvStatus.OKAY);
    }

    @Test
    void releaseDropsChannelsOnThatRequest() {
        long channel = fixture.openChannel(connected);
        long other = fixture.requestNetwork(connected.centre());

        kernel.mvReleaseNetwork(new Out.Handle(connected.network()));

        Out.Value<MvClosureReason> reason = new Out.Value<>();
        kernel.mvGetChannelClosureReason(channel, reason);
        assertThat(reason.value).isEqualTo(MvClosureReason.NETWORKDISCONNECTED);
        assertThat(fixture.networkStatus(other)).isEqualTo(MvNetworkStatus.CONNECTED);
        assertThat(kernel.takeNotifications(connected.centre())).extracting(MvNotification::eventType)
                .containsExactly(MvEventType.CHANNELNOTCONNECTED);
    }
}
