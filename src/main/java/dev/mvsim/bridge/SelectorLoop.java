package dev.mvsim.bridge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread of the bridge: it accepts, reads, runs the device sessions and writes for
 * the connections registered with it. Other threads hand it work with {@link #execute}, so each
 * connection is touched by its loop's thread only.
 */
final class SelectorLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SelectorLoop.class);

    /** Maximum wait in select(), so that handshake deadlines are checked at least this often. */
    private static final long SELECT_TIMEOUT_MILLIS = 250;

    /** Size of the shared read and write buffers. A larger packet takes a slower path. */
    static final int BUFFER_BYTES = 64 * 1024;

    /** Bound on the wait for the thread to finish when the server closes. */
    private static final long STOP_MILLIS = 5000;

    /** Reacts to the readiness of one registered channel, on the loop's thread. */
    interface Handler {
        void ready(SelectionKey key) throws IOException;

        /** Closes the channel because the loop stops; logs nothing. */
        void closeForShutdown();
    }

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Set<SocketConnection> connections = new HashSet<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(BUFFER_BYTES);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final byte[] encodeArray = new byte[BUFFER_BYTES];
    private final Consumer<SelectionKey> dispatcher = this::dispatch;
    private volatile boolean stopping;

    SelectorLoop(String name) throws IOException {
        this.selector = Selector.open();
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    /** Buffer that connections read into; valid only during a {@link Handler#ready} call. */
    ByteBuffer readBuffer() {
        return readBuffer;
    }

    /**
     * Direct buffer that connections encode a packet into and write from, which spares the JDK's
     * copy of a heap buffer into a temporary direct one. Valid only during one write call.
     */
    ByteBuffer writeBuffer() {
        return writeBuffer;
    }

    /**
     * Array that connections COBS-encode a packet into before copying it into {@link #writeBuffer}
     * in one call, because encoding byte by byte into a direct buffer costs a bounds check and an
     * address computation per byte. Valid only during one write call.
     */
    byte[] encodeArray() {
        return encodeArray;
    }

    /** Runs {@code task} on the loop's thread, soon. Tasks handed in after {@link #close} never run. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Tracks a connection for its handshake deadline; called on the loop's thread. */
    void track(SocketConnection connection) {
        connections.add(connection);
    }

    void untrack(SocketConnection connection) {
        connections.remove(connection);
    }

    private void run() {
        try {
            while (!stopping) {
                // The action form of select() hands each ready key straight to dispatch, with no
                // selected-key set to fill and no iterator to allocate on every wake-up.
                selector.select(dispatcher, SELECT_TIMEOUT_MILLIS);
                runTasks();
                checkDeadlines();
            }
        } catch (IOException | ClosedSelectorException failure) {
            if (!stopping) {
                log.error("bridge selector thread {} failed; its connections are closed", thread.getName(), failure);
            }
        } finally {
            shutDown();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException | OutOfMemoryError failure) {
                log.error("a bridge task on {} failed", thread.getName(), failure);
            }
        }
    }

    private void dispatch(SelectionKey key) {
        Handler handler = (Handler) key.attachment();
        if (!key.isValid()) {
            return;
        }
        try {
            handler.ready(key);
        } catch (IOException | RuntimeException | OutOfMemoryError failure) {
            // A failure of one connection must not stop the loop that serves hundreds of others. A
            // connection that ran the heap out is dropped too, which frees what it held.
            if (handler instanceof SocketConnection connection) {
                connection.fail(failure);
            } else {
                log.error("bridge listener on {} failed", thread.getName(), failure);
            }
        }
    }

    private void checkDeadlines() {
        // Only connections that are still in their handshake are tracked, so this is empty under load.
        if (connections.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        List<SocketConnection> expired = new ArrayList<>();
        for (SocketConnection connection : connections) {
            if (connection.handshakeExpired(now)) {
                expired.add(connection);
            }
        }
        for (SocketConnection connection : expired) {
            connection.dropForHandshakeTimeout();
        }
    }

    private void shutDown() {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Handler handler) {
                handler.closeForShutdown();
            }
        }
        connections.clear();
        try {
            selector.close();
        } catch (IOException failure) {
            log.debug("closing the selector of {} failed: {}", thread.getName(), failure.getMessage());
        }
    }

    /** Closes every channel of this loop and waits for its thread to end. */
    @Override
    public void close() {
        stopping = true;
        selector.wakeup();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(STOP_MILLIS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
