package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bridge version 2 on sockets: its negotiation, and a server that drops a stream it cannot frame. */
@Timeout(30)
class StreamFramingTest {

    @RegisterExtension
    final BridgeFixture fixture = new BridgeFixture();



    private static long microseconds(byte[] reply) throws Exception {
        Frame.Response response = (Frame.Response) FrameCodec.decode(reply);
        return ((Field.U64) response.outputs().get(0)).value();
    }

    @Test
    void tcpChoosesVersionTwo() throws Exception {
        try (BridgeClient client = fixture.connectA()) {
            assertThat(client.version()).isEqualTo(2);
            assertThat(microseconds(client.exchange(CountingSession.microsecondsRequest(1)))).isEqualTo(1);
            assertThat(microseconds(client.exchange(CountingSession.microsecondsRequest(2)))).isEqualTo(2);
        }
    }

    @Test
    void unixSocketChoosesVersionTwo(@TempDir Path directory) throws Exception {
        Path socket = directory.resolve("bridge.sock");
        fixture.server.listenUnix(socket);

        try (BridgeClient client = BridgeClient.connect(UnixDomainSocketAddress.of(socket), BridgeFixture.DEVICE_B,
                BridgeFixture.KEY_B, ClockChoice.VIRTUAL)) {
            assertThat(client.version()).isEqualTo(2);
            assertThat(microseconds(client.exchange(CountingSession.microsecondsRequest(1)))).isEqualTo(1);
        }
    }

    @Test
    void deviceOfferingVersionOneGetsOne() throws Exception {
        try (BridgeClient client = BridgeClient.open(fixture.address())) {
            client.authenticate(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A, ClockChoice.VIRTUAL, 0, 0, 1);

            assertThat(client.version()).isEqualTo(1);
            assertThat(microseconds(client.exchange(CountingSession.microsecondsRequest(1)))).isEqualTo(1);
            assertThat(microseconds(client.exchange(CountingSession.microsecondsRequest(2)))).isEqualTo(2);
        }
    }

    @Test
    void serialLineKeepsVersionOne(@TempDir Path directory) throws Exception {
        assumeThat(PtyPair.socatInstalled()).as("socat installed").isTrue();
        try (PtyPair line = new PtyPair(directory, "line")) {
            fixture.server.attachSerial(line.first);

            try (BridgeClient client = BridgeClient.over(SerialLines.open(line.second))) {
                client.authenticate(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A, ClockChoice.VIRTUAL, 0, 0, 2);

                assertThat(client.version()).isEqualTo(1);
                assertThat(microseconds(client.exchange(CountingSession.microsecondsRequest(1)))).isEqualTo(1);
            }
        }
    }

    @Test
    void challengeVersionIsCoveredByProof() throws Exception {
        byte[] nonce = new byte[HandshakeMessage.NONCE_BYTES];
        Arrays.fill(nonce, (byte) 3);
        HandshakeMessage.Hello hello = new HandshakeMessage.Hello(1, 2, ClockChoice.VIRTUAL, nonce,
                BridgeFixture.DEVICE_A);

        try (BridgeClient client = BridgeClient.open(fixture.address())) {
            client.send(hello.encode());
            HandshakeMessage.Challenge challenge = (HandshakeMessage.Challenge) HandshakeMessage.decode(client.receive());
            // A party on the path that rewrote the chosen version to 1 makes the device prove version 1.
            byte[] proof = HandshakeMac.device(BridgeFixture.KEY_A, 1, hello, challenge.serverNonce());
            client.send(new HandshakeMessage.Proof(proof).encode());
            HandshakeMessage answer = HandshakeMessage.decode(client.receive());

            assertThat(challenge.version()).isEqualTo(2);
            assertThat(answer).isInstanceOf(HandshakeMessage.Reject.class);
            assertThat(((HandshakeMessage.Reject) answer).reason()).isEqualTo(RejectReason.AUTHENTICATION_FAILED);
        }
    }

