package dev.mvsim.cloud;

import dev.mvsim.cloud.store.crypto.KernelRandom;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/** Generates and recognises account and device SIDs and auth tokens. */
public final class Sids {

    public static final String ACCOUNT_PREFIX = "AC";
    public static final String DEVICE_PREFIX = "UV";

    /** Hex digits after the two-letter prefix of a SID. */
    private static final int SID_HEX_DIGITS = 32;

    private static final SecureRandom RANDOM = KernelRandom.create();
    private static final HexFormat HEX = HexFormat.of();

    private Sids() {}

    public static String newAccountSid() {
        return ACCOUNT_PREFIX + randomHex(16);
    }

    public static String newDeviceSid() {
        return DEVICE_PREFIX + randomHex(16);
    }

    /** Returns a new auth token: 32 lowercase hex digits from a secure random source. */
    public static String newAuthToken() {
        return randomHex(16);
    }

    /** Returns {@code length} bytes from a secure random source. */
    public static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    public static boolean isAccountSid(String text) {
        return hasSidShape(text, ACCOUNT_PREFIX);
    }

    /** Tells whether the text is {@code UV} followed by 32 hex digits of either case. */
    public static boolean isDeviceSid(String text) {
        return hasSidShape(text, DEVICE_PREFIX);
    }

    /**
     * Returns a SID with its hex digits in lowercase, the form mvsim generates and stores. The
     * vendor's pattern allows either case, so lookups normalise first.
     */
    public static String normalise(String sid) {
        // SIDs usually arrive in the stored lowercase form, and every config fetch normalises its device's SID.
        if (!mayChangeWhenLowercased(sid)) {
            return sid;
        }
        return sid.substring(0, 2) + sid.substring(2).toLowerCase(Locale.ROOT);
    }

    /** Tells whether lowercasing can change the text after the prefix: it has an ASCII capital or any non-ASCII character. */
    private static boolean mayChangeWhenLowercased(String sid) {
        for (int i = 2; i < sid.length(); i++) {
            char c = sid.charAt(i);
            if ((c >= 'A' && c <= 'Z') || c >= 0x80) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasSidShape(String text, String prefix) {
        if (text == null || text.length() != prefix.length() + SID_HEX_DIGITS || !text.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hexDigit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hexDigit) {
                return false;
            }
        }
        return true;
    }

    private static String randomHex(int byteCount) {
        return HEX.formatHex(randomBytes(byteCount));
    }
}
