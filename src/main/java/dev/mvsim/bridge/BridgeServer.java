package dev.mvsim.bridge;

import dev.mvsim.link.DeviceKeys;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets out-of-process firmware reach device kernels: listens on loopback TCP, a Unix domain socket
 * and serial lines, authenticates each device and serves one {@link BridgeSession} per
 * connection. Sockets are served by a few selector threads, about one per core, with no thread
 * per device. One timer thread wakes wall-clock devices whose events fall due. A serial line keeps
 * a blocking thread of its own. Close the server to stop every listener and connection.
 */
public final class BridgeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BridgeServer.class);

    /** How long a socket may take from connecting to a complete handshake before it is dropped. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /** Stack of a serial line's thread; the frame loop is shallow. */
    private static final long CONNECTION_STACK_BYTES = 256 * 1024;

    private final ServerHandshake handshake;
    private final BridgeSessionFactory sessions;
    private final BridgeStats stats = new BridgeStats();
    private final BridgeTimers timers = new BridgeTimers();
    private final SocketConnection.Shared shared;
    private final List<SelectorLoop> loops = new ArrayList<>();
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final Set<ReopeningSerialLine> serialLines = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final List<Path> socketFiles = new ArrayList<>();
    private volatile boolean closed;
    private int tcpPort = -1;

    private BridgeServer(DeviceKeys keys, BridgeSessionFactory sessions, Duration handshakeTimeout) {
        this.handshake = new ServerHandshake(keys, new NonceLedger(), new SecureRandom());
        this.sessions = sessions;
        this.shared = new SocketConnection.Shared(handshake, sessions, stats, timers, handshakeTimeout);
    }

    /** Returns a server with no listener yet; add them with {@link #listenTcp}, {@link #listenUnix} and {@link #attachSerial}. */
    public static BridgeServer create(DeviceKeys keys, BridgeSessionFactory sessions) {
        return create(keys, sessions, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /**
     * Returns a server with no listener yet that drops a socket whose handshake is not complete
     * {@code handshakeTimeout} after it connected.
     */
    public static BridgeServer create(DeviceKeys keys, BridgeSessionFactory sessions, Duration handshakeTimeout) {
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive, got " + handshakeTimeout);
        }
        return new BridgeServer(keys, sessions, handshakeTimeout);
    }

    /** Listens for devices on {@code address}; port 0 picks a free port, read it back from {@link #tcpPort()}. */
    public BridgeServer listenTcp(InetSocketAddress address) throws IOException {
        // An IPv4 socket cannot bind an IPv6 address such as ::1, so the family follows the address.
        boolean ipv6 = address.getAddress() instanceof Inet6Address;
        ServerSocketChannel server = ServerSocketChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        // A restarted simulator must get its port back while the old connections sit in TIME_WAIT.
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(address, 1024);
        tcpPort = ((InetSocketAddress) server.getLocalAddress()).getPort();
        listen(server, true);
        String host = ipv6 ? "[" + address.getHostString() + "]" : address.getHostString();
        log.info("bridge listening for devices on tcp://{}:{}", host, tcpPort);
        return this;
    }

    /**
     * Listens for devices on a Unix domain socket at {@code path}. A socket file left there by a
     * server that died is removed first; a live server's socket or any other file fails the call
     * (see {@link UnixSocketPaths}). The server removes the socket file when it closes.
     */
    public BridgeServer listenUnix(Path path) throws IOException {
        UnixSocketPaths.removeStaleSocket(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path), 1024);
        socketFiles.add(path);
        listen(server, false);
        log.info("bridge listening for devices on unix:{}", path);
        return this;
    }

    private synchronized void listen(ServerSocketChannel server, boolean tcp) throws IOException {
        if (closed) {
            server.close();
            throw new IOException("the bridge server is closed; create a new one");
        }
        startLoops();
        server.configureBlocking(false);
        SelectorLoop acceptor = loops.get(0);
        Listener listener = new Listener(server, tcp);
        CompletableFuture<Void> registered = new CompletableFuture<>();
        acceptor.execute(() -> {
            try {
                server.register(acceptor.selector(), SelectionKey.OP_ACCEPT, listener);
                registered.complete(null);
            } catch (IOException | RuntimeException failure) {
                registered.completeExceptionally(failure);
            }
        });
        try {
            registered.get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            server.close();
            throw new IOException("interrupted while registering " + server, interrupted);
        } catch (ExecutionException failure) {
            server.close();
            throw new IOException("could not register " + server + " with the selector", failure.getCause());
        }
    }

    private void startLoops() throws IOException {
        if (!loops.isEmpty()) {
            return;
        }
        int count = Math.max(1, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < count; i++) {
            loops.add(new SelectorLoop("mvsim-bridge-selector-" + (i + 1)));
        }
    }

    /** Accepts every pending connection of one listening socket and hands each to a selector thread in turn. */
    private final class Listener implements SelectorLoop.Handler {

        private final ServerSocketChannel server;
        private final boolean tcp;
        private int accepted;

        Listener(ServerSocketChannel server, boolean tcp) {
            this.server = server;
            this.tcp = tcp;
        }

        @Override
        public void ready(SelectionKey key) throws IOException {
            SocketChannel channel;
            while ((channel = server.accept()) != null) {
                accepted++;
                try {
                    String peer;
                    if (tcp) {
                        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        peer = "tcp:" + channel.getRemoteAddress();
                    } else {
                        peer = "unix:" + server.getLocalAddress() + "#" + accepted;
                    }
                    SelectorLoop loop = loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
                    SocketConnection connection = new SocketConnection(channel, peer, loop, shared);
                    SocketChannel acceptedChannel = channel;
                    loop.execute(() -> {
                        try {
                            connection.register();
                        } catch (IOException | RuntimeException failure) {
                            log.warn("bridge could not register the connection from {}; closing it: {}", peer,
                                    failure.getMessage());
                            closeQuietly(acceptedChannel);
                        }
                    });
                } catch (IOException | RuntimeException failure) {
                    log.warn("bridge could not set up an accepted connection; closing it: {}", failure.getMessage());
                    closeQuietly(channel);
                }
            }
        }

        @Override
        public void closeForShutdown() {
            closeQuietly(server);
        }
    }

    /**
     * Serves the device on a serial line, such as a USB UART or a pseudo-terminal. The line is
     * opened as a file; configure its speed and raw mode beforehand (see {@link SerialLines}). When
     * the line fails it is opened again, as it is, with a backoff (see {@link ReopeningSerialLine}).
     *
     * @throws IOException if the line cannot be opened now
     */
    public BridgeServer attachSerial(Path device) throws IOException {
        return attachSerial(device, () -> SerialLines.open(device));
    }

    /**
     * Serves the device on a serial line, configured into raw mode at {@code baud} with stty at each
     * opening, the first and those after the line failed.
     *
     * @throws IOException if the line cannot be configured or opened now
     */
    public BridgeServer attachSerial(Path device, int baud) throws IOException {
        return attachSerial(device, () -> SerialLines.configureAndOpen(device, baud));
    }

    private BridgeServer attachSerial(Path device, ReopeningSerialLine.Opener opener) throws IOException {
        String peer = "serial:" + device;
        PacketLink first = opener.open();
        ReopeningSerialLine line = new ReopeningSerialLine(device.toString(), opener,
                link -> new BridgeConnection(peer, link, handshake, sessions, stats, true).run());
        serialLines.add(line);
        Thread thread = new Thread(null, () -> {
            try {
                line.run(first);
            } finally {
                serialLines.remove(line);
            }
        }, "mvsim-bridge-" + peer + "-" + threadNumber.incrementAndGet(), CONNECTION_STACK_BYTES);
        thread.setDaemon(true);
        thread.start();
        log.info("bridge serving the device on {}", peer);
        return this;
    }

    /** Returns the bound TCP port, or -1 without a TCP listener. */
    public int tcpPort() {
        return tcpPort;
    }

    public BridgeStats.Snapshot stats() {
        return stats.snapshot();
    }

    /**
     * Stops the listeners, closes every connection (closing their sessions) and removes socket
     * files. Listening ports are free again when it returns.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        // Each selector thread closes its own channels and selector, which releases the ports.
        for (SelectorLoop loop : loops) {
            loop.close();
        }
        timers.close();
        for (ReopeningSerialLine line : serialLines) {
            line.close();
        }
        if (sessions instanceof AutoCloseable closeable) {
            closeQuietly(closeable);
        }
        for (Path path : socketFiles) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException failure) {
                log.warn("bridge could not remove the socket file {}: {}", path, failure.getMessage());
            }
        }
        log.info("bridge stopped");
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception failure) {
            log.debug("closing {} failed: {}", resource, failure.getMessage());
        }
    }
}
