package dev.mvsim.bridge;

import dev.mvsim.wire.WireLimits;
import java.nio.ByteBuffer;

/**
 * The packets of bridge protocol version 2, which TCP and Unix socket connections use after the
 * handshake: {@code length (u32 little-endian) || payload}, with no COBS and no CRC, because a
 * stream socket neither loses nor damages bytes. The payload is the same as in a version 1 packet:
 * one frame from the device, or the frames of one reply or push from the server. The length keeps
 * that packet boundary, which frame headers alone cannot mark: libmvhost tells a push from the
 * notification frames that lead a reply by it. A serial line keeps {@link Packets}.
 */
public final class StreamPackets {

    public static final int LENGTH_BYTES = 4;

    /** Largest payload, as in version 1: two maximum-size frames. */
    public static final int MAX_PAYLOAD_BYTES = Packets.MAX_PAYLOAD_BYTES;

    /** Smallest payload: one frame header. */
    public static final int MIN_PAYLOAD_BYTES = WireLimits.HEADER_BYTES;

    private StreamPackets() {
    }

    /** Returns the packet that carries {@code payload}: its length, then the payload. */
    public static byte[] encode(byte[] payload) {
        checkPayload(payload.length);
        byte[] packet = new byte[LENGTH_BYTES + payload.length];
        for (int i = 0; i < LENGTH_BYTES; i++) {
            packet[i] = (byte) (payload.length >>> (8 * i));
        }
        System.arraycopy(payload, 0, packet, LENGTH_BYTES, payload.length);
        return packet;
    }

    /** Puts the packet that carries {@code payload} into {@code target}, which needs its room. */
    static void put(byte[] payload, ByteBuffer target) {
        checkPayload(payload.length);
        for (int i = 0; i < LENGTH_BYTES; i++) {
            target.put((byte) (payload.length >>> (8 * i)));
        }
        target.put(payload);
    }

    private static void checkPayload(int length) {
        if (length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("packet payload of " + length + " bytes is above the maximum "
                    + MAX_PAYLOAD_BYTES);
        }
    }
}
