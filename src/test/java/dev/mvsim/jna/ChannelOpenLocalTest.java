package dev.mvsim.jna;

import static dev.mvsim.jna.AppCalls.SYSCALLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.link.FaultPlan;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * mvOpenChannel answered by libmvhost with a handle the kernel reserved, within the OPEN_BUDGET
 * the kernel sent. The kernel replays each local open and the host fails on close at any
 * divergence, so every open the kernel's limits, buffers or network would reject must reach it.
 */
@Timeout(30)
class ChannelOpenLocalTest {

    @RegisterExtension
    final InProcessDevice device = new InProcessDevice("local-open");
    private InProcessHost host;
    private final AppCalls app = new AppCalls();
    private final Memory status = AppCalls.zeroed(4);

    @Test
    void fetchOpensChannelLocally() {
        open(Duration.ZERO);
        startFetch();

        assertThat(device.answeredLocally(app::openChannel)).isZero();

        assertThat(app.channelHandle()).isNotZero();
        assertThat(device.exchangedOnce(() -> app.sendFetch("missing"))).as("fetch on the local channel").isZero();
        assertThat(host.kernel().appBufferHolders()).as("centre and channel").contains(app.channelHandle());
        assertThat(host.divergences()).isZero();
    }

    @Test
    void ninthOpenInSecondGoesToKernel() {
        open(Duration.ZERO);
        startFetch();
        int localOpens = 0;
        for (int i = 0; i < 8; i++) {
            long before = host.stats().local_answers;
            assertThat(app.openChannel()).as("open %d", i + 1).isZero();
            localOpens += (int) (host.stats().local_answers - before);
            assertThat(SYSCALLS.mvCloseChannel(app.channel)).as("close %d", i + 1).isZero();
        }
        // The reply brings a budget with every channel free and the 8 opens inside the window.
        assertThat(device.exchangedOnce(() -> SYSCALLS.mvGetNetworkStatus(0, status)))
                .isEqualTo(MvStatus.INVALIDHANDLE.code());

        int ninth = device.exchangedOnce(app::openChannel);

        assertThat(ninth).isEqualTo(MvStatus.RATELIMITED.code());
        assertThat(localOpens).as("opens answered locally").isPositive();
        assertThat(host.divergences()).isZero();
    }

    @Test
    void openWhileConnectingGoesToKernel() {
        open(Duration.ofMillis(200));
        startFetch();

        int opened = device.exchangedOnce(app::openChannel);

        assertThat(opened).isEqualTo(MvStatus.NETWORKNOTCONNECTED.code());
        assertThat(host.divergences()).isZero();
    }

    @Test
    void buffersInUseGoToKernel() {
        open(Duration.ZERO);
        startFetch();
        assertThat(device.answeredLocally(app::openChannel)).isZero();

        int second = device.exchangedOnce(app::openChannel);

        assertThat(second).as("same buffers again").isEqualTo(MvStatus.BUFFERALREADYINUSE.code());
        assertThat(host.divergences()).isZero();
    }

    @Test
    void openAfterSilentLinkLossGoesToKernel() {
        open(Duration.ZERO);
        startFetch();
        assertThat(device.exchangedOnce(() -> SYSCALLS.mvGetNetworkStatus(0, status)))
                .isEqualTo(MvStatus.INVALIDHANDLE.code());

        // A move that writes no record still reaches libmvhost as a NETWORK state, pushed at once.
        host.kernel().holdLinkDownUnannounced();
        int opened = device.exchangedOnce(app::openChannel);

        assertThat(opened).isEqualTo(MvStatus.NETWORKNOTCONNECTED.code());
        assertThat(host.divergences()).isZero();
    }

    @Test
    void invalidOpenGoesToKernel() {
        open(Duration.ZERO);
        startFetch();

        int opened = device.exchangedOnce(() -> SYSCALLS.mvOpenChannel(AppCalls.zeroed(80), app.channel));

        assertThat(opened).as("version 0").isEqualTo(MvStatus.UNSUPPORTEDSTRUCTUREVERSION.code());
        assertThat(host.divergences()).isZero();
    }

    /** Sets up the centre, requests the network and polls its status, all answered locally. */
    private void startFetch() {
        assertThat(device.answeredLocally(app::setupNotifications)).isZero();
        assertThat(device.answeredLocally(app::requestNetwork)).isZero();
        assertThat(device.answeredLocally(() -> SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status))).isZero();
    }

    /** Opens a host on a kernel whose network connects after {@code connectDelay}, and makes one exchange. */
    private void open(Duration connectDelay) {
        FaultPlan plan = FaultPlan.builder().connectDelay(connectDelay).latency(Duration.ZERO).build();
        host = device.open(kernel -> kernel.faultPlan(plan).seed(5));

        // The reply to this call brings the first RESERVED_HANDLES and OPEN_BUDGET states.
        assertThat(device.exchangedOnce(() -> SYSCALLS.mvGetNetworkStatus(0, status)))
                .isEqualTo(MvStatus.INVALIDHANDLE.code());
    }
}
