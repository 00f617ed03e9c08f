package dev.mvsim.cloud.store.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The 32-byte AES-256 key that encrypts secrets, device keys and auth tokens at rest. Its
 * {@code toString} never shows the key bytes.
 */
public final class MasterKey {

    /** Key length in bytes (AES-256). */
    public static final int LENGTH = 32;

    private static final int HEX_LENGTH = 2 * LENGTH;

    private static final String GIVEN_IN_CODE = "the key passed to the store";

    private final byte[] bytes;
    private final String source;

    private MasterKey(byte[] bytes, String source) {
        this.bytes = bytes;
        this.source = source;
    }

    /** Wraps a copy of the given 32 bytes. */
    public static MasterKey of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException(
                    "master key must be " + LENGTH + " bytes, got " + bytes.length);
        }
        return new MasterKey(bytes.clone(), GIVEN_IN_CODE);
    }

    /** Generates a fresh random key. */
    public static MasterKey generate(SecureRandom random) {
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new MasterKey(bytes, "a new random key");
    }

    /**
     * Returns where the key came from, such as "environment variable MVSIM_MASTER_KEY" or
     * "master key file /data/master.key", for error messages. It never contains key material.
     */
    public String source() {
        return source;
    }

    /** Returns the same key described as coming from {@code newSource}. */
    MasterKey withSource(String newSource) {
        return new MasterKey(bytes, Objects.requireNonNull(newSource, "newSource"));
    }

    /**
     * Derives a 32-byte subkey for {@code purpose} with HMAC-SHA-256 under this key, so that a
     * purpose such as signing page tokens gets a key that is stable for the store yet reveals
     * nothing about the master key. BouncyCastle's HMAC computes it rather than
     * {@code javax.crypto.Mac}, because the first {@code Mac.getInstance} sets up the JCE
     * provider list and policy, about 0.35 s of serve's 1.9 s start-up in a class-load log on a
     * loaded 2-core machine.
     * Both compute the same standard HMAC, so subkeys of existing stores stay the same.
     */
    public byte[] deriveSubkey(String purpose) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(bytes));
        byte[] message = ("mvsim subkey\n" + purpose).getBytes(StandardCharsets.UTF_8);
        mac.update(message, 0, message.length);

        byte[] subkey = new byte[mac.getMacSize()];
        mac.doFinal(subkey, 0);
        return subkey;
    }

    /**
     * Parses a key written as 64 hex digits or as base64 of 32 bytes, ignoring surrounding
     * whitespace. {@code source} names where the text came from (an environment variable or a
     * file) so that the error names what to fix. The text itself never appears in the error.
     */
    public static MasterKey parse(String text, String source) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();

        if (trimmed.length() == HEX_LENGTH && isHex(trimmed)) {
            return new MasterKey(HexFormat.of().parseHex(trimmed), source);
        }

        byte[] decoded = decodeBase64(trimmed);
        if (decoded != null && decoded.length == LENGTH) {
            return new MasterKey(decoded, source);
        }

        throw new InvalidMasterKeyException(source + " is not a valid master key: expected "
                + HEX_LENGTH + " hex digits or base64 of " + LENGTH + " bytes, got "
                + trimmed.length() + " characters. Generate one with: openssl rand -hex "
                + LENGTH);
    }

    /** Returns the key as 64 lower-case hex digits, the form the key file stores. */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Returns a copy of the key bytes. */
    byte[] bytes() {
        return bytes.clone();
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MasterKey key && Arrays.equals(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Shows no key material. */
    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
