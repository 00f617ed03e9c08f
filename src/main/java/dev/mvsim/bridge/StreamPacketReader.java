package dev.mvsim.bridge;

import dev.mvsim.wire.WireLimits;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;

/**
 * Splits a version 2 byte stream into packet payloads ({@link StreamPackets}). A reliable stream
 * has no delimiter to resynchronise at, so the first bad packet ends the reading: a length below a
 * frame header or above {@link StreamPackets#MAX_PAYLOAD_BYTES}, or a payload that does not start
 * with the frame magic {@code 'M' 'V'}. The payloads completed before it can still be polled, then
 * {@link #failure()} returns the reason and the caller closes the connection.
 *
 * <p>The buffer of a packet grows with the bytes that arrive, never straight to the declared
 * length, so a peer that declares a large packet and sends nothing pins no memory.
 */
public final class StreamPacketReader {

    private static final int MIN_BUFFER_BYTES = 512;

    private final int maxPayloadBytes;
    private final Queue<byte[]> decoded = new ArrayDeque<>();

    private final byte[] lengthBytes = new byte[StreamPackets.LENGTH_BYTES];
    private int lengthFilled;
    /** Length of the packet being read, or -1 while its length prefix is incomplete. */
    private int expected = -1;
    private byte[] payload;
    private int payloadFilled;
    private String failure;

    public StreamPacketReader() {
        this(StreamPackets.MAX_PAYLOAD_BYTES);
    }

    /** Creates a reader that rejects payloads above {@code maxPayloadBytes}, for links that promise smaller ones. */
    public StreamPacketReader(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** Feeds received bytes; completed payloads queue up for {@link #poll()}. Bytes after a failure are ignored. */
    public void accept(byte[] bytes, int offset, int length) {
        int position = offset;
        int end = offset + length;
        while (position < end && failure == null) {
            if (expected < 0) {
                position = readLength(bytes, position, end);
            } else {
                position = readPayload(bytes, position, end);
            }
        }
    }

    /** Returns the next complete payload, or null when none is waiting. */
    public byte[] poll() {
        return decoded.poll();
    }

    /** Returns why the stream cannot be read on, or null while it can. */
    public String failure() {
        return failure;
    }

    /** Returns how many bytes of an unfinished packet, its length prefix included, the reader holds. */
    public int partialBytes() {
        return expected < 0 ? lengthFilled : StreamPackets.LENGTH_BYTES + payloadFilled;
    }

    private int readLength(byte[] bytes, int position, int end) {
        int taken = Math.min(StreamPackets.LENGTH_BYTES - lengthFilled, end - position);
        System.arraycopy(bytes, position, lengthBytes, lengthFilled, taken);
        lengthFilled += taken;
        if (lengthFilled < StreamPackets.LENGTH_BYTES) {
            return position + taken;
        }

        long length = 0;
        for (int i = 0; i < StreamPackets.LENGTH_BYTES; i++) {
            length |= (long) (lengthBytes[i] & 0xFF) << (8 * i);
        }
        lengthFilled = 0;
        if (length < StreamPackets.MIN_PAYLOAD_BYTES) {
            failure = "packet length " + length + " is below the " + StreamPackets.MIN_PAYLOAD_BYTES
                    + "-byte frame header";
        } else if (length > maxPayloadBytes) {
            failure = "packet length " + length + " is above the maximum of " + maxPayloadBytes + " bytes";
        } else {
            expected = (int) length;
            payloadFilled = 0;
            payload = new byte[Math.min(expected, Math.max(MIN_BUFFER_BYTES, end - position - taken))];
        }
        return position + taken;
    }

    private int readPayload(byte[] bytes, int position, int end) {
        int taken = Math.min(expected - payloadFilled, end - position);
        int needed = payloadFilled + taken;
        if (needed > payload.length) {
            payload = Arrays.copyOf(payload, Math.min(expected, Math.max(needed, payload.length * 2)));
        }
        System.arraycopy(bytes, position, payload, payloadFilled, taken);
        payloadFilled = needed;
        if (payloadFilled == expected) {
            finishPacket();
        }
        return position + taken;
    }

    private void finishPacket() {
        byte[] complete = payload;
        payload = null;
        expected = -1;
        int magic = (complete[0] & 0xFF) | (complete[1] & 0xFF) << 8;
        if (magic != WireLimits.MAGIC) {
            failure = String.format("packet of %d bytes starts with 0x%02x%02x, not a frame's magic 'MV'",
                    complete.length, complete[0] & 0xFF, complete[1] & 0xFF);
            return;
        }
        decoded.add(complete);
    }
}
