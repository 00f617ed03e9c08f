package dev.mvsim.bridge;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A device's side of the bridge in Java, for tests, benchmarks and rigs written in Java. It does
 * what libmvhost's socket transport does: handshake, then one packet per request and per reply, in
 * version 2 packets when the server chose that version. Not thread-safe: one exchange at a time.
 */
public final class BridgeClient implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PacketLink link;
    private int version;

    private BridgeClient(PacketLink link) {
        this.link = link;
    }

    /** Connects to a TCP or Unix socket address and authenticates as {@code deviceSid}. */
    public static BridgeClient connect(SocketAddress address, String deviceSid, byte[] deviceKey, ClockChoice clock)
            throws IOException, HandshakeException {
        BridgeClient client = open(address);
        try {
            client.authenticate(deviceSid, deviceKey, clock);
            return client;
        } catch (IOException | HandshakeException | RuntimeException failure) {
            client.close();
            throw failure;
        }
    }

    /** Connects and authenticates with a HELLO that carries a boot id and the device's time in microseconds. */
    public static BridgeClient connect(SocketAddress address, String deviceSid, byte[] deviceKey, ClockChoice clock,
                                       long bootId, long deviceTimeMicros) throws IOException, HandshakeException {
        BridgeClient client = open(address);
        try {
            client.authenticate(deviceSid, deviceKey, clock, bootId, deviceTimeMicros);
            return client;
        } catch (IOException | HandshakeException | RuntimeException failure) {
            client.close();
            throw failure;
        }
    }

    /** Connects without a handshake, for tests that send raw packets. */
    public static BridgeClient open(SocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open(address instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
        try {
            channel.connect(address);
            if (address instanceof InetSocketAddress) {
                channel.socket().setTcpNoDelay(true);
            }
        } catch (IOException failure) {
            channel.close();
            throw failure;
        }
        return new BridgeClient(new PacketLink(Channels.newInputStream(channel), Channels.newOutputStream(channel),
                channel, reason -> { }));
    }

    /** Wraps a link opened elsewhere, such as one end of a serial line, without a handshake. */
    static BridgeClient over(PacketLink link) {
        return new BridgeClient(link);
    }

    /**
     * Runs the handshake with a fresh client nonce.
     *
     * @throws HandshakeException if the server rejects the device or cannot prove it holds the key
     */
    public void authenticate(String deviceSid, byte[] deviceKey, ClockChoice clock) throws IOException, HandshakeException {
        authenticate(deviceSid, deviceKey, clock, 0, 0);
    }

    /**
     * Runs the handshake with a fresh client nonce, a boot id and the device's time.
     *
     * @throws HandshakeException if the server rejects the device or cannot prove it has the key
     */
    public void authenticate(String deviceSid, byte[] deviceKey, ClockChoice clock, long bootId, long deviceTimeMicros)
            throws IOException, HandshakeException {
        authenticate(deviceSid, deviceKey, clock, bootId, deviceTimeMicros, ServerHandshake.MAXIMUM_VERSION);
    }

    /**
     * Runs the handshake offering bridge versions 1 to {@code maximumVersion}, as an older device
     * that offers version 1 only does.
     *
     * @throws HandshakeException if the server rejects the device, chooses a version outside the
     *     offer, or cannot prove it has the key
     */
    public void authenticate(String deviceSid, byte[] deviceKey, ClockChoice clock, long bootId, long deviceTimeMicros,
                             int maximumVersion) throws IOException, HandshakeException {
        if (version >= ServerHandshake.STREAM_FRAMING_VERSION) {
            throw new IllegalStateException("a bridge version 2 connection carries one handshake; open a new "
                    + "connection to authenticate again");
        }
        byte[] clientNonce = new byte[HandshakeMessage.NONCE_BYTES];
        RANDOM.nextBytes(clientNonce);
        HandshakeMessage.Hello hello = new HandshakeMessage.Hello(ServerHandshake.MINIMUM_VERSION, maximumVersion, clock,
                clientNonce, deviceSid, bootId, deviceTimeMicros);
        send(hello.encode());

        HandshakeMessage challenge = receiveHandshake("CHALLENGE");
        if (!(challenge instanceof HandshakeMessage.Challenge issued)) {
            throw new HandshakeException(RejectReason.MALFORMED, "expected CHALLENGE, received " + challenge);
        }
        if (!Arrays.equals(issued.clientNonce(), clientNonce)) {
            throw new HandshakeException(RejectReason.MALFORMED, "the CHALLENGE responds to another HELLO; expected the nonce of this one");
        }
        if (issued.version() < ServerHandshake.MINIMUM_VERSION || issued.version() > maximumVersion) {
            throw new HandshakeException(RejectReason.UNSUPPORTED_VERSION, "the CHALLENGE chose bridge version "
                    + issued.version() + "; this device offered " + ServerHandshake.MINIMUM_VERSION + " to "
                    + maximumVersion);
        }
        byte[] proof = HandshakeMac.device(deviceKey, issued.version(), hello, issued.serverNonce());
        send(new HandshakeMessage.Proof(proof).encode());

        HandshakeMessage verdict = receiveHandshake("WELCOME");
        if (!(verdict instanceof HandshakeMessage.Welcome welcome)) {
            throw new HandshakeException(RejectReason.MALFORMED, "expected WELCOME, received " + verdict);
        }
        byte[] expected = HandshakeMac.server(deviceKey, issued.version(), hello, issued.serverNonce());
        if (!HandshakeMac.matches(expected, welcome.mac())) {
            throw new HandshakeException(RejectReason.AUTHENTICATION_FAILED,
                    "the server's WELCOME does not prove it holds the key of " + deviceSid);
        }
        version = issued.version();
        if (version >= ServerHandshake.STREAM_FRAMING_VERSION) {
            link.useStreamFraming();
        }
    }

    /** Returns the bridge protocol version the handshake chose, or 0 before a handshake. */
    public int version() {
        return version;
    }

    /** Sends one frame and returns the reply packet's bytes: notification frames, then the response. */
    public byte[] exchange(byte[] frame) throws IOException {
        send(frame);
        return receive();
    }

    /** Sends one packet payload as is. */
    public void send(byte[] payload) throws IOException {
        link.write(payload);
    }

    /** Sends several packets in one write, as a device that queued them does. */
    public void sendTogether(byte[]... payloads) throws IOException {
        link.writeTogether(payloads);
    }

    /** Blocks for the next packet payload; throws if the server closed the connection. */
    public byte[] receive() throws IOException {
        byte[] packet = link.read();
        if (packet == null) {
            throw new IOException("the bridge server closed the connection");
        }
        return packet;
    }

    private HandshakeMessage receiveHandshake(String expected) throws IOException, HandshakeException {
        byte[] packet = link.read();
        if (packet == null) {
            throw new IOException("the bridge server closed the connection while the device waited for " + expected);
        }
        HandshakeMessage message = HandshakeMessage.decode(packet);
        if (message instanceof HandshakeMessage.Reject reject) {
            throw new HandshakeException(reject.reason(), "the bridge server rejected the handshake: " + reject.message());
        }
        return message;
    }

    @Override
    public void close() throws IOException {
        link.close();
    }
}
