package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.link.FaultPlan;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * libmvhost, loaded into this JVM, loses its simulator and gets it back on the same port: in
 * between it returns what a device without a connection sees, and afterwards it reconnects on
 * its own at the next syscall.
 */
@Timeout(60)
class ReconnectTest {

    /** Built by Maven's generate-resources phase from native/. */
    private static final Path LIBRARY = Path.of("target/native/release/libmvhost.so");

    private static final int STATUS_OKAY = 0;
    private static final int NETWORK_STATUS_CONNECTING = 2;

    /** The few libmvhost calls this test makes. */
    interface Mvhost extends Library {
        int mvhost_connect(String endpoint, String deviceSid, String deviceKeyHex);

        void mvhost_disconnect();

        int mvhost_bridge_connected();

        int mvGetMicroseconds(LongByReference microseconds);

        int mvGetNetworkStatus(Pointer handle, IntByReference status);
    }

    private static BridgeServer startServer(SimulatedCloud cloud, int port) throws Exception {
        BridgeServer server = BridgeServer.create(cloud.deviceKeys(),
                new KernelSessions(cloud.itemDirectory(), ClockChoice.VIRTUAL, FaultPlan.none()));
        return server.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    @Test
    void harnessReconnectsWhenSimulatorReturns() throws Exception {
        assumeThat(Files.exists(LIBRARY)).as("libmvhost built at " + LIBRARY).isTrue();
        Mvhost mvhost = Native.load(LIBRARY.toAbsolutePath().toString(), Mvhost.class);
        try (SimulatedCloud cloud = SimulatedCloud.inMemory()) {
            RegisteredDevice device = cloud.registerDevice(cloud.createAccount().sid(), "reconnecting");
            BridgeServer first = startServer(cloud, 0);
            int port = first.tcpPort();
            String endpoint = "tcp://127.0.0.1:" + port + "?reconnect_ms=0";
            LongByReference microseconds = new LongByReference();
            IntByReference status = new IntByReference();

            assertThat(mvhost.mvhost_connect(endpoint, device.device().sid(), device.deviceKeyHex())).isZero();
            assertThat(mvhost.mvGetMicroseconds(microseconds)).isEqualTo(STATUS_OKAY);
            assertThat(mvhost.mvhost_bridge_connected()).isEqualTo(1);

            first.close();
            assertThat(mvhost.mvGetNetworkStatus(new Pointer(1), status)).isEqualTo(STATUS_OKAY);
            assertThat(status.getValue()).isEqualTo(NETWORK_STATUS_CONNECTING);
            assertThat(mvhost.mvhost_bridge_connected()).isZero();

            try (BridgeServer second = startServer(cloud, port)) {
                assertThat(mvhost.mvGetMicroseconds(microseconds)).isEqualTo(STATUS_OKAY);
                assertThat(mvhost.mvhost_bridge_connected()).isEqualTo(1);
                assertThat(second.stats().authenticated()).isEqualTo(1);
            }
        } finally {
            mvhost.mvhost_disconnect();
        }
    }
}
