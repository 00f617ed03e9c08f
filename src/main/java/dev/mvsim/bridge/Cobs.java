package dev.mvsim.bridge;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Consistent Overhead Byte Stuffing: rewrites a byte string so that it contains no zero byte, at a
 * cost of one byte per 254 bytes plus one. The zero byte is then free to delimit packets, so a
 * receiver that joins a serial line mid-stream, or loses bytes to noise, finds the next packet
 * boundary at the next zero.
 */
public final class Cobs {

    /** Largest run a code byte can describe: 254 data bytes and no implied zero. */
    private static final int MAX_CODE = 0xFF;

    private Cobs() {
    }

    /** Returns the largest encoded size of {@code length} bytes, without the delimiter. */
    public static int maxEncodedLength(int length) {
        return length + length / (MAX_CODE - 1) + 1;
    }

    /** Encodes {@code length} bytes of {@code data} from {@code offset}; the result contains no zero byte. */
    public static byte[] encode(byte[] data, int offset, int length) {
        byte[] encoded = new byte[maxEncodedLength(length)];
        int codeIndex = 0;
        int write = 1;
        int code = 1;

        for (int i = offset; i < offset + length; i++) {
            byte value = data[i];
            if (value == 0) {
                encoded[codeIndex] = (byte) code;
                codeIndex = write++;
                code = 1;
                continue;
            }
            encoded[write++] = value;
            code++;
            if (code == MAX_CODE) {
                encoded[codeIndex] = (byte) code;
                codeIndex = write++;
                code = 1;
            }
        }
        encoded[codeIndex] = (byte) code;
        return Arrays.copyOf(encoded, write);
    }

    /**
     * Decodes {@code length} encoded bytes into {@code target} from index 0 and returns the decoded
     * length. The output is never longer than the input, so a {@code target} of {@code length}
     * bytes always suffices.
     *
     * @throws CobsException if the input contains a zero byte or a code byte runs past its end
     */
    public static int decode(byte[] encoded, int offset, int length, byte[] target) throws CobsException {
        int read = offset;
        int end = offset + length;
        int write = 0;

        while (read < end) {
            int code = encoded[read] & 0xFF;
            if (code == 0) {
                throw new CobsException("zero byte at offset " + (read - offset) + " inside an encoded packet");
            }
            read++;
            if (read + code - 1 > end) {
                throw new CobsException("code byte " + code + " at offset " + (read - 1 - offset)
                        + " runs past the end of the " + length + "-byte packet");
            }
            for (int i = 1; i < code; i++) {
                byte value = encoded[read++];
                if (value == 0) {
                    throw new CobsException("zero byte at offset " + (read - 1 - offset) + " inside an encoded packet");
                }
                target[write++] = value;
            }

            // Every run but a full one and the last ends in the zero that the code byte replaced.
            if (code != MAX_CODE && read < end) {
                target[write++] = 0;
            }
        }
        return write;
    }

    /**
     * Decodes {@code length} encoded bytes. The output is never longer than the input, so the
     * allocation is bounded by what the caller already holds.
     *
     * @throws CobsException if the input contains a zero byte or a code byte runs past its end
     */
    public static byte[] decode(byte[] encoded, int offset, int length) throws CobsException {
        byte[] decoded = new byte[length];
        int written = decode(encoded, offset, length, decoded);
        return Arrays.copyOf(decoded, written);
    }

    /**
     * Encodes bytes into a buffer as they come, so that a caller can encode several pieces as one
     * run without joining them first. The buffer needs room for
     * {@link #maxEncodedLength} of all the bytes written.
     */
    static final class Writer {

        private final ByteBuffer target;
        private int codePosition;
        private int code = 1;

        /** Starts a run at the buffer's position. */
        Writer(ByteBuffer target) {
            this.target = target;
            this.codePosition = target.position();
            target.put((byte) 0);
        }

        void write(byte value) {
            if (value == 0) {
                closeBlock();
                return;
            }
            target.put(value);
            code++;
            if (code == MAX_CODE) {
                closeBlock();
            }
        }

        void write(byte[] data, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(data[i]);
            }
        }

        /** Writes the last code byte; the run then ends at the buffer's position. */
        void finish() {
            target.put(codePosition, (byte) code);
        }

        private void closeBlock() {
            target.put(codePosition, (byte) code);
            codePosition = target.position();
            target.put((byte) 0);
            code = 1;
        }
    }

    /** An encoded packet that no COBS encoder could have written. */
    public static final class CobsException extends Exception {
        public CobsException(String message) {
            super(message);
        }
    }
}
