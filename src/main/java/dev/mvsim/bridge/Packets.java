package dev.mvsim.bridge;

import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The packets of bridge protocol version 1, which every handshake uses and a serial line keeps
 * throughout: a packet is {@code COBS(payload || CRC-32(payload) little-endian) || 0x00}. The CRC
 * is the IEEE 802.3 polynomial as zlib computes it. The delimiter lets a receiver resynchronise
 * after noise, and the CRC finds damaged packets. TCP and Unix sockets switch to
 * {@link StreamPackets} after the handshake when both sides speak version 2.
 */
public final class Packets {

    public static final byte DELIMITER = 0;

    public static final int CRC_BYTES = 4;

    /**
     * Largest payload: two maximum-size frames, room for a reply whose notification frames precede
     * its response, as libmvhost's reply buffer allows.
     */
    public static final int MAX_PAYLOAD_BYTES = 2 * dev.mvsim.wire.WireLimits.MAX_FRAME_BYTES;

    /** Largest encoded packet without its delimiter; a receiver drops anything longer. */
    public static final int MAX_ENCODED_BYTES = Cobs.maxEncodedLength(MAX_PAYLOAD_BYTES + CRC_BYTES);

    private Packets() {
    }

    /** Returns the packet that carries {@code payload}, delimiter included. */
    public static byte[] encode(byte[] payload) {
        byte[] packet = new byte[maxPacketBytes(payload.length)];
        int length = encode(payload, packet);
        return Arrays.copyOf(packet, length);
    }

    /** Returns the largest packet, delimiter included, that carries a payload of {@code payloadLength} bytes. */
    static int maxPacketBytes(int payloadLength) {
        return Cobs.maxEncodedLength(payloadLength + CRC_BYTES) + 1;
    }

    /**
     * Writes the packet that carries {@code payload}, delimiter included, from index 0 of
     * {@code target} and returns its length. The array needs {@link #maxPacketBytes} of room.
     */
    static int encode(byte[] payload, byte[] target) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("packet payload of " + payload.length + " bytes is above the maximum "
                    + MAX_PAYLOAD_BYTES);
        }
        long crc = crc32(payload, 0, payload.length);

        Cobs.Writer writer = new Cobs.Writer(target, 0);
        writer.write(payload, 0, payload.length);
        for (int i = 0; i < CRC_BYTES; i++) {
            writer.write((byte) (crc >>> (8 * i)));
        }
        int end = writer.finish();
        target[end] = DELIMITER;
        return end + 1;
    }

    /**
     * Decodes the bytes between two delimiters into the payload.
     *
     * @throws PacketException if the bytes are not valid COBS, too short for a CRC, or fail the CRC
     */
    public static byte[] decode(byte[] encoded, int offset, int length) throws PacketException {
        return decode(encoded, offset, length, new byte[length]);
    }

    /**
     * Decodes the bytes between two delimiters into the payload, using {@code scratch}, at least
     * {@code length} bytes long, for the decoded bytes and their CRC. The payload is the only array
     * allocated.
     *
     * @throws PacketException if the bytes are not valid COBS, too short for a CRC, or fail the CRC
     */
    static byte[] decode(byte[] encoded, int offset, int length, byte[] scratch) throws PacketException {
        int checkedLength;
        try {
            checkedLength = Cobs.decode(encoded, offset, length, scratch);
        } catch (Cobs.CobsException invalid) {
            throw new PacketException("invalid COBS encoding: " + invalid.getMessage());
        }
        if (checkedLength < CRC_BYTES) {
            throw new PacketException("packet of " + checkedLength + " bytes is shorter than its 4-byte CRC");
        }

        byte[] checked = scratch;
        int payloadLength = checkedLength - CRC_BYTES;
        long expected = crc32(checked, 0, payloadLength);
        long received = readCrc(checked, payloadLength);
        if (expected != received) {
            throw new PacketException(String.format("CRC-32 mismatch on a %d-byte payload: received %08x, computed %08x",
                    payloadLength, received, expected));
        }
        return Arrays.copyOf(checked, payloadLength);
    }

    static long crc32(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    private static long readCrc(byte[] source, int offset) {
        long crc = 0;
        for (int i = 0; i < CRC_BYTES; i++) {
            crc |= (long) (source[offset + i] & 0xFF) << (8 * i);
        }
        return crc;
    }

    /** A packet that arrived damaged: bad stuffing, too short, or a failed CRC. */
    public static final class PacketException extends Exception {
        public PacketException(String message) {
            super(message);
        }
    }
}
