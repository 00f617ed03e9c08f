package dev.mvsim.jna;

import static dev.mvsim.jna.AppCalls.SYSCALLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.link.FaultPlan;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * mvSetupNotifications and mvRequestNetwork answered by libmvhost with handles the kernel
 * reserved: the app must get the kernel's own handles and statuses (the host fails on close at
 * any divergence), and every case the reservation cannot decide must reach the kernel.
 */
@Timeout(30)
class ReservedHandlesLocalTest {

    @RegisterExtension
    final InProcessDevice device = new InProcessDevice("reserved-handles");
    private InProcessHost host;
    private final AppCalls app = new AppCalls();
    private final Memory status = AppCalls.zeroed(4);

    @Test
    void setupAndRequestNeedNoExchange() {
        open(Duration.ZERO);

        assertThat(device.answeredLocally(app::setupNotifications)).isZero();
        assertThat(device.answeredLocally(app::requestNetwork)).isZero();
        assertThat(device.answeredLocally(() -> SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status))).isZero();

        assertThat(status.getInt(0)).as("network status").isEqualTo(MvNetworkStatus.CONNECTED.code());
        assertThat(device.answeredLocally(app::openChannel)).as("channel on the local centre and network").isZero();
        assertThat(device.exchangedOnce(() -> app.sendFetch("missing"))).as("fetch on the local channel").isZero();
        assertThat(host.kernel().networkRequestStatuses()).containsOnlyKeys(app.network.getLong(0));
        assertThat(host.divergences()).isZero();
    }

    @Test
    void connectDelayGivesConnecting() {
        open(Duration.ofMillis(200));

        assertThat(device.answeredLocally(app::setupNotifications)).isZero();
        assertThat(device.answeredLocally(app::requestNetwork)).isZero();
        assertThat(device.answeredLocally(() -> SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status))).isZero();

        assertThat(status.getInt(0)).as("network status").isEqualTo(MvNetworkStatus.CONNECTING.code());
        assertThat(host.kernel().networkRequestStatuses())
                .containsEntry(app.network.getLong(0), MvNetworkStatus.CONNECTING);
        assertThat(host.divergences()).isZero();
    }

    @Test
    void centreNotificationsReachLocalRing() {
        open(Duration.ZERO);
        assertThat(device.answeredLocally(app::setupNotifications)).isZero();
        assertThat(device.answeredLocally(app::requestNetwork)).isZero();

        // The REPORTs travel with this exchange, and the status changes they cause come back in its reply.
        assertThat(device.exchangedOnce(() -> SYSCALLS.mvGetNetworkStatus(0, status)))
                .isEqualTo(MvStatus.INVALIDHANDLE.code());

        assertThat(host.stats().notifications_written).as("NETWORKSTATUSCHANGED records").isEqualTo(2);
    }

    @Test
    void secondSetupGoesToKernel() {
        open(Duration.ZERO);
        assertThat(device.answeredLocally(app::setupNotifications)).isZero();

        int second = device.exchangedOnce(() -> setup(52, AppCalls.zeroed(4 * 16), AppCalls.handleSlot()));

        assertThat(second).isEqualTo(MvStatus.OKAY.code());
    }

    @Test
    void invalidSetupArgumentsGoToKernel() {
        open(Duration.ZERO);
        Memory ring = AppCalls.zeroed(8 * 16);
        Memory handle = AppCalls.handleSlot();

        assertThat(device.exchangedOnce(() -> setup(52, ring, Pointer.NULL))).isEqualTo(MvStatus.PARAMETERFAULT.code());
        assertThat(device.exchangedOnce(() -> setup(3, ring, handle))).as("secure-only IRQ")
                .isEqualTo(MvStatus.INVALIDINTERRUPT.code());
        assertThat(device.exchangedOnce(() -> setup(125, ring, handle))).as("IRQ above FMAC_IRQn")
                .isEqualTo(MvStatus.INVALIDINTERRUPT.code());
        assertThat(device.exchangedOnce(() -> setupSized(52, ring, 24, handle)))
                .isEqualTo(MvStatus.INVALIDBUFFERSIZE.code());
        assertThat(device.exchangedOnce(() -> setupSized(52, ring, 40, handle)))
                .isEqualTo(MvStatus.INVALIDBUFFERSIZE.code());
        assertThat(device.exchangedOnce(() -> SYSCALLS.mvSetupNotifications(Pointer.NULL, handle)))
                .isEqualTo(MvStatus.PARAMETERFAULT.code());
        assertThat(host.divergences()).isZero();
    }

    @Test
    void invalidRequestArgumentsGoToKernel() {
        open(Duration.ZERO);
        assertThat(device.answeredLocally(app::setupNotifications)).isZero();

        assertThat(device.exchangedOnce(() -> request(2, app.centre.getLong(0)))).isEqualTo(
                MvStatus.UNSUPPORTEDSTRUCTUREVERSION.code());
        assertThat(device.exchangedOnce(() -> request(1, 0x1234))).as("untracked centre").isEqualTo(
                MvStatus.PARAMETERFAULT.code());
        assertThat(device.exchangedOnce(() -> SYSCALLS.mvRequestNetwork(Pointer.NULL, app.network)))
                .isEqualTo(MvStatus.PARAMETERFAULT.code());
        assertThat(host.divergences()).isZero();
    }

    @Test
    void javaClockMoveSendsStatusToKernel() {
        open(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(device.answeredLocally(app::setupNotifications)).isZero();

        // Inside the down window a new request stays CONNECTING, unlike what the state sent before the move predicted.
        host.kernel().advance(Duration.ofMillis(1500));

        assertThat(device.answeredLocally(app::requestNetwork)).as("the handles stay on offer").isZero();
        assertThat(device.exchangedOnce(() -> SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status))).isZero();
        assertThat(status.getInt(0)).as("network status").isEqualTo(MvNetworkStatus.CONNECTING.code());
        assertThat(host.divergences()).isZero();
    }

    @Test
    void statusSurvivingReleaseStaysLocal() {
        open(Duration.ofMillis(200));
        assertThat(device.answeredLocally(app::setupNotifications)).isZero();
        assertThat(device.answeredLocally(app::requestNetwork)).isZero();
        assertThat(device.answeredLocally(() -> SYSCALLS.mvReleaseNetwork(app.network))).isZero();

        // Offline before and after the release, a new request reports CONNECTING either way.
        assertThat(device.answeredLocally(app::requestNetwork)).isZero();

        assertThat(device.answeredLocally(() -> SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status))).isZero();
        assertThat(status.getInt(0)).as("network status").isEqualTo(MvNetworkStatus.CONNECTING.code());
        assertThat(host.divergences()).isZero();
    }

    @Test
    void releaseOfConnectedDeviceSendsStatusToKernel() {
        open(Duration.ofMillis(200));
        assertThat(device.answeredLocally(app::setupNotifications)).isZero();
        assertThat(device.answeredLocally(app::requestNetwork)).isZero();
        host.kernel().advance(Duration.ofMillis(300));
        // This reply's state comes while the device is connected.
        assertThat(device.exchangedOnce(() -> SYSCALLS.mvGetNetworkStatus(0, status)))
                .isEqualTo(MvStatus.INVALIDHANDLE.code());
        assertThat(device.answeredLocally(() -> SYSCALLS.mvReleaseNetwork(app.network))).isZero();

        // The release took the device offline, so a new request connects again after the delay.
        assertThat(device.answeredLocally(app::requestNetwork)).isZero();

        assertThat(device.exchangedOnce(() -> SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status))).isZero();
        assertThat(status.getInt(0)).as("network status").isEqualTo(MvNetworkStatus.CONNECTING.code());
        assertThat(host.divergences()).isZero();
    }

    private void open(Duration connectDelay) {
        open(connectDelay, null);
    }

    /**
     * Opens a host on a kernel whose network connects after {@code connectDelay} and whose link
     * is down for 1 s from {@code downFrom} (unless null), and makes one exchange.
     */
    private void open(Duration connectDelay, Duration downFrom) {
        FaultPlan.Builder plan = FaultPlan.builder().connectDelay(connectDelay).latency(Duration.ZERO);
        if (downFrom != null) {
            plan.downBetween(downFrom, downFrom.plusSeconds(1));
        }
        host = device.open(kernel -> kernel.faultPlan(plan.build()).seed(3));

        // The reply to this call brings the first RESERVED_HANDLES state.
        assertThat(device.exchangedOnce(() -> SYSCALLS.mvGetNetworkStatus(0, status)))
                .isEqualTo(MvStatus.INVALIDHANDLE.code());
    }

    private static int setup(int irq, Memory ring, Pointer handleOut) {
        return setupSized(irq, ring, (int) ring.size(), handleOut);
    }

    private static int setupSized(int irq, Memory ring, int size, Pointer handleOut) {
        Memory setup = AppCalls.zeroed(24);
        setup.setInt(0, irq);
        setup.setPointer(8, ring);
        setup.setInt(16, size);
        return SYSCALLS.mvSetupNotifications(setup, handleOut);
    }

    private int request(int version, long centre) {
        Memory params = AppCalls.zeroed(24);
        params.setInt(0, version);
        params.setLong(8, centre);
        params.setInt(16, AppCalls.TAG);
        return SYSCALLS.mvRequestNetwork(params, app.network);
    }
}