    @Test
    void requestSentWithProofDropsConnection() throws Exception {
        byte[] nonce = new byte[HandshakeMessage.NONCE_BYTES];
        HandshakeMessage.Hello hello = new HandshakeMessage.Hello(1, 2, ClockChoice.VIRTUAL, nonce,
                BridgeFixture.DEVICE_A);

        try (SocketChannel channel = SocketChannel.open(fixture.address())) {
            PacketLink link = new PacketLink(Channels.newInputStream(channel), Channels.newOutputStream(channel),
                    channel, reason -> { });
            link.write(hello.encode());
            HandshakeMessage.Challenge challenge = (HandshakeMessage.Challenge) HandshakeMessage.decode(link.read());
            byte[] proof = new HandshakeMessage.Proof(
                    HandshakeMac.device(BridgeFixture.KEY_A, challenge.version(), hello, challenge.serverNonce()))
                    .encode();
            // A version 2 request whose last byte is 0x00, the delimiter of the version 1 framing.
            byte[] request = StreamPackets.encode(CountingSession.microsecondsRequest(1));
            ByteBuffer together = ByteBuffer.allocate(Packets.maxPacketBytes(proof.length) + request.length);
            together.put(Packets.encode(proof)).put(request).flip();
            channel.write(together);

            assertThat(request[request.length - 1]).isZero();
            assertThat(readUntilEnd(channel)).isEqualTo(-1);
        }
        assertThat(fixture.sessions.get(BridgeFixture.DEVICE_A).calls).hasValue(0);
    }

    @Test
    void clientRejectsVersionOutsideOffer() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread server = new Thread(() -> challengeWithVersion(listener, 3));
            server.start();

            try (BridgeClient client = BridgeClient.open(listener.getLocalAddress())) {
                assertThatThrownBy(() -> client.authenticate(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A,
                        ClockChoice.VIRTUAL))
                        .isInstanceOf(HandshakeException.class)
                        .hasMessageContaining("chose bridge version 3");
            }
            server.join();
        }
    }

    /** Replies to one HELLO with a CHALLENGE that chooses {@code version}, as a server of another release. */
    private static void challengeWithVersion(ServerSocketChannel listener, int version) {
        try (SocketChannel channel = listener.accept()) {
            PacketLink link = new PacketLink(Channels.newInputStream(channel), Channels.newOutputStream(channel),
                    channel, reason -> { });
            HandshakeMessage.Hello hello = (HandshakeMessage.Hello) HandshakeMessage.decode(link.read());
            link.write(new HandshakeMessage.Challenge(version, new byte[HandshakeMessage.NONCE_BYTES],
                    hello.clientNonce()).encode());
            link.read();
        } catch (IOException | HandshakeException ended) {
            // The client closes the connection after it rejects the CHALLENGE.
        }
    }

    @Test
    void oversizedLengthDropsConnection() throws Exception {
        checkStreamDropped(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 'M', 'V'}, false);
    }

    @Test
    void lengthBelowHeaderDropsConnection() throws Exception {
        checkStreamDropped(new byte[] {3, 0, 0, 0, 'M', 'V', 1}, false);
    }

    @Test
    void badMagicDropsConnection() throws Exception {
        byte[] packet = new byte[4 + 16];
        packet[0] = 16;
        Arrays.fill(packet, 4, packet.length, (byte) 'X');
        checkStreamDropped(packet, false);
    }

    @Test
    void cobsPacketDropsConnection() throws Exception {
        checkStreamDropped(Packets.encode(CountingSession.microsecondsRequest(1)), false);
    }

    @Test
    void truncatedPacketEndsConnection() throws Exception {
        byte[] whole = StreamPackets.encode(CountingSession.microsecondsRequest(1));
        checkStreamDropped(Arrays.copyOf(whole, whole.length - 5), true);
    }

    /**
     * Authenticates with version 2 over a raw socket, serves one request, then sends {@code raw}.
     * The server must close the connection without a reply and keep serving other devices.
     */
    private void checkStreamDropped(byte[] raw, boolean halfClose) throws Exception {
        try (SocketChannel channel = SocketChannel.open(fixture.address())) {
            PacketLink link = new PacketLink(Channels.newInputStream(channel), Channels.newOutputStream(channel),
                    channel, reason -> { });
            BridgeClient device = BridgeClient.over(link);
            device.authenticate(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A, ClockChoice.VIRTUAL);
            assertThat(device.version()).isEqualTo(2);
            assertThat(microseconds(device.exchange(CountingSession.microsecondsRequest(1)))).isEqualTo(1);

            channel.write(ByteBuffer.wrap(raw));
            if (halfClose) {
                channel.shutdownOutput();
            }

            assertThat(readUntilEnd(channel)).isEqualTo(-1);
        }
        assertThat(fixture.sessions.get(BridgeFixture.DEVICE_A).calls).hasValue(1);
        try (BridgeClient other = BridgeClient.connect(fixture.address(), BridgeFixture.DEVICE_B, BridgeFixture.KEY_B,
                ClockChoice.VIRTUAL)) {
            assertThat(microseconds(other.exchange(CountingSession.microsecondsRequest(1)))).isEqualTo(1);
        }
    }

    /** Reads until the server closes the stream, and returns the last read's result. */
    private static int readUntilEnd(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        int count;
        do {
            buffer.clear();
            count = channel.read(buffer);
        } while (count > 0);
        return count;
    }
}
