package dev.mvsim.bridge;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two HMAC-SHA-256 values of the handshake. Both cover the same transcript (version, clock,
 * SID, client nonce, server nonce) under the device key, with a different label, so the server's
 * WELCOME cannot be reflected back as a device's PROOF.
 *
 * <p>The MAC comes from the JDK's own provider rather than BouncyCastle: the first use of the
 * signed BouncyCastle jar verifies its signature, which held the first handshake of a simulator
 * for 2 to 12 seconds on a loaded 2-core machine.
 */
public final class HandshakeMac {

    static final String DEVICE_LABEL = "mvsim-bridge-1 device";
    static final String SERVER_LABEL = "mvsim-bridge-1 server";

    private HandshakeMac() {
    }

    /** Computes the MAC the device sends in PROOF. */
    public static byte[] device(byte[] key, int version, HandshakeMessage.Hello hello, byte[] serverNonce) {
        return compute(key, DEVICE_LABEL, version, hello, serverNonce);
    }

    /** Computes the MAC the server sends in WELCOME. */
    public static byte[] server(byte[] key, int version, HandshakeMessage.Hello hello, byte[] serverNonce) {
        return compute(key, SERVER_LABEL, version, hello, serverNonce);
    }

    /** Compares two MACs in time that does not depend on where they differ. */
    static boolean matches(byte[] expected, byte[] received) {
        return MessageDigest.isEqual(expected, received);
    }

    private static byte[] compute(byte[] key, String label, int version, HandshakeMessage.Hello hello, byte[] serverNonce) {
        Mac mac;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException missing) {
            throw new IllegalStateException("this JDK offers no HmacSHA256, which every Java SE runtime must", missing);
        }

        byte[] sid = hello.deviceSid().getBytes(StandardCharsets.US_ASCII);
        mac.update(label.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) version);
        mac.update((byte) hello.clock().code());
        mac.update((byte) sid.length);
        mac.update(sid);
        mac.update(hello.clientNonce());
        mac.update(serverNonce);
        return mac.doFinal();
    }
}
