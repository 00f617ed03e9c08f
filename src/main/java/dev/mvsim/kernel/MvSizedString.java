package dev.mvsim.kernel;

import java.nio.charset.StandardCharsets;

/**
 * The C {@code struct MvSizedString}: a pointer plus a length, with no terminator. A null
 * {@code data} is a NULL pointer. A {@code length} larger than {@code data.length} is a
 * pointer whose range runs past readable memory, and the kernel treats it as a bad pointer.
 *
 * @param data   the bytes, or null for a NULL pointer
 * @param length the length in bytes, unsigned 32-bit
 */
public record MvSizedString(byte[] data, int length) {

    /** The empty string with a NULL pointer, as demos pass for a channel endpoint. */
    public static final MvSizedString EMPTY = new MvSizedString(null, 0);

    /** Returns the sized string of the given ASCII text. */
    public static MvSizedString of(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return new MvSizedString(bytes, bytes.length);
    }

    /** Returns true when the kernel can read all {@code length} bytes. */
    boolean isReadable() {
        if (length == 0) {
            return true;
        }
        return data != null && Integer.toUnsignedLong(length) <= data.length;
    }

    @Override
    public String toString() {
        return "MvSizedString[" + Integer.toUnsignedString(length) + " bytes]";
    }
}
