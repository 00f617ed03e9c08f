package dev.mvsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.FaultPlan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NetworkTest {

    private final KernelFixture fixture = new KernelFixture(
            FaultPlan.builder().connectDelay(Duration.ofMillis(300)).build());
    private final DeviceKernel kernel = fixture.kernel;

    @Test
    void requestConnectsAfterDelay() {
        long centre = fixture.setupCentre();
        long network = fixture.requestNetwork(centre);

        assertThat(fixture.networkStatus(network)).isEqualTo(MvNetworkStatus.CONNECTING);
        kernel.advanceMicros(299_999);
        assertThat(fixture.networkStatus(network)).isEqualTo(MvNetworkStatus.CONNECTING);
        kernel.advanceMicros(1);
        assertThat(fixture.networkStatus(network)).isEqualTo(MvNetworkStatus.CONNECTED);
    }

    @Test
    void statusChangesAreNotified() {
        long centre = fixture.setupCentre();
        fixture.requestNetwork(centre);
        kernel.runUntilIdle();

        assertThat(kernel.takeNotifications(centre)).containsExactly(
                new MvNotification(0, MvEventType.NETWORKSTATUSCHANGED, KernelFixture.NETWORK_TAG),
                new MvNotification(300_000, MvEventType.NETWORKSTATUSCHANGED, KernelFixture.NETWORK_TAG));
    }

    @Test
    void secondRequestWhileConnectedIsNotNotified() {
        KernelFixture.Connected connected = fixture.connect();
        long second = fixture.requestNetwork(connected.centre());

        assertThat(fixture.networkStatus(second)).isEqualTo(MvNetworkStatus.CONNECTED);
        assertThat(kernel.takeNotifications(connected.centre())).isEmpty();
    }

    @Test
    void requestParameterChecks() {
        long centre = fixture.setupCentre();
        Out.Handle handle = new Out.Handle();

        assertThat(kernel.mvRequestNetwork(null, handle)).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvRequestNetwork(new MvRequestNetworkParams(1, centre, 0), null))
                .isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvRequestNetwork(new MvRequestNetworkParams(0, centre, 0), handle))
                .isEqualTo(MvStatus.UNSUPPORTEDSTRUCTUREVERSION);
        assertThat(kernel.mvRequestNetwork(new MvRequestNetworkParams(2, centre, 0), handle))
                .isEqualTo(MvStatus.UNSUPPORTEDSTRUCTUREVERSION);
        assertThat(kernel.mvRequestNetwork(new MvRequestNetworkParams(1, 0, 0), handle))
                .isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvRequestNetwork(new MvRequestNetworkParams(1, centre + 1, 0), handle))
                .isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(handle.value).isZero();
    }

    @Test
    void statusParameterChecks() {
        long centre = fixture.setupCentre();
        long network = fixture.requestNetwork(centre);

        assertThat(kernel.mvGetNetworkStatus(network, null)).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvGetNetworkStatus(0, new Out.Value<>())).isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvGetNetworkStatus(centre, new Out.Value<>())).isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvGetNetworkStatus(-1, new Out.Value<>())).isEqualTo(MvStatus.INVALIDHANDLE);
    }

    @Test
    void reasonsAndRequestCount() {
        Out.U32 reasons = new Out.U32();
        Out.U32 count = new Out.U32();
        assertThat(kernel.mvGetNetworkReasons(reasons, count)).isEqualTo(MvStatus.OKAY);
        assertThat(reasons.value).isEqualTo(MvNetworkReason.NEVERUSEDNETWORKAPI);
        assertThat(count.value).isZero();

        long centre = fixture.setupCentre();
        long first = fixture.requestNetwork(centre);
        fixture.requestNetwork(centre);
        kernel.mvGetNetworkReasons(reasons, count);
        assertThat(reasons.value).isEqualTo(MvNetworkReason.USINGNETWORK);
        assertThat(count.value).isEqualTo(2);

        kernel.mvReleaseNetwork(new Out.Handle(first));
        kernel.mvGetNetworkReasons(reasons, count);
        assertThat(count.value).isEqualTo(1);
    }

    @Test
    void reasonsNullPointers() {
        assertThat(kernel.mvGetNetworkReasons(null, new Out.U32())).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(kernel.mvGetNetworkReasons(new Out.U32(), null)).isEqualTo(MvStatus.PARAMETERFAULT);
    }

    @Test
    void releaseLastRequestGoesOffline() {
        KernelFixture.Connected connected = fixture.connect();
        Out.Handle handle = new Out.Handle(connected.network());

        assertThat(kernel.mvReleaseNetwork(handle)).isEqualTo(MvStatus.OKAY);
        assertThat(handle.value).isZero();
        Out.U32 reasons = new Out.U32();
        kernel.mvGetNetworkReasons(reasons, new Out.U32());
        assertThat(reasons.value).isEqualTo(MvNetworkReason.NOTCONNECTING);

        long again = fixture.requestNetwork(connected.centre());
        assertThat(fixture.networkStatus(again)).isEqualTo(MvNetworkStatus.CONNECTING);
    }

    @Test
    void releaseStaleZeroNullOrWrongType() {
        KernelFixture.Connected connected = fixture.connect();
        kernel.mvReleaseNetwork(new Out.Handle(connected.network()));

        assertThat(kernel.mvReleaseNetwork(new Out.Handle(connected.network()))).isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvReleaseNetwork(new Out.Handle(0))).isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvReleaseNetwork(new Out.Handle(connected.centre()))).isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvReleaseNetwork(null)).isEqualTo(MvStatus.PARAMETERFAULT);
    }

    @Test
    void dropFromFaultPlanReconnects() {
        KernelFixture fixture = new KernelFixture(FaultPlan.builder()
                .connectDelay(Duration.ofMillis(100)).dropConnectionAt(Duration.ofSeconds(2)).build());
        KernelFixture.Connected connected = fixture.connect();

        fixture.kernel.advanceMicros(2_000_000 - fixture.clock.nowMicros());
        assertThat(fixture.networkStatus(connected.network())).isEqualTo(MvNetworkStatus.CONNECTING);
        fixture.kernel.advance(Duration.ofMillis(100));
        assertThat(fixture.networkStatus(connected.network())).isEqualTo(MvNetworkStatus.CONNECTED);
        assertThat(fixture.kernel.takeNotifications(connected.centre())).extracting(MvNotification::microseconds)
                .containsExactly(2_000_000L, 2_100_000L);
    }

    @Test
    void downWindowDelaysConnection() {
        KernelFixture fixture = new KernelFixture(FaultPlan.builder()
                .connectDelay(Duration.ofMillis(100)).downBetween(Duration.ZERO, Duration.ofSeconds(3)).build());
        long centre = fixture.setupCentre();
        long network = fixture.requestNetwork(centre);

        fixture.kernel.advance(Duration.ofMillis(3099));
        assertThat(fixture.networkStatus(network)).isEqualTo(MvNetworkStatus.CONNECTING);
        fixture.kernel.advance(Duration.ofMillis(1));
        assertThat(fixture.networkStatus(network)).isEqualTo(MvNetworkStatus.CONNECTED);
    }

    @Test
    void downWindowDuringConnectRestartsIt() {
        // The attempt would end at 1.5 s; the link goes down at 1 s for half a second.
        KernelFixture fixture = new KernelFixture(FaultPlan.builder()
                .connectDelay(Duration.ofMillis(1500)).downBetween(Duration.ofSeconds(1), Duration.ofMillis(1500)).build());
        long centre = fixture.setupCentre();
        long network = fixture.requestNetwork(centre);

        fixture.kernel.advance(Duration.ofMillis(2999));
        assertThat(fixture.networkStatus(network)).as("the window's end plus a whole connect delay")
                .isEqualTo(MvNetworkStatus.CONNECTING);
        fixture.kernel.advance(Duration.ofMillis(1));
        assertThat(fixture.networkStatus(network)).isEqualTo(MvNetworkStatus.CONNECTED);
    }
}
