package dev.mvsim.bridge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The two HMAC-SHA-256 values of the handshake. Both cover the same transcript (version, clock,
 * SID, client nonce, server nonce, the HELLO's boot id and device time) under the device key, with
 * a different label, so the server's WELCOME cannot be reflected back as a device's PROOF.
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
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));

        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        byte[] sid = hello.deviceSid().getBytes(StandardCharsets.US_ASCII);
        mac.update(labelBytes, 0, labelBytes.length);
        mac.update((byte) version);
        mac.update((byte) hello.clock().code());
        mac.update((byte) sid.length);
        mac.update(sid, 0, sid.length);
        mac.update(hello.clientNonce(), 0, hello.clientNonce().length);
        mac.update(serverNonce, 0, serverNonce.length);
        updateLittleEndian(mac, hello.bootId());
        updateLittleEndian(mac, hello.deviceTimeMicros());

        byte[] result = new byte[mac.getMacSize()];
        mac.doFinal(result, 0);
        return result;
    }

    private static void updateLittleEndian(HMac mac, long value) {
        for (int i = 0; i < Long.BYTES; i++) {
            mac.update((byte) (value >>> (8 * i)));
        }
    }
}
