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
import dev.mvsim.kernel.MvEventType;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.link.FaultPlan;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * libmvhost over a real bridge server, through a relay that breaks the connection after the
 * kernel ran a call and before its reply arrives. After the reconnect the kernel and the app must
 * agree on what that call did, and no local reply may diverge from the kernel's.
 */
@Timeout(60)
class ResumeOverBridgeTest {

    /** The bridge calls of libmvhost this test makes, bound to the copy LibMvHost loaded. */
    interface BridgeCalls extends Library {
        int mvhost_connect(String endpoint, String deviceSid, String deviceKeyHex);

        void mvhost_disconnect();

        int mvhost_bridge_connected();
    }

    private static final BridgeCalls BRIDGE = Native.load(LibMvHost.LIBRARY_NAME, BridgeCalls.class,
            Map.of(Library.OPTION_OPEN_FLAGS, 0x100 | 0x001));

    private static final int CHANNELDATAREADABLE = MvEventType.CHANNELDATAREADABLE.code();

    private final AppCalls app = new AppCalls();
    private final Memory status = AppCalls.zeroed(4);

    @Test
    void lostOpenLeavesBuffersFree() throws Exception {
        // On the wall clock libmvhost never replies to mvOpenChannel itself, so the open reaches the kernel.
        try (Bridge bridge = new Bridge(ClockChoice.WALL)) {
            bridge.connectWithNetwork();

            // The kernel opens the channel; the reply never arrives, so the app gets the offline reply.
            bridge.relay.breakAtNextReply();
            assertThat(app.openChannel()).isEqualTo(MvStatus.NETWORKNOTCONNECTED.code());
            assertThat(bridge.relay.broke()).isTrue();

            awaitConnected();
            assertThat(app.openChannel()).as("the kernel closed the channel the app never got")
                    .isEqualTo(MvStatus.OKAY.code());
            assertThat(SYSCALLS.mvCloseChannel(app.channel)).isEqualTo(MvStatus.OKAY.code());
            assertThat(bridge.sessions.divergences()).isZero();
        }
    }

    @Test
    void openKeptOverLossRunsBeforeIt() throws Exception {
        try (Bridge bridge = new Bridge(ClockChoice.VIRTUAL)) {
            bridge.connectWithNetwork();

            // Answered by libmvhost; its REPORT travels with the fetch, which never reaches the server.
            assertThat(app.openChannel()).isEqualTo(MvStatus.OKAY.code());
            bridge.relay.breakAtNextRequest();
            assertThat(app.sendFetch("api-key")).isNotEqualTo(MvStatus.OKAY.code());
            assertThat(bridge.relay.broke()).isTrue();
            assertThat(SYSCALLS.mvCloseChannel(app.channel)).isEqualTo(MvStatus.OKAY.code());

            // The kept open must meet the network as the app saw it, connected, and the close must free its buffers.
            awaitConnected();
            assertThat(app.openChannel()).isEqualTo(MvStatus.OKAY.code());
            assertThat(SYSCALLS.mvCloseChannel(app.channel)).isEqualTo(MvStatus.OKAY.code());
            awaitConnected();
            assertThat(bridge.sessions.divergences()).isZero();
        }
    }

    @Test
    void pushLostUnreadArrivesOnce() throws Exception {
        try (Bridge bridge = new Bridge(ClockChoice.WALL)) {
            bridge.connectWithNetwork();
            assertThat(app.openChannel()).isEqualTo(MvStatus.OKAY.code());

            // The fetch's response comes after the link's latency, in a push that the relay swallows.
            assertThat(app.sendFetch("api-key")).isEqualTo(MvStatus.OKAY.code());
            bridge.relay.breakAtNextReply();
            for (int wait = 0; wait < 5_000 && !bridge.relay.broke(); wait++) {
                // A wall-clock wait reads pushes from the socket without an exchange, as HAL_Delay does.
                LibMvHost.mvhost_clock_wait_us(1_000, 1_000);
            }
            assertThat(bridge.relay.broke()).isTrue();

            awaitConnected();
            int[] events = app.ringEventTypes();
            assertThat(Arrays.stream(events).filter(event -> event == CHANNELDATAREADABLE).count())
                    .as("CHANNELDATAREADABLE records in the ring %s", Arrays.toString(events)).isEqualTo(1);
            int written = (int) Arrays.stream(events).filter(event -> event != 0).count();
            assertThat(Arrays.copyOf(events, written)).as("no empty slot before a record").doesNotContain(0);
            assertThat(bridge.sessions.divergences()).isZero();
        }
    }

    /** A cloud, a bridge server on one clock, a relay in front of it, and libmvhost connected through it. */
    private final class Bridge implements AutoCloseable {
        final SimulatedCloud cloud = SimulatedCloud.inMemory();
        final KernelSessions sessions;
        final BridgeServer server;
        final LinkBreakingRelay relay;

        Bridge(ClockChoice clock) throws Exception {
            sessions = new KernelSessions(cloud.itemDirectory(), clock, FaultPlan.none());
            server = BridgeServer.create(cloud.deviceKeys(), sessions)
                    .listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            relay = new LinkBreakingRelay(server.tcpPort());
        }

        void connectWithNetwork() {
            RegisteredDevice device = cloud.registerDevice(cloud.createAccount().sid(), "resuming");
            LibMvHost.mvhost_reset();
            assertThat(BRIDGE.mvhost_connect("tcp://127.0.0.1:" + relay.port() + "?reconnect_ms=0",
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
}
