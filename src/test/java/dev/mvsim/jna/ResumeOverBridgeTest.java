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
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.link.FaultPlan;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * libmvhost over a real bridge server, through a relay that breaks the connection after the
 * kernel ran a call and before its reply arrives. After the reconnect the kernel and the app must
 * agree on what that call did, and no local answer may diverge from the kernel.
 */
@Timeout(60)
class ResumeOverBridgeTest {

    /** The bridge calls of libmvhost this test makes, bound to the copy LibMvHost loaded. */
    interface Bridge extends Library {
        int mvhost_connect(String endpoint, String deviceSid, String deviceKeyHex);

        void mvhost_disconnect();

        int mvhost_bridge_connected();
    }

    private static final Bridge BRIDGE = Native.load(LibMvHost.LIBRARY_NAME, Bridge.class,
            Map.of(Library.OPTION_OPEN_FLAGS, 0x100 | 0x001));

    private final AppCalls app = new AppCalls();
    private final Memory status = AppCalls.zeroed(4);

    @Test
    void lostOpenLeavesBuffersFree() throws Exception {
        try (SimulatedCloud cloud = SimulatedCloud.inMemory();
             KernelSessions sessions = new KernelSessions(cloud.itemDirectory(), ClockChoice.VIRTUAL, FaultPlan.none());
             BridgeServer server = BridgeServer.create(cloud.deviceKeys(), sessions)
                     .listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             ReplyDroppingRelay relay = new ReplyDroppingRelay(server.tcpPort())) {
            RegisteredDevice device = cloud.registerDevice(cloud.createAccount().sid(), "resuming");
            LibMvHost.mvhost_reset();
            assertThat(BRIDGE.mvhost_connect("tcp://127.0.0.1:" + relay.port() + "?reconnect_ms=0",
                    device.device().sid(), device.deviceKeyHex())).isZero();
            assertThat(app.setupNotifications()).isEqualTo(MvStatus.OKAY.code());
            assertThat(app.requestNetwork()).isEqualTo(MvStatus.OKAY.code());
            awaitConnected();

            // The kernel opens the channel; the reply never arrives, so the app gets the offline answer.
            relay.dropNextReply();
            assertThat(app.openChannel()).isEqualTo(MvStatus.NETWORKNOTCONNECTED.code());
            assertThat(relay.dropped()).isTrue();

            awaitConnected();
            assertThat(app.openChannel()).as("the kernel closed the channel the app never got")
                    .isEqualTo(MvStatus.OKAY.code());
            assertThat(SYSCALLS.mvCloseChannel(app.channel)).isEqualTo(MvStatus.OKAY.code());
            assertThat(sessions.divergences()).isZero();
        } finally {
            BRIDGE.mvhost_disconnect();
            LibMvHost.mvhost_reset();
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
