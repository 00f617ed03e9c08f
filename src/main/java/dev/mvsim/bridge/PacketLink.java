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

    long droppedPackets() {
        return reader.droppedPackets();
    }

    @Override
    public void close() throws IOException {
        resource.close();
    }
}
