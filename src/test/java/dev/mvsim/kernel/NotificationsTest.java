package dev.mvsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationsTest {

    private final KernelFixture fixture = new KernelFixture();
    private final DeviceKernel kernel = fixture.kernel;

    private MvStatus setup(int irq, AppBuffer ring, Out.Handle handle) {
        return kernel.mvSetupNotifications(new MvNotificationSetup(irq, ring), handle);
    }

    @Test
    void setupReturnsNonZeroHandle() {
        Out.Handle handle = new Out.Handle();

        assertThat(setup(41, fixture.buffer(128), handle)).isEqualTo(MvStatus.OKAY);
        assertThat(handle.value).isBetween(1L, 0xFFFF_FFFFL);
    }

    @Test
    void setupNullPointers() {
        assertThat(kernel.mvSetupNotifications(null, new Out.Handle())).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(setup(41, fixture.buffer(128), null)).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(setup(41, null, new Out.Handle())).isEqualTo(MvStatus.PARAMETERFAULT);
        assertThat(setup(41, new AppBuffer(0, 128), new Out.Handle())).isEqualTo(MvStatus.PARAMETERFAULT);
    }

    @Test
    void setupBufferSizeRules() {
        for (int size : new int[] {0, 16, 31, 33, 40, 100, 4096 * 16 + 16, -16}) {
            assertThat(setup(41, new AppBuffer(0x1000_0000L, size), new Out.Handle()))
                    .as("buffer_size %d", Integer.toUnsignedLong(size))
                    .isEqualTo(MvStatus.INVALIDBUFFERSIZE);
        }
        assertThat(setup(41, fixture.buffer(32), new Out.Handle())).isEqualTo(MvStatus.OKAY);
    }

    @Test
    void setupRejectsUnusableIrq() {
        for (int irq : new int[] {-1, 3, 7, 8, 10, 28, 125, 1000}) {
            assertThat(setup(irq, fixture.buffer(128), new Out.Handle()))
                    .as("irq %d", Integer.toUnsignedLong(irq))
                    .isEqualTo(MvStatus.INVALIDINTERRUPT);
        }
    }

    @Test
    void setupRejectsClaimedIrq() {
        fixture.setupCentre(51, 8);

        assertThat(setup(51, fixture.buffer(128), new Out.Handle())).isEqualTo(MvStatus.INVALIDINTERRUPT);
    }

    @Test
    void setupRejectsRingInUse() {
        AppBuffer ring = fixture.buffer(128);
        assertThat(setup(41, ring, new Out.Handle())).isEqualTo(MvStatus.OKAY);

        AppBuffer overlapping = new AppBuffer(ring.address() + 64, 128);
        assertThat(setup(42, overlapping, new Out.Handle())).isEqualTo(MvStatus.BUFFERALREADYINUSE);
    }

    @Test
    void setupLimitOf32Centres() {
        int irq = 41;
        for (int i = 0; i < 32; i++) {
            fixture.setupCentre(irq++, 2);
        }

        assertThat(setup(irq, fixture.buffer(32), new Out.Handle())).isEqualTo(MvStatus.TOOMANYNOTIFICATIONBUFFERS);
    }

    @Test
    void closeZeroesHandleAndFreesIrq() {
        long centre = fixture.setupCentre(41, 8);
        Out.Handle handle = new Out.Handle(centre);

        assertThat(kernel.mvCloseNotifications(handle)).isEqualTo(MvStatus.OKAY);
        assertThat(handle.value).isZero();
        assertThat(setup(41, fixture.buffer(128), new Out.Handle())).isEqualTo(MvStatus.OKAY);
    }

    @Test
    void closeStaleZeroNullOrWrongType() {
        long centre = fixture.setupCentre();
        long network = fixture.requestNetwork(centre);
        kernel.mvCloseNotifications(new Out.Handle(centre));

        assertThat(kernel.mvCloseNotifications(new Out.Handle(centre))).isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvCloseNotifications(new Out.Handle(0))).isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvCloseNotifications(new Out.Handle(network))).isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvCloseNotifications(new Out.Handle(centre | 0x1_0000_0000L)))
                .isEqualTo(MvStatus.INVALIDHANDLE);
        assertThat(kernel.mvCloseNotifications(null)).isEqualTo(MvStatus.PARAMETERFAULT);
    }

    @Test
    void closedCentreDropsRecordsOfItsSources() {
        long centre = fixture.setupCentre();
        fixture.requestNetwork(centre);
        kernel.mvCloseNotifications(new Out.Handle(centre));

        kernel.runUntilIdle();

        assertThat(kernel.stats().notificationsWithoutCentre()).isEqualTo(1);
    }

    @Test
    void ringWrapsAndCountsOverruns() {
        long centre = fixture.setupCentre(41, 2);
        List<NotificationDelivery> deliveries = new ArrayList<>();
        kernel.setNotificationListener(deliveries::add);
        long network = fixture.requestNetwork(centre);
        kernel.runUntilIdle();
        kernel.mvReleaseNetwork(new Out.Handle(network));
        fixture.requestNetwork(centre);

        // CONNECTING, CONNECTED, then CONNECTING again: the third record lands in slot 0, unhandled.
        assertThat(deliveries).extracting(NotificationDelivery::slot).containsExactly(0, 1, 0);
        assertThat(deliveries).extracting(NotificationDelivery::irq).containsOnly(41);
        assertThat(kernel.notificationOverruns(centre)).isEqualTo(1);
    }

    @Test
    void noOverrunWhenAppKeepsUp() {
        long centre = fixture.setupCentre(41, 2);
        long network = fixture.requestNetwork(centre);
        kernel.runUntilIdle();
        assertThat(kernel.takeNotifications(centre)).hasSize(2);
        kernel.mvReleaseNetwork(new Out.Handle(network));
        fixture.requestNetwork(centre);

        assertThat(kernel.takeNotifications(centre)).extracting(MvNotification::eventType)
                .containsExactly(MvEventType.NETWORKSTATUSCHANGED);
        assertThat(kernel.notificationOverruns(centre)).isZero();
    }

    @Test
    void acknowledgedSlotIsNoOverrun() {
        long centre = fixture.setupCentre(41, 2);
        List<NotificationDelivery> deliveries = new ArrayList<>();
        kernel.setNotificationListener(delivery -> {
            deliveries.add(delivery);
            kernel.acknowledgeNotification(delivery.centreHandle(), delivery.slot());
        });
        long network = fixture.requestNetwork(centre);
        kernel.runUntilIdle();
        kernel.mvReleaseNetwork(new Out.Handle(network));
        fixture.requestNetwork(centre);

        assertThat(deliveries).hasSize(3);
        assertThat(kernel.notificationOverruns(centre)).isZero();
    }

    @Test
    void deliveryCarriesRingAddressAndTimestamp() {
        AppBuffer ring = fixture.buffer(128);
        Out.Handle centre = new Out.Handle();
        setup(41, ring, centre);
        List<NotificationDelivery> deliveries = new ArrayList<>();
        kernel.setNotificationListener(deliveries::add);
        fixture.clock.advanceTo(5_000);

        fixture.requestNetwork(centre.value);

        assertThat(deliveries).singleElement().satisfies(delivery -> {
            assertThat(delivery.centreHandle()).isEqualTo(centre.value);
            assertThat(delivery.ringAddress()).isEqualTo(ring.address());
            assertThat(delivery.record()).isEqualTo(
                    new MvNotification(5_000, MvEventType.NETWORKSTATUSCHANGED, KernelFixture.NETWORK_TAG));
        });
    }
}
