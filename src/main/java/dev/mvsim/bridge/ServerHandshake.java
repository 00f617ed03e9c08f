package dev.mvsim.bridge;

import dev.mvsim.link.DeviceKeys;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * The server's side of the handshake: HELLO in, CHALLENGE out, PROOF in, WELCOME or REJECT out.
 * It only authenticates; the connection opens the device session afterwards.
 */
final class ServerHandshake {

    /** Bridge protocol versions this server speaks. */
    static final int MINIMUM_VERSION = 1;
    static final int MAXIMUM_VERSION = 1;

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
     * Runs the handshake that {@code helloPacket} starts.
     *
     * @throws HandshakeException if the device must be rejected; the caller sends the REJECT
     * @throws IOException if the link fails or the peer leaves mid-handshake
     */
    Authenticated run(byte[] helloPacket, PacketLink link) throws HandshakeException, IOException {
        return run(helloPacket, link, MAX_RESTARTS);
    }

    private Authenticated run(byte[] helloPacket, PacketLink link, int restartsLeft) throws HandshakeException, IOException {
        HandshakeMessage first = HandshakeMessage.decode(helloPacket);
        if (!(first instanceof HandshakeMessage.Hello hello)) {
            throw new HandshakeException(RejectReason.MALFORMED, "expected HELLO to start the handshake, received "
                    + first.getClass().getSimpleName().toUpperCase());
        }
        int version = Math.min(hello.maximumVersion(), MAXIMUM_VERSION);
        if (version < Math.max(hello.minimumVersion(), MINIMUM_VERSION)) {
            throw new HandshakeException(RejectReason.UNSUPPORTED_VERSION, "device speaks bridge versions "
                    + hello.minimumVersion() + " to " + hello.maximumVersion() + "; this server speaks "
                    + MINIMUM_VERSION + " to " + MAXIMUM_VERSION);
        }

        if (ledger.seen(hello.deviceSid(), hello.clientNonce())) {
            throw new HandshakeException(RejectReason.REPLAYED, "HELLO from device " + hello.deviceSid()
                    + " reuses a client nonce of an earlier handshake; rejected as a replay");
        }

        // Unknown SIDs still get a CHALLENGE, so that a prober learns nothing before the proof fails.
        Optional<byte[]> key = keys.deviceKey(hello.deviceSid());
        byte[] serverNonce = new byte[HandshakeMessage.NONCE_BYTES];
        random.nextBytes(serverNonce);
        link.write(new HandshakeMessage.Challenge(version, serverNonce, hello.clientNonce()).encode());

        byte[] proofPacket = link.read();
        if (proofPacket == null) {
            throw new IOException("device " + hello.deviceSid() + " closed the connection before sending PROOF");
        }
        HandshakeMessage second = HandshakeMessage.decode(proofPacket);

        // On a lossy line the device restarts with a new HELLO when the CHALLENGE went missing.
        if (second instanceof HandshakeMessage.Hello && restartsLeft > 0) {
            return run(proofPacket, link, restartsLeft - 1);
        }
        if (!(second instanceof HandshakeMessage.Proof proof)) {
            throw new HandshakeException(RejectReason.MALFORMED, "expected PROOF after CHALLENGE, received "
                    + second.getClass().getSimpleName().toUpperCase());
        }
        if (key.isEmpty()) {
            throw new HandshakeException(RejectReason.AUTHENTICATION_FAILED, "device SID " + hello.deviceSid()
                    + " is not registered");
        }
        byte[] expected = HandshakeMac.device(key.get(), version, hello, serverNonce);
        if (!HandshakeMac.matches(expected, proof.mac())) {
            throw new HandshakeException(RejectReason.AUTHENTICATION_FAILED, "PROOF from device " + hello.deviceSid()
                    + " does not match its device key; check MVHOST_DEVICE_KEY");
        }
        ledger.record(hello.deviceSid(), hello.clientNonce());
        return new Authenticated(hello, version, Arrays.copyOf(key.get(), key.get().length), serverNonce);
    }

    /** Sends WELCOME, the server's proof that it holds the device key. */
    static void welcome(Authenticated device, PacketLink link) throws IOException {
        byte[] mac = HandshakeMac.server(device.key(), device.version(), device.hello(), device.serverNonce());
        link.write(new HandshakeMessage.Welcome(mac).encode());
    }
}
