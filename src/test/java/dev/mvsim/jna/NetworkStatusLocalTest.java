package dev.mvsim.jna;

import static dev.mvsim.jna.AppCalls.SYSCALLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.mvsim.kernel.Clock;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.Out;
import dev.mvsim.kernel.TraceEntry;
import dev.mvsim.kernel.WallClock;
import dev.mvsim.link.FaultPlan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * mvGetNetworkStatus answered by libmvhost from the kernel's NETWORK states: each local answer
 * must equal the kernel's (the host fails on close otherwise), and every case the cache cannot
 * decide must reach the kernel.
 */
class NetworkStatusLocalTest {

    private static final Duration CONNECT_DELAY = Duration.ofMillis(200);

    @RegisterExtension
    final InProcessDevice device = new InProcessDevice("network-status");
    private InProcessHost host;
    private final AppCalls app = new AppCalls();
    private final Memory status = AppCalls.zeroed(4);

    @Test
    void cachedStatusNeedsNoExchange() {
        openWithNetwork(null);

        int result = device.answeredLocally(() -> SYSCALLS.mvGetNetworkStatus(networkHandle(), status));

        assertThat(result).isEqualTo(MvStatus.OKAY.code());
        assertThat(status.getInt(0)).isEqualTo(MvNetworkStatus.CONNECTING.code());
        List<TraceEntry> trace = host.kernel().trace();
        assertThat(trace.get(trace.size() - 1).call()).as("REPORT re-run by the kernel").isEqualTo("mvGetNetworkStatus");
        assertThat(host.divergences()).isZero();
    }

    @Test
    void clockMoveReachesCacheBeforeNextCall() {
        openWithNetwork(null);
        assertThat(device.answeredLocally(() -> SYSCALLS.mvGetNetworkStatus(networkHandle(), status))).isZero();

        host.kernel().advance(CONNECT_DELAY);
        int result = device.answeredLocally(() -> SYSCALLS.mvGetNetworkStatus(networkHandle(), status));

        assertThat(result).isEqualTo(MvStatus.OKAY.code());
        assertThat(status.getInt(0)).isEqualTo(MvNetworkStatus.CONNECTED.code());
    }

    @Test
    void directClockMoveKeepsReportsExact() {
        openWithNetwork(null);
        DeviceKernel kernel = host.session().kernel();
        assertThat(device.answeredLocally(() -> SYSCALLS.mvGetNetworkStatus(networkHandle(), status))).isZero();

        kernel.advance(CONNECT_DELAY);
        int result = device.answeredLocally(() -> SYSCALLS.mvGetNetworkStatus(networkHandle(), status));

        assertThat(result).isEqualTo(MvStatus.OKAY.code());
        assertThat(status.getInt(0)).isEqualTo(MvNetworkStatus.CONNECTED.code());
        host.flush();
        assertThat(host.divergences()).isZero();
    }

    @Test
    void linkDropReachesCacheBeforeNextCall() {
        openWithNetwork(null);
        host.kernel().advance(CONNECT_DELAY);

        host.kernel().holdLinkDown(true);
        int result = device.answeredLocally(() -> SYSCALLS.mvGetNetworkStatus(networkHandle(), status));

        assertThat(result).isEqualTo(MvStatus.OKAY.code());
        assertThat(status.getInt(0)).isEqualTo(MvNetworkStatus.CONNECTING.code());
    }

    @Test
    void nullStatusGoesToKernel() {
        openWithNetwork(null);

        assertThat(device.exchangedOnce(() -> SYSCALLS.mvGetNetworkStatus(networkHandle(), Pointer.NULL)))
                .isEqualTo(MvStatus.PARAMETERFAULT.code());
    }

    @Test
    void unknownHandleGoesToKernel() {
        openWithNetwork(null);

        assertThat(device.exchangedOnce(() -> SYSCALLS.mvGetNetworkStatus(networkHandle() ^ 1, status)))
                .isEqualTo(MvStatus.INVALIDHANDLE.code());
    }

    @Test
    void releasedHandleGoesToKernel() {
        openWithNetwork(null);
        long released = networkHandle();
        assertThat(SYSCALLS.mvReleaseNetwork(app.network)).isZero();

        assertThat(device.exchangedOnce(() -> SYSCALLS.mvGetNetworkStatus(released, status)))
                .isEqualTo(MvStatus.INVALIDHANDLE.code());
    }

    @Test
    void wallClockGoesToKernel() {
        openWithNetwork(new WallClock());

        assertThat(device.exchangedOnce(() -> SYSCALLS.mvGetNetworkStatus(networkHandle(), status)))
                .isEqualTo(MvStatus.OKAY.code());
    }

    @Test
    void releaseBehindAppIsDivergence() {
        openWithNetwork(null);
        assertThat(host.kernel().mvReleaseNetwork(new Out.Handle(networkHandle()))).isEqualTo(MvStatus.OKAY);

        assertThat(SYSCALLS.mvGetNetworkStatus(networkHandle(), status)).isZero();

        assertThatThrownBy(host::close).isInstanceOf(AssertionError.class)
                .hasMessageContaining("mvGetNetworkStatus")
                .hasMessageContaining("the kernel INVALIDHANDLE");
    }

    /** Opens a host on a kernel whose network connects after CONNECT_DELAY, and requests the network. */
    private void openWithNetwork(Clock clock) {
        FaultPlan plan = FaultPlan.builder().connectDelay(CONNECT_DELAY).latency(Duration.ZERO).build();
        host = device.open(kernel -> {
            kernel.faultPlan(plan).seed(5);
            if (clock != null) {
                kernel.clock(clock);
            }
        });

        assertThat(app.setupNotifications()).isZero();
        assertThat(app.requestNetwork()).isZero();
    }

    private long networkHandle() {
        return app.network.getLong(0);
    }
}
