package dev.mvsim.kernel;

import static dev.mvsim.kernel.KernelFixture.CHANNEL_TAG;
import static dev.mvsim.kernel.KernelFixture.IRQ;
import static dev.mvsim.kernel.KernelFixture.NETWORK_TAG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.FaultPlan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DeviceKernel#restore}: a fresh kernel recreates the objects whose handles an app has, as
 * after a lost cloud connection, under those handles.
 */
class RestoreTest {

    private static final long CENTRE = 0x1111_0001L;
    private static final long NETWORK = 0x1111_0002L;
    private static final long CHANNEL = 0x1111_0003L;

    private final KernelFixture fixture = new KernelFixture(
            FaultPlan.builder().connectDelay(Duration.ofMillis(200)).build(), KernelConfig.DEFAULTS);
    private final DeviceKernel kernel = fixture.kernel;
    private final AppBuffer ring = fixture.buffer(8 * 16);
    private final AppBuffer receive = fixture.buffer(2048);
    private final AppBuffer send = fixture.buffer(512);

    @Test
    void restoredObjectsKeepAppHandles() {
        int restored = kernel.restore(allThree());

        assertThat(restored).as("objects recreated").isEqualTo(3);
        LiveHandles live = kernel.liveHandles();
        assertThat(live.centres()).containsExactly(new LiveHandles.Centre(CENTRE, ring));
        assertThat(live.networkRequests()).containsExactly(NETWORK);
        assertThat(live.channels()).containsExactly(
                new LiveHandles.Channel(CHANNEL, CENTRE, CHANNEL_TAG, NETWORK, receive, send, false));
    }

    @Test
    void restoredChannelIsClosedByLoss() {
        kernel.restore(allThree());

        Out.Value<MvClosureReason> reason = new Out.Value<>();
        assertThat(kernel.mvGetChannelClosureReason(CHANNEL, reason)).isEqualTo(MvStatus.OKAY);
        assertThat(reason.value).as("closure reason").isEqualTo(MvClosureReason.NETWORKDISCONNECTED);
        assertThat(kernel.mvReadConfigFetchResponseData(CHANNEL, new MvConfigResponseData())).as("read")
                .isEqualTo(MvStatus.CHANNELCLOSED);
        Out.Handle handle = new Out.Handle();
        handle.value = CHANNEL;
        assertThat(kernel.mvCloseChannel(handle)).as("close").isEqualTo(MvStatus.OKAY);
        assertThat(handle.value).as("handle after the close").isZero();
    }

    @Test
    void restoredNetworkConnectsWithOneRecord() {
        kernel.restore(allThree());

        assertThat(fixture.networkStatus(NETWORK)).as("status at once").isEqualTo(MvNetworkStatus.CONNECTING);
        assertThat(kernel.takeNotifications(CENTRE)).as("records before the connect").isEmpty();
        boolean connected = kernel.runUntil(() -> fixture.networkStatus(NETWORK) == MvNetworkStatus.CONNECTED,
                Duration.ofSeconds(10));
        assertThat(connected).as("connected within 10 s of device time").isTrue();
        List<MvNotification> records = kernel.takeNotifications(CENTRE);
        assertThat(records).extracting(MvNotification::eventType).containsExactly(MvEventType.NETWORKSTATUSCHANGED);
        assertThat(records).extracting(MvNotification::tag).containsExactly(NETWORK_TAG);
    }

    @Test
    void restoredObjectsHoldTheirBuffers() {
        kernel.restore(allThree());

        Out.Handle handle = new Out.Handle();
        assertThat(kernel.mvSetupNotifications(new MvNotificationSetup(IRQ + 1, ring), handle))
                .as("setup on the restored ring").isEqualTo(MvStatus.BUFFERALREADYINUSE);
        assertThat(kernel.mvSetupNotifications(new MvNotificationSetup(IRQ + 1, send), handle))
                .as("setup on the restored channel's send buffer").isEqualTo(MvStatus.BUFFERALREADYINUSE);
        assertThat(kernel.mvSetupNotifications(new MvNotificationSetup(IRQ, fixture.buffer(8 * 16)), handle))
                .as("setup on the restored centre's IRQ").isEqualTo(MvStatus.INVALIDINTERRUPT);
    }

    @Test
    void newHandlesSkipRestoredOnes() {
        KernelFixture sameSeed = new KernelFixture();
        long firstHandle = sameSeed.setupCentre();
        KernelFixture fresh = new KernelFixture();
        fresh.kernel.restore(new RestoredObjects(
                List.of(new RestoredObjects.Centre(firstHandle, fresh.buffer(8 * 16), IRQ)), List.of(), List.of()));

        long next = fresh.setupCentre(IRQ + 1, 8);

        assertThat(next).as("handle of a centre set up after the restore").isNotEqualTo(firstHandle);
    }

    @Test
    void takenHandlesAreSkipped() {
        long live = fixture.setupCentre(IRQ + 1, 8);
        long reserved = kernel.reserveHandle();
        List<RestoredObjects.Centre> centres = List.of(
                new RestoredObjects.Centre(live, fixture.buffer(8 * 16), IRQ),
                new RestoredObjects.Centre(reserved, fixture.buffer(8 * 16), IRQ),
                new RestoredObjects.Centre(0, fixture.buffer(8 * 16), IRQ),
                new RestoredObjects.Centre(1L << 32, fixture.buffer(8 * 16), IRQ));

        int restored = kernel.restore(new RestoredObjects(centres, List.of(), List.of()));

        assertThat(restored).as("objects recreated").isZero();
        assertThat(kernel.liveHandles().centres()).extracting(LiveHandles.Centre::handle).containsExactly(live);
    }

    @Test
    void networkWithoutCentreIsSkipped() {
        RestoredObjects objects = new RestoredObjects(List.of(),
                List.of(new RestoredObjects.NetworkRequest(NETWORK, CENTRE, NETWORK_TAG)), List.of());

        int restored = kernel.restore(objects);

        assertThat(restored).as("objects recreated").isZero();
        Out.Value<MvNetworkStatus> status = new Out.Value<>();
        assertThat(kernel.mvGetNetworkStatus(NETWORK, status)).isEqualTo(MvStatus.INVALIDHANDLE);
    }

    private RestoredObjects allThree() {
        return new RestoredObjects(
                List.of(new RestoredObjects.Centre(CENTRE, ring, IRQ)),
                List.of(new RestoredObjects.NetworkRequest(NETWORK, CENTRE, NETWORK_TAG)),
                List.of(new RestoredObjects.Channel(CHANNEL, CENTRE, CHANNEL_TAG, NETWORK, receive, send)));
    }
}
