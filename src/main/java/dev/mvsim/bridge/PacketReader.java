package dev.mvsim.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;

/**
 * Splits a byte stream into packets at each zero byte and decodes them. A damaged or oversized
 * packet is dropped, reported to the {@link DropListener}, and reading resumes at the next
 * delimiter, so garbage on a serial line costs at most the packet it hit. Memory is bounded by
 * {@link Packets#MAX_ENCODED_BYTES} however long a run without a delimiter is.
 */
public final class PacketReader {

    /** Receives every dropped packet with the reason; the reader itself never logs. */
    @FunctionalInterface
    public interface DropListener {
        void dropped(String reason);
    }

    private static final int INITIAL_BUFFER_BYTES = 512;
    private static final int READ_CHUNK_BYTES = 64 * 1024;

    private final InputStream input;
    private final int maxEncodedBytes;
    private final DropListener dropListener;
    private byte[] chunk;
    private final Queue<byte[]> decoded = new ArrayDeque<>();

    private byte[] pending = new byte[INITIAL_BUFFER_BYTES];
    private byte[] decodeScratch = new byte[INITIAL_BUFFER_BYTES];
    private int pendingLength;
    private boolean discarding;
    private long droppedPackets;

    public PacketReader(InputStream input, DropListener dropListener) {
        this(input, Packets.MAX_ENCODED_BYTES, dropListener);
    }

    /**
     * Creates a reader that drops packets above {@code maxEncodedBytes}, for links that promise
     * smaller ones. With a null {@code input}, bytes come in through {@link #accept} only.
     */
    public PacketReader(InputStream input, int maxEncodedBytes, DropListener dropListener) {
        this.input = input;
        this.maxEncodedBytes = maxEncodedBytes;
        this.dropListener = dropListener;
    }

    /**
     * Blocks until a valid packet arrives and returns its payload, or returns null at the end of
     * the stream. Damaged packets on the way are dropped and reported.
     */
    public byte[] read() throws IOException {
        if (chunk == null) {
            chunk = new byte[READ_CHUNK_BYTES];
        }
        while (decoded.isEmpty()) {
            int count = input.read(chunk);
            if (count < 0) {
                return null;
            }
            accept(chunk, 0, count);
        }
        return decoded.poll();
    }

    /** Feeds bytes received by other means; decoded payloads queue up for {@link #poll()}. */
    public void accept(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int runStart = offset;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == Packets.DELIMITER) {
                append(bytes, runStart, i - runStart);
                finishPacket();
                runStart = i + 1;
            }
        }
        append(bytes, runStart, end - runStart);
    }

    /**
     * Feeds bytes up to the delimiter that ends the next valid packet and returns how many it took,
     * so that a link whose framing changes after that packet keeps the bytes behind it.
     */
    int acceptPacket(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int runStart = offset;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == Packets.DELIMITER) {
                append(bytes, runStart, i - runStart);
                int before = decoded.size();
                finishPacket();
                runStart = i + 1;
                if (decoded.size() > before) {
                    return runStart - offset;
                }
            }
        }
        append(bytes, runStart, end - runStart);
        return length;
    }

    /** Returns how many bytes of an unfinished packet the reader holds. */
    int pendingBytes() {
        return pendingLength;
    }

    /** Returns true if the reader contains no decoded payload and no bytes of an unfinished packet. */
    boolean isEmpty() {
        return decoded.isEmpty() && pendingLength == 0 && !discarding;
    }

    /** Returns the next decoded payload fed through {@link #accept}, or null when none is waiting. */
    public byte[] poll() {
        return decoded.poll();
    }

    /** Counts packets dropped since this reader was made. */
    public long droppedPackets() {
        return droppedPackets;
    }

    /** Appends a run of bytes that contains no delimiter to the packet being read. */
    private void append(byte[] bytes, int offset, int length) {
        if (discarding || length == 0) {
            return;
        }
        if (length > maxEncodedBytes - pendingLength) {
            drop("packet exceeds " + maxEncodedBytes + " encoded bytes; skipping to the next delimiter");
            discarding = true;
            pendingLength = 0;
            return;
        }
        int needed = pendingLength + length;
        if (needed > pending.length) {
            pending = Arrays.copyOf(pending, Math.min(maxEncodedBytes, Math.max(needed, pending.length * 2)));
        }
        System.arraycopy(bytes, offset, pending, pendingLength, length);
        pendingLength = needed;
    }

    private void finishPacket() {
        if (discarding) {
            discarding = false;
            return;
        }

        // Back-to-back delimiters carry nothing; senders may use them to resynchronise a line.
        if (pendingLength == 0) {
            return;
        }
        if (decodeScratch.length < pendingLength) {
            decodeScratch = new byte[pending.length];
        }
        try {
            decoded.add(Packets.decode(pending, 0, pendingLength, decodeScratch));
        } catch (Packets.PacketException damaged) {
            drop(damaged.getMessage());
        }
        pendingLength = 0;

        // A rare large packet must not keep its buffers alive for the connection's life.
        if (pending.length > READ_CHUNK_BYTES) {
            pending = new byte[INITIAL_BUFFER_BYTES];
            decodeScratch = new byte[INITIAL_BUFFER_BYTES];
        }
    }

    private void drop(String reason) {
        droppedPackets++;
        dropListener.dropped(reason);
    }
}
