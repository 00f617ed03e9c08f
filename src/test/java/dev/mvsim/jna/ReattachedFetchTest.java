package dev.mvsim.jna;

import static dev.mvsim.jna.AppCalls.SYSCALLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import dev.mvsim.bridge.ClockChoice;
import dev.mvsim.bridge.KernelSessions;
import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.kernel.MvClosureReason;
import dev.mvsim.kernel.MvEventType;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.ItemStore;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * libmvhost over a real bridge server after its connection broke once, through a relay. An app
 * that keeps its notification centre and network request across the loss must get local replies
 * again once the server reattached it to its kept kernel. When the reconnection meets a fresh
 * kernel (the server kept none, or restarted), the app's old handles must behave as after a lost
 * cloud connection. Every local answer is checked by the kernel, and the tests fail on any
 * divergence.
 */
@Timeout(60)
class ReattachedFetchTest {

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

    private static final int NETWORK_STATUS_CHANGED = MvEventType.NETWORKSTATUSCHANGED.code();
    private static final int CHANNEL_DATA_READABLE = MvEventType.CHANNELDATAREADABLE.code();
    private static final int CHANNEL_NOT_CONNECTED = MvEventType.CHANNELNOTCONNECTED.code();

    private final AppCalls app = new AppCalls();
    private final Memory status = AppCalls.zeroed(4);

