package dev.mvsim.jna;

import static dev.mvsim.jna.AppCalls.SYSCALLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.link.FaultPlan;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * mvSetupNotifications and mvRequestNetwork answered by libmvhost with handles the kernel
 * reserved: the app must get the kernel's own handles and statuses (the host fails on close at
 * any divergence), and every case the reservation cannot decide must reach the kernel.
 */
@Timeout(30)
class ReservedHandlesLocalTest {

    private SimulatedCloud cloud;
    private InProcessHost host;
    private final AppCalls app = new AppCalls();
    private final Memory status = AppCalls.zeroed(4);

    @AfterEach
    void closeHost() {
        host.close();
        cloud.close();
    }

    @Test
    void setupAndRequestNeedNoExchange() {
        open(Duration.ZERO);

        assertThat(local(app::setupNotifications)).isZero();
        assertThat(local(app::requestNetwork)).isZero();
        assertThat(local(() -> SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status))).isZero();

        assertThat(status.getInt(0)).as("network status").isEqualTo(MvNetworkStatus.CONNECTED.code());
        assertThat(local(app::openChannel)).as("channel on the local centre and network").isZero();
        assertThat(exchanged(() -> app.sendFetch("missing"))).as("fetch on the local channel").isZero();
        assertThat(host.kernel().networkRequestStatuses()).containsOnlyKeys(app.network.getLong(0));
        assertThat(host.divergences()).isZero();
    }

    @Test
    void connectDelayGivesConnecting() {
        open(Duration.ofMillis(200));

        assertThat(local(app::setupNotifications)).isZero();
        assertThat(local(app::requestNetwork)).isZero();
        assertThat(local(() -> SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status))).isZero();

        assertThat(status.getInt(0)).as("network status").isEqualTo(MvNetworkStatus.CONNECTING.code());
        assertThat(host.kernel().networkRequestStatuses())
                .containsEntry(app.network.getLong(0), MvNetworkStatus.CONNECTING);
        assertThat(host.divergences()).isZero();
    }

    @Test
    void centreNotificationsReachLocalRing() {
        open(Duration.ZERO);
        assertThat(local(app::setupNotifications)).isZero();
        assertThat(local(app::requestNetwork)).isZero();

        // The REPORTs travel with this exchange, and the status changes they cause come back in its reply.
        assertThat(exchanged(() -> SYSCALLS.mvGetNetworkStatus(0, status))).isEqualTo(MvStatus.INVALIDHANDLE.code());

        assertThat(host.stats().notifications_written).as("NETWORKSTATUSCHANGED records").isEqualTo(2);
    }

    @Test
    void secondSetupGoesToKernel() {
        open(Duration.ZERO);
        assertThat(local(app::setupNotifications)).isZero();

        int second = exchanged(() -> setup(52, AppCalls.zeroed(4 * 16), AppCalls.handleSlot()));

        assertThat(second).isEqualTo(MvStatus.OKAY.code());
    }

    @Test
    void invalidSetupArgumentsGoToKernel() {
        open(Duration.ZERO);
        Memory ring = AppCalls.zeroed(8 * 16);
        Memory handle = AppCalls.handleSlot();

        assertThat(exchanged(() -> setup(52, ring, Pointer.NULL))).isEqualTo(MvStatus.PARAMETERFAULT.code());
        assertThat(exchanged(() -> setup(3, ring, handle))).as("secure-only IRQ")
                .isEqualTo(MvStatus.INVALIDINTERRUPT.code());
        assertThat(exchanged(() -> setup(125, ring, handle))).as("IRQ above FMAC_IRQn")
                .isEqualTo(MvStatus.INVALIDINTERRUPT.code());
        assertThat(exchanged(() -> setupSized(52, ring, 24, handle))).isEqualTo(MvStatus.INVALIDBUFFERSIZE.code());
        assertThat(exchanged(() -> setupSized(52, ring, 40, handle))).isEqualTo(MvStatus.INVALIDBUFFERSIZE.code());
        assertThat(exchanged(() -> SYSCALLS.mvSetupNotifications(Pointer.NULL, handle)))
                .isEqualTo(MvStatus.PARAMETERFAULT.code());
        assertThat(host.divergences()).isZero();
    }

    @Test
    void invalidRequestArgumentsGoToKernel() {
        open(Duration.ZERO);
        assertThat(local(app::setupNotifications)).isZero();

        assertThat(exchanged(() -> request(2, app.centre.getLong(0)))).isEqualTo(
                MvStatus.UNSUPPORTEDSTRUCTUREVERSION.code());
        assertThat(exchanged(() -> request(1, 0x1234))).as("untracked centre").isEqualTo(
                MvStatus.PARAMETERFAULT.code());
        assertThat(exchanged(() -> SYSCALLS.mvRequestNetwork(Pointer.NULL, app.network)))
                .isEqualTo(MvStatus.PARAMETERFAULT.code());
        assertThat(host.divergences()).isZero();
    }

    @Test
    void javaClockMoveSendsStatusToKernel() {
        open(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(local(app::setupNotifications)).isZero();

        // Inside the down window a new request stays CONNECTING, unlike what the state sent before the move predicted.
        host.kernel().advance(Duration.ofMillis(1500));

        assertThat(local(app::requestNetwork)).as("the handles stay on offer").isZero();
        assertThat(exchanged(() -> SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status))).isZero();
        assertThat(status.getInt(0)).as("network status").isEqualTo(MvNetworkStatus.CONNECTING.code());
        assertThat(host.divergences()).isZero();
    }

    @Test
    void statusSurvivingReleaseStaysLocal() {
        open(Duration.ofMillis(200));
        assertThat(local(app::setupNotifications)).isZero();
        assertThat(local(app::requestNetwork)).isZero();
        assertThat(local(() -> SYSCALLS.mvReleaseNetwork(app.network))).isZero();

        // Offline before and after the release, a new request reports CONNECTING either way.
        assertThat(local(app::requestNetwork)).isZero();

        assertThat(local(() -> SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status))).isZero();
        assertThat(status.getInt(0)).as("network status").isEqualTo(MvNetworkStatus.CONNECTING.code());
        assertThat(host.divergences()).isZero();
    }

    @Test
    void releaseOfConnectedDeviceSendsStatusToKernel() {
        open(Duration.ofMillis(200));
        assertThat(local(app::setupNotifications)).isZero();
        assertThat(local(app::requestNetwork)).isZero();
        host.kernel().advance(Duration.ofMillis(300));
        // This reply's state comes while the device is connected.
        assertThat(exchanged(() -> SYSCALLS.mvGetNetworkStatus(0, status))).isEqualTo(MvStatus.INVALIDHANDLE.code());
        assertThat(local(() -> SYSCALLS.mvReleaseNetwork(app.network))).isZero();

        // The release took the device offline, so a new request connects again after the delay.
        assertThat(local(app::requestNetwork)).isZero();

        assertThat(exchanged(() -> SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status))).isZero();
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
        cloud = SimulatedCloud.inMemory();
        AccountRecord account = cloud.createAccount();
        RegisteredDevice device = cloud.registerDevice(account.sid(), "reserved-handles");
        FaultPlan.Builder plan = FaultPlan.builder().connectDelay(connectDelay).latency(Duration.ZERO);
        if (downFrom != null) {
            plan.downBetween(downFrom, downFrom.plusSeconds(1));
        }
        DeviceKernel kernel = DeviceKernel.builder(device.sid(), cloud.itemDirectory()).faultPlan(plan.build()).seed(3).build();
        host = InProcessHost.open(kernel, InProcessHost.InterruptMode.SYNCHRONOUS);

        // The reply to this call brings the first RESERVED_HANDLES state.
        assertThat(exchanged(() -> SYSCALLS.mvGetNetworkStatus(0, status))).isEqualTo(MvStatus.INVALIDHANDLE.code());
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

    private int local(IntSupplier call) {
        return ExchangeCounts.answeredLocally(host, call);
    }

    private int exchanged(IntSupplier call) {
        return ExchangeCounts.exchangedOnce(host, call);
    }
}
