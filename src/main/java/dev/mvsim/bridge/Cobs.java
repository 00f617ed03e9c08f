package dev.mvsim.bridge;

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
        Writer writer = new Writer(encoded, 0);
        writer.write(data, offset, length);
        return Arrays.copyOf(encoded, writer.finish());
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
     * Encodes bytes into an array as they come, so that a caller can encode several pieces as one
     * run without joining them first. The array needs room for {@link #maxEncodedLength} of all
     * the bytes written, from the offset the writer starts at.
     */
    static final class Writer {

        private final byte[] target;
        private int position;
        /** Index of the code byte of the run being written, filled in when the run ends. */
        private int codePosition;
        private int code = 1;

        /** Starts a run at {@code offset} in {@code target}. */
        Writer(byte[] target, int offset) {
            this.target = target;
            this.codePosition = offset;
            this.position = offset + 1;
        }

        void write(byte value) {
            if (value == 0) {
                closeRun();
                return;
            }
            target[position++] = value;
            code++;
            if (code == MAX_CODE) {
                closeRun();
            }
        }

        void write(byte[] data, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(data[i]);
            }
        }

        /** Writes the last code byte and returns the index just past the encoded bytes. */
        int finish() {
            target[codePosition] = (byte) code;
            return position;
        }

        private void closeRun() {
            target[codePosition] = (byte) code;
            codePosition = position++;
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
