package dev.mvsim.jna;

import static dev.mvsim.jna.AppCalls.SYSCALLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import dev.mvsim.bridge.BridgeServer;
import dev.mvsim.bridge.ClockChoice;
import dev.mvsim.bridge.KernelSessions;
import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.ItemStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * libmvhost over a real bridge server after its connection broke once, through a relay. An app
 * that keeps its notification centre and network request across the loss must get local replies
 * again once the server reattached it to its kept kernel. After a reattachment to a fresh kernel,
 * no handle from before the loss may be answered locally. Every local answer is checked by the
 * kernel, and the tests fail on any divergence.
 */
@Timeout(60)
class ReattachedFetchTest {

    /** The bridge calls of libmvhost this test makes, bound to the copy LibMvHost loaded. */
    interface BridgeCalls extends Library {
        int mvhost_connect(String endpoint, String deviceSid, String deviceKeyHex);

        void mvhost_disconnect();

        int mvhost_bridge_connected();
    }

    private static final BridgeCalls BRIDGE = Native.load(LibMvHost.LIBRARY_NAME, BridgeCalls.class,
            Map.of(Library.OPTION_OPEN_FLAGS, 0x100 | 0x001));

    private static final String SECRET = "api-key";
    private static final String VALUE = "s3cr3t-value";
    /** No connect delay and no latency, so a fetch's response leads the reply to its request. */
    private static final FaultPlan INSTANT_LINK =
            FaultPlan.builder().connectDelay(Duration.ZERO).latency(Duration.ZERO).build();

    /**
     * Pause between connection attempts: the close made right after the loss gets libmvhost's
     * offline reply and is replayed at the reconnect, so the kernel's first RESPONSE leads the
     * replay's reply.
     */
    private static final String RECONNECT_LATER = "?reconnect_ms=100";
    /** No pause, so the first call after the loss reconnects. */
    private static final String RECONNECT_AT_ONCE = "?reconnect_ms=0";

    private final AppCalls app = new AppCalls();
    private final Memory status = AppCalls.zeroed(4);

