package dev.mvsim.bridge;

import dev.mvsim.link.DeviceKeys;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * The server's side of the handshake: HELLO in, CHALLENGE out, PROOF in, WELCOME or REJECT out.
 * It only authenticates; the connection opens the device session afterwards. The two steps,
 * {@link #challenge} and {@link #verify}, never block, so a selector thread can run them; {@link #run}
 * drives both over a blocking link.
 */
final class ServerHandshake {

    /** Bridge protocol versions this server speaks. */
    static final int MINIMUM_VERSION = 1;
    static final int MAXIMUM_VERSION = 2;

    /** Version 1: every packet COBS-encoded with a CRC-32 ({@link Packets}). The only one a serial line uses. */
    static final int PACKET_FRAMING_VERSION = 1;

    /** Version 2: packets after WELCOME carry a length prefix and no COBS or CRC ({@link StreamPackets}). */
    static final int STREAM_FRAMING_VERSION = 2;

    /** HELLOs accepted in place of a PROOF in one handshake, so that a device cannot keep the server in it forever. */
    static final int MAX_RESTARTS = 16;

    private final DeviceKeys keys;
    private final NonceLedger ledger;
    private final SecureRandom random;

    ServerHandshake(DeviceKeys keys, NonceLedger ledger, SecureRandom random) {
        this.keys = keys;
        this.ledger = ledger;
        this.random = random;
    }

    /** A device that proved it holds its key. */
    record Authenticated(HandshakeMessage.Hello hello, int version, byte[] key, byte[] serverNonce) {
    }

    /**
     * A HELLO that got its CHALLENGE and waits for the PROOF. The key is empty for an unknown SID,
     * which fails only at PROOF.
     */
    record Challenged(HandshakeMessage.Hello hello, int version, Optional<byte[]> key, byte[] serverNonce) {

        /** Returns the CHALLENGE message to send. */
        byte[] challengeMessage() {
            return new HandshakeMessage.Challenge(version, serverNonce, hello.clientNonce()).encode();
        }
    }

    /**
     * Runs the handshake that {@code helloPacket} starts over a blocking link, a serial line, which
     * keeps version 1 whatever the device offers: its noise needs the COBS delimiters and the CRC.
     *
     * @throws HandshakeException if the device must be rejected; the caller sends the REJECT
     * @throws IOException if the link fails or the peer leaves mid-handshake
     */
    Authenticated run(byte[] helloPacket, PacketLink link) throws HandshakeException, IOException {
        Challenged challenged = challenge(helloPacket, PACKET_FRAMING_VERSION);
        link.write(challenged.challengeMessage());
        int restartsLeft = MAX_RESTARTS;
        while (true) {
            byte[] packet = link.read();
            if (packet == null) {
                throw new IOException("device " + challenged.hello().deviceSid()
                        + " closed the connection before sending PROOF");
            }

            // On a lossy line the device restarts with a new HELLO when the CHALLENGE went missing.
            if (isHello(packet) && restartsLeft > 0) {
                restartsLeft--;
                challenged = challenge(packet, PACKET_FRAMING_VERSION);
                link.write(challenged.challengeMessage());
                continue;
            }
            return verify(challenged, packet);
        }
    }

    /** Returns true if {@code packet} is a HELLO, which restarts a handshake waiting for PROOF. */
    static boolean isHello(byte[] packet) {
        return HandshakeMessage.isHandshake(packet) && (packet[2] & 0xFF) == HandshakeMessage.TYPE_HELLO;
    }

    /**
     * Checks a HELLO, chooses the highest version both sides speak up to {@code maximumVersion}, the
     * transport's limit, and picks the server nonce of its CHALLENGE.
     *
     * @throws HandshakeException if the HELLO is malformed, speaks no common version or replays a nonce
     */
    Challenged challenge(byte[] helloPacket, int maximumVersion) throws HandshakeException {
        HandshakeMessage first = HandshakeMessage.decode(helloPacket);
        if (!(first instanceof HandshakeMessage.Hello hello)) {
            throw new HandshakeException(RejectReason.MALFORMED, "expected HELLO to start the handshake, received "
                    + first.getClass().getSimpleName().toUpperCase());
        }
        int version = Math.min(hello.maximumVersion(), maximumVersion);
        if (version < Math.max(hello.minimumVersion(), MINIMUM_VERSION)) {
            throw new HandshakeException(RejectReason.UNSUPPORTED_VERSION, "device speaks bridge versions "
                    + hello.minimumVersion() + " to " + hello.maximumVersion() + "; this server speaks "
                    + MINIMUM_VERSION + " to " + maximumVersion + " on this transport");
        }

        if (ledger.seen(hello.deviceSid(), hello.clientNonce())) {
            throw new HandshakeException(RejectReason.REPLAYED, "HELLO from device " + hello.deviceSid()
                    + " reuses a client nonce of an earlier handshake; rejected as a replay");
        }

        // Unknown SIDs still get a CHALLENGE, so that a prober learns nothing before the proof fails.
        Optional<byte[]> key = keys.deviceKey(hello.deviceSid());
        byte[] serverNonce = new byte[HandshakeMessage.NONCE_BYTES];
        random.nextBytes(serverNonce);
        return new Challenged(hello, version, key, serverNonce);
    }

    /**
     * Checks the PROOF sent in response to {@code challenged} and records the HELLO's nonce.
     *
     * @throws HandshakeException if the packet is not a PROOF, the SID is unknown or the MAC does not match
     */
    Authenticated verify(Challenged challenged, byte[] proofPacket) throws HandshakeException {
        HandshakeMessage.Hello hello = challenged.hello();
        HandshakeMessage second = HandshakeMessage.decode(proofPacket);
        if (!(second instanceof HandshakeMessage.Proof proof)) {
            throw new HandshakeException(RejectReason.MALFORMED, "expected PROOF after CHALLENGE, received "
                    + second.getClass().getSimpleName().toUpperCase());
        }
        if (challenged.key().isEmpty()) {
            throw new HandshakeException(RejectReason.AUTHENTICATION_FAILED, "device SID " + hello.deviceSid()
                    + " is not registered");
        }
        byte[] key = challenged.key().get();
        byte[] expected = HandshakeMac.device(key, challenged.version(), hello, challenged.serverNonce());
        if (!HandshakeMac.matches(expected, proof.mac())) {
            throw new HandshakeException(RejectReason.AUTHENTICATION_FAILED, "PROOF from device " + hello.deviceSid()
                    + " does not match its device key; check MVHOST_DEVICE_KEY");
        }
        ledger.record(hello.deviceSid(), hello.clientNonce());
        return new Authenticated(hello, challenged.version(), Arrays.copyOf(key, key.length), challenged.serverNonce());
    }

    /** Returns the WELCOME message, the server's proof that it has the device key. */
    static byte[] welcomeMessage(Authenticated device) {
        byte[] mac = HandshakeMac.server(device.key(), device.version(), device.hello(), device.serverNonce());
        return new HandshakeMessage.Welcome(mac).encode();
    }

    /** Sends WELCOME over a blocking link. */
    static void welcome(Authenticated device, PacketLink link) throws IOException {
        link.write(welcomeMessage(device));
    }
}
