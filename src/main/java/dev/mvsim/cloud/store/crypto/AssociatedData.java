package dev.mvsim.cloud.store.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds the associated data that binds a ciphertext to the identity of its record. Each field
 * is written as a 4-byte big-endian length followed by its UTF-8 bytes, so no two different
 * field lists produce the same bytes (unlike plain concatenation, where "ab"+"c" equals
 * "a"+"bc"). A null field is written as length -1, distinct from the empty string.
 */
public final class AssociatedData {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);

    private AssociatedData() {}

    /**
     * Starts associated data with a purpose label (such as "item" or "device-key"), so values
     * of different kinds can never be swapped for one another even when their other fields match.
     */
    public static AssociatedData forPurpose(String purpose) {
        return new AssociatedData().add(purpose);
    }

    /** Appends one length-prefixed field; null is allowed and differs from "". */
    public AssociatedData add(String field) {
        if (field == null) {
            writeLength(-1);
            return this;
        }

        byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
        writeLength(utf8.length);
        bytes.writeBytes(utf8);
        return this;
    }

    public byte[] toBytes() {
        return bytes.toByteArray();
    }

    private void writeLength(int length) {
        bytes.write(length >>> 24);
        bytes.write(length >>> 16);
        bytes.write(length >>> 8);
        bytes.write(length);
    }
}