    @Test
    void keptKernelFetchMakesOneExchange() throws Exception {
        try (Bridge bridge = new Bridge(ClockChoice.VIRTUAL, KernelSessions.DEFAULT_KEPT_KERNELS)) {
            bridge.connectWithNetwork(RECONNECT_LATER);
            assertThat(exchangesOf(this::fetch)).as("exchanges of a fetch before the loss").isEqualTo(1);

            breakLinkDuringFetch(bridge);
            awaitConnected();
            long first = exchangesOf(this::fetch);
            long second = exchangesOf(this::fetch);

            assertThat(first).as("exchanges of the first fetch after the reconnect").isEqualTo(1);
            assertThat(second).as("exchanges of the second fetch after the reconnect").isEqualTo(1);
            assertThat(exchangesOf(() -> SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status)))
                    .as("exchanges of a status poll").isZero();
            assertNoDivergence(bridge);
        }
    }

    @Test
    void keptWallKernelReleasesLocally() throws Exception {
        try (Bridge bridge = new Bridge(ClockChoice.WALL, KernelSessions.DEFAULT_KEPT_KERNELS)) {
            bridge.connectWithNetwork(RECONNECT_AT_ONCE);

            breakLinkDuringFetch(bridge);
            awaitConnected();

            // The centre and the network request date from before the loss, so only the kernel's list makes them known.
            assertThat(exchangesOf(() -> SYSCALLS.mvReleaseNetwork(app.network))).as("exchanges of the release")
                    .isZero();
            assertThat(exchangesOf(app::requestNetwork)).as("exchanges of a request on the old centre").isZero();
            assertThat(exchangesOf(() -> SYSCALLS.mvCloseNotifications(app.centre))).as("exchanges of the close")
                    .isZero();
            assertNoDivergence(bridge);
        }
    }

    @Test
    void oldHandlesReachFreshKernel() throws Exception {
        // Keeping no kernel, the server gives the reconnecting device a fresh one, as after its restart.
        try (Bridge bridge = new Bridge(ClockChoice.VIRTUAL, 0)) {
            bridge.connectWithNetwork(RECONNECT_AT_ONCE);
            assertThat(app.openChannel()).isEqualTo(MvStatus.OKAY.code());
            bridge.relay.breakAtNextRequest();
            assertThat(app.sendFetch(SECRET)).isNotEqualTo(MvStatus.OKAY.code());
            assertThat(bridge.relay.broke()).isTrue();
            assertThat(LibMvHost.mvhost_poll()).as("poll that reconnects").isZero();

            int channelClose = SYSCALLS.mvCloseChannel(app.channel);
            int statusPoll = SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status);
            int release = SYSCALLS.mvReleaseNetwork(app.network);
            int centreClose = SYSCALLS.mvCloseNotifications(app.centre);

            assertThat(channelClose).as("close of the old channel").isEqualTo(MvStatus.INVALIDHANDLE.code());
            assertThat(statusPoll).as("status of the old request").isEqualTo(MvStatus.INVALIDHANDLE.code());
            assertThat(release).as("release of the old request").isEqualTo(MvStatus.INVALIDHANDLE.code());
            assertThat(centreClose).as("close of the old centre").isEqualTo(MvStatus.INVALIDHANDLE.code());
            assertNoDivergence(bridge);
        }
    }

    /** Opens a channel, fetches the secret, reads it and closes the channel, on the centre and request kept. */
    private int fetch() {
        Memory data = AppCalls.zeroed(8);
        AppCalls.ItemRead item = new AppCalls.ItemRead(0, 64);

        assertThat(SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status)).isEqualTo(MvStatus.OKAY.code());
        assertThat(status.getInt(0)).as("network status").isEqualTo(MvNetworkStatus.CONNECTED.code());
        assertThat(app.openChannel()).as("open").isEqualTo(MvStatus.OKAY.code());
        assertThat(app.sendFetch(SECRET)).as("fetch request").isEqualTo(MvStatus.OKAY.code());
        assertThat(SYSCALLS.mvReadConfigFetchResponseData(app.channelHandle(), data)).isEqualTo(MvStatus.OKAY.code());
        assertThat(data.getInt(4)).as("item count").isEqualTo(1);
        assertThat(SYSCALLS.mvReadConfigResponseItem(app.channelHandle(), item.params))
                .isEqualTo(MvStatus.OKAY.code());
        assertThat(item.valueText()).isEqualTo(VALUE);
        return SYSCALLS.mvCloseChannel(app.channel);
    }

    /**
     * Breaks the connection at the fetch request of a channel the kernel opened, and closes that
     * channel while libmvhost is offline, as firmware does on CHANNELNOTCONNECTED.
     */
    private void breakLinkDuringFetch(Bridge bridge) {
        assertThat(app.openChannel()).isEqualTo(MvStatus.OKAY.code());
        bridge.relay.breakAtNextRequest();
        assertThat(app.sendFetch(SECRET)).as("fetch over the broken link").isNotEqualTo(MvStatus.OKAY.code());
        assertThat(bridge.relay.broke()).isTrue();
        assertThat(SYSCALLS.mvCloseChannel(app.channel)).as("close while offline").isEqualTo(MvStatus.OKAY.code());
    }

    /** Returns how many exchanges with the kernel the call made. */
    private static long exchangesOf(IntSupplier call) {
        LibMvHost.mvhost_stats before = new LibMvHost.mvhost_stats();
        LibMvHost.mvhost_get_stats(before);

        assertThat(call.getAsInt()).as("status of the call").isEqualTo(MvStatus.OKAY.code());

        LibMvHost.mvhost_stats after = new LibMvHost.mvhost_stats();
        LibMvHost.mvhost_get_stats(after);
        return after.exchanges - before.exchanges;
    }

    /** Sends the queued REPORTs ahead of a poll, whose reply comes once the kernel ran them, and checks them. */
    private static void assertNoDivergence(Bridge bridge) {
        assertThat(LibMvHost.mvhost_poll()).isZero();
        assertThat(bridge.sessions.divergences()).as("divergences").isZero();
    }

    /** Polls the network status, reconnecting on the way, until it is CONNECTED. */
    private void awaitConnected() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            if (SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status) == MvStatus.OKAY.code()
                    && status.getInt(0) == MvNetworkStatus.CONNECTED.code()
                    && BRIDGE.mvhost_bridge_connected() == 1) {
                return;
            }
            LibMvHost.mvhost_clock_sleep_us(1_000);
        }
        throw new AssertionError("the network did not connect within 1,000 polls");
    }

    /** A cloud with the secret, a bridge server on one clock, a relay in front of it, and libmvhost behind it. */
    private final class Bridge implements AutoCloseable {
        final SimulatedCloud cloud = SimulatedCloud.inMemory();
        final KernelSessions sessions;
        final BridgeServer server;
        final LinkBreakingRelay relay;

        Bridge(ClockChoice clock, int keptKernels) throws Exception {
            sessions = new KernelSessions(cloud.itemDirectory(), clock, INSTANT_LINK, keptKernels,
                    KernelSessions.DEFAULT_KEPT_FOR);
            server = BridgeServer.create(cloud.deviceKeys(), sessions)
                    .listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            relay = new LinkBreakingRelay(server.tcpPort());
        }

        void connectWithNetwork(String options) {
            AccountRecord account = cloud.createAccount();
            cloud.createItem(ItemId.account(account.sid(), ItemStore.SECRET, SECRET), VALUE);
            RegisteredDevice device = cloud.registerDevice(account.sid(), "reattaching");
            LibMvHost.mvhost_reset();
            assertThat(BRIDGE.mvhost_connect("tcp://127.0.0.1:" + relay.port() + options,
                    device.device().sid(), device.deviceKeyHex())).isZero();
            assertThat(app.setupNotifications()).isEqualTo(MvStatus.OKAY.code());
            assertThat(app.requestNetwork()).isEqualTo(MvStatus.OKAY.code());
            awaitConnected();
        }

        @Override
        public void close() throws Exception {
            BRIDGE.mvhost_disconnect();
            LibMvHost.mvhost_reset();
            relay.close();
            server.close();
            sessions.close();
            cloud.close();
        }
    }
}
