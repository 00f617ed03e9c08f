package dev.mvsim.cloud;

/**
 * The rules for item keys, item values and device unique names, shared by the REST API and the
 * Java-level operations of {@link SimulatedCloud}.
 *
 * <p>Lengths count Unicode code points, so a character outside the Basic Multilingual Plane
 * counts once. Keys are printable ASCII without space and slash (0x21–0x7E except 0x2F),
 * because a device can fetch only printable-ASCII keys. Space and slash break URL paths and
 * shell commands. With ASCII-only keys, a key's characters, code points and bytes agree.
 * Values are any Unicode text without unpaired surrogates; a device receives them as UTF-8, so
 * a 4096-character value takes up to 16384 bytes there.
 */
public final class ItemRules {

    public static final int MAX_KEY_LENGTH = 100;
    public static final int MAX_VALUE_LENGTH = 4096;
    public static final int MAX_UNIQUE_NAME_LENGTH = 100;

    private ItemRules() {}

    /** Checks a key against the rules; {@code parameter} names it in the error. */
    public static void checkKey(String parameter, String key) {
        checkToken(parameter, key, MAX_KEY_LENGTH);
    }

    /**
     * Checks a device unique name: the key rules, with a length limit of its own, and it must not
     * have the shape of a device SID, because paths accept either in the same place.
     */
    public static void checkUniqueName(String parameter, String uniqueName) {
        checkToken(parameter, uniqueName, MAX_UNIQUE_NAME_LENGTH);
        if (Sids.isDeviceSid(uniqueName)) {
            throw new CloudException.InvalidParameter(parameter, parameter
                    + " must not have the shape of a device SID (UV and 32 hex digits), because"
                    + " paths accept a SID or a unique name in the same place");
        }
    }

    /**
     * Checks a value's length and encoding. The message never quotes the value, which may be a
     * secret.
     */
    public static void checkValue(String parameter, String value) {
        if (value == null) {
            throw missing(parameter);
        }
        if (value.isEmpty()) {
            throw new CloudException.InvalidParameter(parameter,
                    parameter + " is empty; it must be 1 to " + MAX_VALUE_LENGTH + " characters");
        }

        int codePoints = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new CloudException.InvalidParameter(parameter, parameter
                        + " contains an unpaired UTF-16 surrogate at index " + i
                        + "; it must be valid Unicode text");
            }
            codePoints++;
        }

        if (codePoints > MAX_VALUE_LENGTH) {
            throw new CloudException.InvalidParameter(parameter, parameter + " is " + codePoints
                    + " characters (Unicode code points) long; the maximum is " + MAX_VALUE_LENGTH);
        }
    }

    public static CloudException.InvalidParameter missing(String parameter) {
        return new CloudException.InvalidParameter(parameter,
                "Missing required parameter " + parameter + " in the post body");
    }

    /** Checks 1 to {@code maxLength} characters of 0x21–0x7E except slash. */
    private static void checkToken(String parameter, String token, int maxLength) {
        if (token == null) {
            throw missing(parameter);
        }
        if (token.isEmpty()) {
            throw new CloudException.InvalidParameter(parameter,
                    parameter + " is empty; it must be 1 to " + maxLength + " characters");
        }

        // Check the characters before the length so that the length, in code points, is also
        // the length in chars and bytes.
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '/') {
                throw new CloudException.InvalidParameter(parameter, parameter + " contains "
                        + describe(token.codePointAt(i)) + " at index " + i + "; allowed are"
                        + " printable ASCII characters (0x21 to 0x7E) except '/'");
            }
        }

        if (token.length() > maxLength) {
            throw new CloudException.InvalidParameter(parameter, parameter + " is " + token.length()
                    + " characters long; the maximum is " + maxLength);
        }

        // HTTP clients collapse the path segments "." and ".." before sending, so an item with
        // such a key could never be fetched, updated or deleted through its own url.
        if (token.equals(".") || token.equals("..")) {
            throw new CloudException.InvalidParameter(parameter, parameter + " is '" + token
                    + "', which URL paths treat as a relative segment; choose another name");
        }
    }

    private static String describe(int codePoint) {
        String code = String.format("U+%04X", codePoint);
        if (codePoint == ' ') {
            return "a space (" + code + ")";
        }
        if (codePoint == '/') {
            return "a slash (" + code + ")";
        }
        return Character.isISOControl(codePoint) ? "the control character " + code : "the character " + code;
    }
}
