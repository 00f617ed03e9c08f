package dev.mvsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.FaultPlan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

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
}
