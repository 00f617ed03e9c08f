package dev.mvsim.jna;

import static dev.mvsim.jna.AppCalls.SYSCALLS;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import dev.mvsim.bridge.BridgeServer;
import dev.mvsim.bridge.KernelSessions;
import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.link.ItemDirectory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Function;

/**
 * A cloud, a bridge server on loopback, a {@link LinkBreakingRelay} in front of it, and libmvhost
 * (loaded into this JVM) connected through the relay as one device, for tests that break the link.
 */
final class RelayedBridge implements AutoCloseable {

    /** The bridge calls of libmvhost these tests make, bound to the copy LibMvHost loaded. */
    interface BridgeCalls extends Library {
        int mvhost_connect(String endpoint, String deviceSid, String deviceKeyHex);

        void mvhost_disconnect();

        int mvhost_bridge_connected();
    }

    /** Bound with LibMvHost's open flags (RTLD_GLOBAL | RTLD_LAZY), so JNA reuses the library LibMvHost loaded. */
    static final BridgeCalls BRIDGE = Native.load(LibMvHost.LIBRARY_NAME, BridgeCalls.class,
            Map.of(Library.OPTION_OPEN_FLAGS, 0x100 | 0x001));

    /** Status polls a test makes at most while it waits for the network, 1 ms of device time apart. */
    private static final int MAX_CONNECT_POLLS = 1000;

    final SimulatedCloud cloud = SimulatedCloud.inMemory();
    /** The current server's sessions; {@link #restartServer} replaces them. */
    KernelSessions sessions;
    BridgeServer server;
    final LinkBreakingRelay relay;
    private final AppCalls app;
    private final Function<ItemDirectory, KernelSessions> sessionsFor;
    private final Memory status = AppCalls.zeroed(4);

    /** Starts the server with the sessions {@code sessionsFor} makes over the cloud's items, and the relay. */
    RelayedBridge(AppCalls app, Function<ItemDirectory, KernelSessions> sessionsFor) throws Exception {
        this.app = app;
        this.sessionsFor = sessionsFor;
        sessions = sessionsFor.apply(cloud.itemDirectory());
        server = BridgeServer.create(cloud.deviceKeys(), sessions)
                .listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        relay = new LinkBreakingRelay(server.tcpPort());
    }

    /**
     * Connects libmvhost as {@code device} through the relay with the MVHOST_CONNECT query
     * {@code options} (such as {@code ?reconnect_ms=0}), sets up the app's notification centre and
     * network request, and waits until the network is connected.
     */
    void connectWithNetwork(RegisteredDevice device, String options) {
        LibMvHost.mvhost_reset();
        assertThat(BRIDGE.mvhost_connect("tcp://127.0.0.1:" + relay.port() + options,
                device.device().sid(), device.deviceKeyHex())).isZero();
        assertThat(app.setupNotifications()).isEqualTo(MvStatus.OKAY.code());
        assertThat(app.requestNetwork()).isEqualTo(MvStatus.OKAY.code());
        awaitConnected();
    }

    /**
     * Closes the server and its sessions, which drops every kernel, and starts a new server with
     * new sessions on the same port over the same cloud, as a simulator restarted on its data
     * directory. The relay's connection breaks with the old server's.
     */
    void restartServer() throws Exception {
        int port = server.tcpPort();
        server.close();
        sessions.close();
        sessions = sessionsFor.apply(cloud.itemDirectory());
        server = BridgeServer.create(cloud.deviceKeys(), sessions)
                .listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Polls until libmvhost has connected to the current server, which it finds only at a call. */
    void awaitReconnected() throws InterruptedException {
        for (int poll = 0; poll < MAX_CONNECT_POLLS; poll++) {
            LibMvHost.mvhost_poll();
            if (server.stats().authenticated() > 0 && BRIDGE.mvhost_bridge_connected() == 1) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("libmvhost did not connect to the restarted server within " + MAX_CONNECT_POLLS
                + " polls");
    }

    /** Polls the network status, reconnecting on the way, until it is CONNECTED. */
    void awaitConnected() {
        for (int poll = 0; poll < MAX_CONNECT_POLLS; poll++) {
            if (SYSCALLS.mvGetNetworkStatus(app.network.getLong(0), status) == MvStatus.OKAY.code()
                    && status.getInt(0) == MvNetworkStatus.CONNECTED.code()
                    && BRIDGE.mvhost_bridge_connected() == 1) {
                return;
            }
            LibMvHost.mvhost_clock_sleep_us(1_000);
        }
        throw new AssertionError("the network did not connect within " + MAX_CONNECT_POLLS + " polls");
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
