package dev.mvsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.FaultPlan;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HeldLinkTest {

    private final KernelFixture fixture = new KernelFixture(
            FaultPlan.builder().connectDelay(Duration.ofMillis(300)).build());
    private final DeviceKernel kernel = fixture.kernel;

    @Test
    void heldLinkDropsConnectedNetwork() {
        KernelFixture.Connected connected = fixture.connect();
        kernel.takeNotifications(connected.centre());

        kernel.holdLinkDown(true);

        assertThat(fixture.networkStatus(connected.network())).isEqualTo(MvNetworkStatus.CONNECTING);
        assertThat(kernel.takeNotifications(connected.centre())).extracting(MvNotification::eventType)
                .containsExactly(MvEventType.NETWORKSTATUSCHANGED);
    }

    @Test
    void heldLinkStaysDownAsTimePasses() {
        KernelFixture.Connected connected = fixture.connect();
        kernel.holdLinkDown(true);

        kernel.advance(Duration.ofSeconds(10));

        assertThat(fixture.networkStatus(connected.network())).isEqualTo(MvNetworkStatus.CONNECTING);
    }

    @Test
    void releasedLinkConnectsAfterDelay() {
        KernelFixture.Connected connected = fixture.connect();
        kernel.holdLinkDown(true);
        kernel.advance(Duration.ofSeconds(10));

        kernel.holdLinkDown(false);
        kernel.advanceMicros(299_999);
        assertThat(fixture.networkStatus(connected.network())).isEqualTo(MvNetworkStatus.CONNECTING);
        kernel.advanceMicros(1);

        assertThat(fixture.networkStatus(connected.network())).isEqualTo(MvNetworkStatus.CONNECTED);
    }

    @Test
    void nextDueIsPendingConnect() {
        long centre = fixture.setupCentre();
        long start = kernel.clock().nowMicros();

        assertThat(kernel.nextDueMicros()).isEqualTo(Long.MAX_VALUE);
        fixture.requestNetwork(centre);

        assertThat(kernel.nextDueMicros()).isEqualTo(start + 300_000);
    }

    /** With no connect delay, a connect that falls due while the link is held must wait for the release, not spin. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void heldLinkWithoutConnectDelayWaitsForRelease() {
        KernelFixture instant = new KernelFixture(FaultPlan.builder().connectDelay(Duration.ZERO).build());
        KernelFixture.Connected connected = instant.connect();

        instant.kernel.holdLinkDown(true);
        instant.kernel.advance(Duration.ofSeconds(1));
        assertThat(instant.networkStatus(connected.network())).isEqualTo(MvNetworkStatus.CONNECTING);

        instant.kernel.holdLinkDown(false);
        assertThat(instant.networkStatus(connected.network())).isEqualTo(MvNetworkStatus.CONNECTED);
    }
}
