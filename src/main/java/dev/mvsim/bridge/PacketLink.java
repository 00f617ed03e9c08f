package dev.mvsim.bridge;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Packets over one byte stream: a socket or a serial line. */
final class PacketLink implements Closeable {

    private final PacketReader reader;
    private final OutputStream output;
    private final Closeable resource;

    PacketLink(InputStream input, OutputStream output, Closeable resource, PacketReader.DropListener dropListener) {
        this.reader = new PacketReader(input, dropListener);
        this.output = output;
        this.resource = resource;
    }

    /** Blocks for the next valid packet's payload; returns null when the peer closed the stream. */
    byte[] read() throws IOException {
        return reader.read();
    }

    void write(byte[] payload) throws IOException {
        output.write(Packets.encode(payload));
        output.flush();
    }

    /** Writes the packets of several payloads with one write call. */
    void writeTogether(byte[]... payloads) throws IOException {
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        for (byte[] payload : payloads) {
            joined.writeBytes(Packets.encode(payload));
        }
        output.write(joined.toByteArray());
        output.flush();
    }

    long droppedPackets() {
        return reader.droppedPackets();
    }

    @Override
    public void close() throws IOException {
        resource.close();
    }
}
