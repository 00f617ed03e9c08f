package dev.mvsim.bridge;

import dev.mvsim.link.DeviceKeys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A bridge server on a free loopback port with two devices and counting sessions. Registered as
 * an extension, it starts before each test and stops after it.
 */
final class BridgeFixture implements BeforeEachCallback, AfterEachCallback {

    static final String DEVICE_A = "UV00000000000000000000000000000001";
    static final String DEVICE_B = "UV00000000000000000000000000000002";
    static final byte[] KEY_A = key(0xA0);
    static final byte[] KEY_B = key(0xB0);

    final Map<String, CountingSession> sessions = new ConcurrentHashMap<>();
    BridgeServer server;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Map<String, byte[]> keys = new HashMap<>();
        keys.put(DEVICE_A, KEY_A);
        keys.put(DEVICE_B, KEY_B);
        DeviceKeys deviceKeys = sid -> Optional.ofNullable(keys.get(sid));
        server = BridgeServer.create(deviceKeys, (sid, clock) -> {
            CountingSession session = new CountingSession(sid, clock);
            sessions.put(sid, session);
            return session;
        });
        server.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.tcpPort());
    }

    BridgeClient connectA() throws Exception {
        return BridgeClient.connect(address(), DEVICE_A, KEY_A, ClockChoice.VIRTUAL);
    }

    static byte[] key(int first) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (first + i);
        }
        return key;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.close();
    }
}
