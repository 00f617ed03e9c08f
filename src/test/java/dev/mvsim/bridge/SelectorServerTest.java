package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvsim.link.DeviceKeys;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.Opcode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The selector server's socket behaviour: several packets per read, replies, pushes, sleeps and deadlines. */
@Timeout(20)
class SelectorServerTest {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(300);
    /** Long enough for a whole handshake on a loaded 2-core machine, where 300 ms was not always. */
    private static final Duration ROOMY_HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);

    private final Map<String, ScriptedSession> sessions = new ConcurrentHashMap<>();
    private volatile boolean wallClock;
    private volatile byte[] firstPush;
    private BridgeServer server;

    private BridgeServer start() throws IOException {
        return start(HANDSHAKE_TIMEOUT);
    }

    private BridgeServer start(Duration handshakeTimeout) throws IOException {
        Map<String, byte[]> keys = Map.of(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A,
                BridgeFixture.DEVICE_B, BridgeFixture.KEY_B);
        DeviceKeys deviceKeys = sid -> Optional.ofNullable(keys.get(sid));
        server = BridgeServer.create(deviceKeys, (sid, clock) -> {
            ScriptedSession session = new ScriptedSession(wallClock);
            if (firstPush != null) {
                session.toPush.add(firstPush);
            }
            sessions.put(sid, session);
            return session;
        }, handshakeTimeout);
        return server.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private BridgeClient connect(String sid, byte[] key) throws Exception {
        return BridgeClient.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.tcpPort()), sid, key,
                ClockChoice.SERVER_DEFAULT);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] request(int sequence, boolean replyExpected) {
        return FrameCodec.encode(new Frame.Request(sequence, Opcode.MV_GET_MICROSECONDS, replyExpected,
                List.of(Field.Pointer.at(0x20001000L))));
    }

    private static byte[] sleep(int sequence, long micros) {
        return FrameCodec.encode(new Frame.Control(sequence, Opcode.HARNESS_SLEEP, List.of(new Field.U64(micros))));
    }

    private static List<Integer> sequences(byte[] packet) throws Exception {
        return FrameCodec.decodeAll(packet).stream().map(Frame::sequence).toList();
    }

    @Test
    void httpRequestGetsPlainAnswer() throws Exception {
        start();
        String response;
        try (java.net.Socket http = new java.net.Socket(InetAddress.getLoopbackAddress(), server.tcpPort())) {
            http.setSoTimeout(5_000);
            http.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            response = new String(http.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }

        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(response).contains("REST port");
        try (BridgeClient client = connect(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A)) {
            client.sendTogether(request(1, true));
            assertThat(sequences(client.receive())).containsExactly(1);
        }
    }

    @Test
    void packetsInOneReadAllAnswered() throws Exception {
        start();
        try (BridgeClient client = connect(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A)) {
            client.sendTogether(request(1, true), request(2, true), request(3, true));

            assertThat(sequences(client.receive())).containsExactly(1);
            assertThat(sequences(client.receive())).containsExactly(2);
            assertThat(sequences(client.receive())).containsExactly(3);
        }
    }

    @Test
    void noReplyRequestLeadsNextReply() throws Exception {
        start();
        try (BridgeClient client = connect(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A)) {
            client.sendTogether(request(1, false), request(2, true));

            List<Frame> reply = FrameCodec.decodeAll(client.receive());

            assertThat(reply).extracting(Frame::sequence).containsExactly(1, 2);
            assertThat(sessions.get(BridgeFixture.DEVICE_A).received).hasSize(2);
        }
    }

    @Test
    void stalledHandshakeIsDropped() throws Exception {
        start();
        try (BridgeClient silent = BridgeClient.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                server.tcpPort()))) {
            assertThatThrownBy(silent::receive).isInstanceOf(IOException.class);
        }
        assertThat(server.stats().timedOutHandshakes()).isEqualTo(1);
    }

    @Test
    void missingProofIsDropped() throws Exception {
        start();
        byte[] nonce = new byte[HandshakeMessage.NONCE_BYTES];
        try (BridgeClient stalled = BridgeClient.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                server.tcpPort()))) {
            stalled.send(new HandshakeMessage.Hello(1, 1, ClockChoice.WALL, nonce, BridgeFixture.DEVICE_A).encode());

            assertThat(HandshakeMessage.decode(stalled.receive())).isInstanceOf(HandshakeMessage.Challenge.class);
            assertThatThrownBy(stalled::receive).isInstanceOf(IOException.class);
        }
        assertThat(server.stats().timedOutHandshakes()).isEqualTo(1);
        assertThat(sessions).isEmpty();
    }

    @Test
    void authenticatedDeviceOutlivesHandshakeTimeout() throws Exception {
        start(ROOMY_HANDSHAKE_TIMEOUT);
        try (BridgeClient client = connect(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A)) {
            client.send(sleep(1, 0));
            client.receive();
            // Waits past the handshake deadline on the device's side, as an idle device would.
            Thread.sleep(ROOMY_HANDSHAKE_TIMEOUT.multipliedBy(3).dividedBy(2).toMillis());

            assertThat(sequences(client.exchange(request(2, true)))).containsExactly(2);
        }
        assertThat(server.stats().timedOutHandshakes()).isZero();
    }

    @Test
    void wallClockPushesDueFrames() throws Exception {
        wallClock = true;
        firstPush = ScriptedSession.notification(90, 5);
        start();
        try (BridgeClient client = connect(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A)) {
            client.exchange(request(1, true));
            Frame pushed = FrameCodec.decode(client.receive());

            assertThat(pushed).isInstanceOf(Frame.Notification.class);
            assertThat(((Frame.Notification) pushed).tag()).isEqualTo(5);
            assertThat(server.stats().pushedFrames()).isEqualTo(1);
        }
    }

    @Test
    void pushWaitsForFirstReply() throws Exception {
        wallClock = true;
        firstPush = ScriptedSession.notification(90, 5);
        start();
        try (BridgeClient client = connect(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A)) {
            // The push is due at once, but none goes out before a reply shows libmvhost which kernel it reached.
            client.send(request(1, true));

            assertThat(sequences(client.receive())).containsExactly(1);
            assertThat(FrameCodec.decode(client.receive())).isInstanceOf(Frame.Notification.class);
        }
    }

    @Test
    void virtualClockPushesNothing() throws Exception {
        firstPush = ScriptedSession.notification(90, 5);
        start();
        try (BridgeClient client = connect(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A)) {
            assertThat(sequences(client.exchange(request(1, true)))).containsExactly(1);
        }
        assertThat(server.stats().pushedFrames()).isZero();
    }

    @Test
    void wallClockSleepWaitsWithoutBlockingOthers() throws Exception {
        wallClock = true;
        start();
        try (BridgeClient sleeper = connect(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A);
             BridgeClient other = connect(BridgeFixture.DEVICE_B, BridgeFixture.KEY_B)) {
            long began = System.nanoTime();
            sleeper.send(sleep(7, 400_000));

            assertThat(sequences(other.exchange(request(1, true)))).containsExactly(1);
            assertThat(sequences(sleeper.receive())).containsExactly(7);
            assertThat(System.nanoTime() - began).isGreaterThanOrEqualTo(Duration.ofMillis(400).toNanos());
        }
        Frame.Control ranAs = (Frame.Control) sessions.get(BridgeFixture.DEVICE_A).received.get(0);
        assertThat(((Field.U64) ranAs.arguments().get(0)).value()).as("sleep the kernel ran after the wait").isZero();
    }

    @Test
    void retriedSleepGetsStoredReply() throws Exception {
        wallClock = true;
        start();
        try (BridgeClient client = connect(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A)) {
            byte[] first = client.exchange(sleep(3, 1_000));
            byte[] retry = client.exchange(sleep(3, 1_000));

            assertThat(retry).isEqualTo(first);
        }
        assertThat(sessions.get(BridgeFixture.DEVICE_A).received).hasSize(1);
        assertThat(server.stats().retransmittedReplies()).isEqualTo(1);
    }

    @Test
    void disconnectClosesSession() throws Exception {
        start();
        try (BridgeClient client = connect(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A)) {
            client.exchange(request(1, true));
        }
        ScriptedSession session = sessions.get(BridgeFixture.DEVICE_A);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!session.closed && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        assertThat(session.closed).isTrue();
    }

    @Test
    void disconnectKeepsDeferredFrames() throws Exception {
        start();
        try (BridgeClient client = connect(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A)) {
            // The frames a request without a reply produced wait for the next reply, which never comes.
            client.exchange(request(1, true));
            client.send(request(2, false));
            client.send(request(3, false));
        }
        ScriptedSession session = sessions.get(BridgeFixture.DEVICE_A);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!session.closed && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        assertThat(session.closed).isTrue();
        assertThat(session.keptForNextReply).hasSize(1);
        assertThat(sequences(session.keptForNextReply.get(0))).containsExactly(2, 3);
    }
}
