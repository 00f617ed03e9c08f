package dev.mvsim.bridge;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Packets over one byte stream: a socket or a serial line. It starts with version 1 packets
 * ({@link Packets}), which the handshake always uses, and a socket link switches to version 2
 * ({@link StreamPackets}) when the handshake chose it.
 */
final class PacketLink implements Closeable {

    private static final int READ_CHUNK_BYTES = 64 * 1024;

    private final InputStream input;
    private final OutputStream output;
    private final Closeable resource;
    private final PacketReader reader;
    /** Set once the link uses version 2 packets. */
    private StreamPacketReader streamReader;

    private byte[] chunk;
    private int chunkStart;
    private int chunkEnd;

    PacketLink(InputStream input, OutputStream output, Closeable resource, PacketReader.DropListener dropListener) {
        this.input = input;
        this.output = output;
        this.resource = resource;
        this.reader = new PacketReader(null, dropListener);
    }

    /**
     * Switches both directions to version 2 packets. Bytes already read behind the last version 1
     * packet are read as version 2, because the peer switched right after that packet.
     */
    void useStreamFraming() {
        streamReader = new StreamPacketReader();
    }

    /**
     * Blocks for the next valid packet's payload; returns null when the peer closed the stream.
     *
     * @throws IOException if reading fails, or if a version 2 stream breaks its framing or ends
     *     inside a packet
     */
    byte[] read() throws IOException {
        if (chunk == null) {
            chunk = new byte[READ_CHUNK_BYTES];
        }
        while (true) {
            byte[] packet = streamReader != null ? streamReader.poll() : reader.poll();
            if (packet != null) {
                return packet;
            }
            if (streamReader != null && streamReader.failure() != null) {
                throw new IOException("invalid version 2 packet: " + streamReader.failure());
            }
            if (chunkStart == chunkEnd && !fill()) {
                return null;
            }
            if (streamReader != null) {
                streamReader.accept(chunk, chunkStart, chunkEnd - chunkStart);
                chunkStart = chunkEnd;
            } else {
                chunkStart += reader.acceptPacket(chunk, chunkStart, chunkEnd - chunkStart);
            }
        }
    }

    /** Reads the next bytes into the chunk; returns false at the end of the stream. */
    private boolean fill() throws IOException {
        int count = input.read(chunk);
        if (count < 0) {
            if (streamReader != null && streamReader.partialBytes() > 0) {
                throw new IOException("the peer closed the stream inside a packet, after "
                        + streamReader.partialBytes() + " of its bytes");
            }
            return false;
        }
        chunkStart = 0;
        chunkEnd = count;
        return true;
    }

    void write(byte[] payload) throws IOException {
        output.write(encode(payload));
        output.flush();
    }

    /** Writes the packets of several payloads with one write call. */
    void writeTogether(byte[]... payloads) throws IOException {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] payload : payloads) {
            joined.writeBytes(encode(payload));
        }
        output.write(joined.toByteArray());
        output.flush();
    }

    private byte[] encode(byte[] payload) {
        return streamReader != null ? StreamPackets.encode(payload) : Packets.encode(payload);
    }

    long droppedPackets() {
        return reader.droppedPackets();
    }

    @Override
    public void close() throws IOException {
        resource.close();
    }
}