    @Test
    void keptKernelFetchMakesOneExchange() throws Exception {
        try (RelayedBridge bridge = connectedBridge(ClockChoice.VIRTUAL, KernelSessions.DEFAULT_KEPT_KERNELS,
                RECONNECT_LATER)) {
            assertThat(exchangesOf(this::fetch)).as("exchanges of a fetch before the loss").isEqualTo(1);

            breakLinkDuringFetch(bridge);
            bridge.awaitConnected();
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
        try (RelayedBridge bridge = connectedBridge(ClockChoice.WALL, KernelSessions.DEFAULT_KEPT_KERNELS,
                RECONNECT_AT_ONCE)) {

            breakLinkDuringFetch(bridge);
            bridge.awaitConnected();

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
    void freshKernelKeepsOldHandles() throws Exception {
        // Keeping no kernel, the server gives the reconnecting device a fresh one, as after its restart.
        try (RelayedBridge bridge = connectedBridge(ClockChoice.VIRTUAL, 0, RECONNECT_AT_ONCE)) {
            assertThat(app.openChannel()).isEqualTo(MvStatus.OKAY.code());
            bridge.relay.breakAtNextRequest();
            assertThat(app.sendFetch(SECRET)).isNotEqualTo(MvStatus.OKAY.code());
            assertThat(bridge.relay.broke()).isTrue();
            assertThat(LibMvHost.mvhost_poll()).as("poll that reconnects").isZero();

            assertOldHandlesWork(bridge);
        }
    }

    @Test
    void restartedServerKeepsOldHandles() throws Exception {
        try (RelayedBridge bridge = connectedBridge(ClockChoice.VIRTUAL, KernelSessions.DEFAULT_KEPT_KERNELS,
                RECONNECT_AT_ONCE)) {
            restartWithOpenChannel(bridge);

            assertOldHandlesWork(bridge);
            // Connecting, connected, the loss's two records, connected again, then the fetch's response.
            assertThat(app.ringEventTypes()).as("event types in ring order").containsExactly(
                    NETWORK_STATUS_CHANGED, NETWORK_STATUS_CHANGED, NETWORK_STATUS_CHANGED, CHANNEL_NOT_CONNECTED,
                    NETWORK_STATUS_CHANGED, CHANNEL_DATA_READABLE, 0, 0);
            assertOldCentreAndRequestClose(bridge);
        }
    }

    @Test
    void restartedWallServerKeepsOldHandles() throws Exception {
        try (RelayedBridge bridge = connectedBridge(ClockChoice.WALL, KernelSessions.DEFAULT_KEPT_KERNELS,
                RECONNECT_AT_ONCE)) {
            restartWithOpenChannel(bridge);

            assertOldHandlesWork(bridge);
            assertOldCentreAndRequestClose(bridge);
        }
    }

    /**
     * Opens a channel, lets the kernel's records so far reach the ring (so that the fresh kernel's
     * must follow them), then restarts the server and waits for libmvhost to reconnect.
     */
    private void restartWithOpenChannel(RelayedBridge bridge) throws Exception {
        assertThat(app.openChannel()).isEqualTo(MvStatus.OKAY.code());
        assertThat(LibMvHost.mvhost_poll()).as("poll before the restart").isZero();

        bridge.restartServer();
        bridge.awaitReconnected();
    }

    /** Checks that the ring never overran and that the old request and centre release with OKAY. */
    private void assertOldCentreAndRequestClose(RelayedBridge bridge) {
        assertThat(ringOverruns()).as("ring overruns").isZero();
        assertThat(SYSCALLS.mvReleaseNetwork(app.network)).as("release of the old request")
                .isEqualTo(MvStatus.OKAY.code());
        assertThat(SYSCALLS.mvCloseNotifications(app.centre)).as("close of the old centre")
                .isEqualTo(MvStatus.OKAY.code());
        assertNoDivergence(bridge);
    }

    /**
     * Checks what a device shows after a lost cloud connection: the old channel is closed with
     * NETWORKDISCONNECTED and closes with OKAY, and a full fetch on the old centre and network
     * request succeeds once the network connects again.
     */
    private void assertOldHandlesWork(RelayedBridge bridge) {
        Memory reason = AppCalls.zeroed(4);
        assertThat(SYSCALLS.mvGetChannelClosureReason(app.channelHandle(), reason)).as("closure reason call")
                .isEqualTo(MvStatus.OKAY.code());
        assertThat(reason.getInt(0)).as("closure reason")
                .isEqualTo(MvClosureReason.NETWORKDISCONNECTED.code());
        assertThat(SYSCALLS.mvCloseChannel(app.channel)).as("close of the old channel")
                .isEqualTo(MvStatus.OKAY.code());

        bridge.awaitConnected();
        assertThat(fetch()).as("close after a fetch on the old centre and request").isEqualTo(MvStatus.OKAY.code());
        assertNoDivergence(bridge);
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
    private void breakLinkDuringFetch(RelayedBridge bridge) {
        assertThat(app.openChannel()).isEqualTo(MvStatus.OKAY.code());
        bridge.relay.breakAtNextRequest();
        assertThat(app.sendFetch(SECRET)).as("fetch over the broken link").isNotEqualTo(MvStatus.OKAY.code());
        assertThat(bridge.relay.broke()).isTrue();
        assertThat(SYSCALLS.mvCloseChannel(app.channel)).as("close while offline").isEqualTo(MvStatus.OKAY.code());
    }

    private static long ringOverruns() {
        LibMvHost.mvhost_stats stats = new LibMvHost.mvhost_stats();
        LibMvHost.mvhost_get_stats(stats);
        return stats.ring_overruns;
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
    private static void assertNoDivergence(RelayedBridge bridge) {
        assertThat(LibMvHost.mvhost_poll()).isZero();
        assertThat(bridge.sessions.divergences()).as("divergences").isZero();
    }

    /**
     * Starts a bridge on {@code clock} that keeps {@code keptKernels} kernels of disconnected
     * devices, creates the account secret, and connects libmvhost with {@code options}.
     */
    private RelayedBridge connectedBridge(ClockChoice clock, int keptKernels, String options) throws Exception {
        RelayedBridge bridge = new RelayedBridge(app, items -> new KernelSessions(items, clock, INSTANT_LINK,
                keptKernels, KernelSessions.DEFAULT_KEPT_FOR));
        AccountRecord account = bridge.cloud.createAccount();
        bridge.cloud.createItem(ItemId.account(account.sid(), ItemStore.SECRET, SECRET), VALUE);
        RegisteredDevice device = bridge.cloud.registerDevice(account.sid(), "reattaching");
        bridge.connectWithNetwork(device, options);
        return bridge;
    }
}
