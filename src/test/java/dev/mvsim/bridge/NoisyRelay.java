package dev.mvsim.bridge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies bytes between two serial lines in both directions and damages them on the way: now and
 * then it inserts random garbage or drops a whole chunk read from the line, which loses or tears a
 * packet. The seed fixes the damage pattern for a given chunking.
 */
final class NoisyRelay implements AutoCloseable {

    private final FileChannel leftIn;
    private final FileChannel leftOut;
    private final FileChannel rightIn;
    private final FileChannel rightOut;
    private final double garbageChance;
    private final double dropChance;
    private final Random random;
    final AtomicLong garbageInserted = new AtomicLong();
    final AtomicLong chunksDropped = new AtomicLong();

    NoisyRelay(Path leftLine, Path rightLine, long seed, double garbageChance, double dropChance) throws IOException {
        // One channel per direction: a FileChannel holds a lock across a blocked read that its writes also need.
        leftIn = FileChannel.open(leftLine, StandardOpenOption.READ);
        leftOut = FileChannel.open(leftLine, StandardOpenOption.WRITE);
        rightIn = FileChannel.open(rightLine, StandardOpenOption.READ);
        rightOut = FileChannel.open(rightLine, StandardOpenOption.WRITE);
        this.random = new Random(seed);
        this.garbageChance = garbageChance;
        this.dropChance = dropChance;
        start("relay-left-to-right", leftIn, rightOut);
        start("relay-right-to-left", rightIn, leftOut);
    }

    private void start(String name, FileChannel from, FileChannel to) {
        Thread thread = new Thread(() -> copy(from, to), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void copy(FileChannel from, FileChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try {
            while (from.read(buffer.clear()) >= 0) {
                buffer.flip();
                double roll;
                synchronized (random) {
                    roll = random.nextDouble();
                }
                if (roll < dropChance) {
                    chunksDropped.incrementAndGet();
                    continue;
                }
                if (roll < dropChance + garbageChance) {
                    byte[] garbage = new byte[1 + (int) (roll * 1000) % 8];
                    synchronized (random) {
                        random.nextBytes(garbage);
                    }
                    to.write(ByteBuffer.wrap(garbage));
                    garbageInserted.incrementAndGet();
                }
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
            }
        } catch (IOException closed) {
            // The test closed the relay, or a line went away; either way copying is over.
        }
    }

    @Override
    public void close() throws IOException {
        leftIn.close();
        leftOut.close();
        rightIn.close();
        rightOut.close();
    }
}
