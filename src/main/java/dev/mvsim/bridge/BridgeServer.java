package dev.mvsim.bridge;

import dev.mvsim.link.DeviceKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets out-of-process firmware reach device kernels: listens on loopback TCP, a Unix domain socket
 * and serial lines, authenticates each device, and serves one {@link BridgeSession} per connection
 * on a thread of its own. Close it to stop every listener and connection.
 */
public final class BridgeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BridgeServer.class);

    /** Stack of a connection thread; the frame loop is shallow, and 1,000 devices mean 1,000 threads. */
    private static final long CONNECTION_STACK_BYTES = 256 * 1024;

    /** Bound on the wait for an accept thread to leave accept() when the server closes. */
    private static final long ACCEPT_STOP_MILLIS = 5000;

    private final ServerHandshake handshake;
    private final BridgeSessionFactory sessions;
    private final BridgeStats stats = new BridgeStats();
    private final List<AutoCloseable> listeners = new ArrayList<>();
    private final Set<PacketLink> openLinks = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final List<Path> socketFiles = new ArrayList<>();
    private final List<Thread> acceptThreads = new ArrayList<>();
    private volatile boolean closed;
    private int tcpPort = -1;

    private BridgeServer(DeviceKeys keys, BridgeSessionFactory sessions) {
        this.handshake = new ServerHandshake(keys, new NonceLedger(), new SecureRandom());
        this.sessions = sessions;
    }

    /** Returns a server with no listener yet; add them with {@link #listenTcp}, {@link #listenUnix} and {@link #attachSerial}. */
    public static BridgeServer create(DeviceKeys keys, BridgeSessionFactory sessions) {
        return new BridgeServer(keys, sessions);
    }

    /** Listens for devices on {@code address}; port 0 picks a free port, read it back from {@link #tcpPort()}. */
    public BridgeServer listenTcp(InetSocketAddress address) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
        // A restarted simulator must get its port back while the old connections sit in TIME_WAIT.
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(address, 1024);
        tcpPort = ((InetSocketAddress) server.getLocalAddress()).getPort();
        listeners.add(server);
        acceptThreads.add(startThread("mvsim-bridge-tcp-accept", () -> accept(server, true)));
        log.info("bridge listening for devices on tcp://{}:{}", address.getHostString(), tcpPort);
        return this;
    }

    /**
     * Listens for devices on a Unix domain socket at {@code path}, which must not exist yet. The
     * server removes the socket file when it closes.
     */
    public BridgeServer listenUnix(Path path) throws IOException {
        if (Files.exists(path)) {
            throw new IOException("cannot listen on " + path + ": the file exists; remove it or choose another path");
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        listeners.add(server);
        socketFiles.add(path);
        acceptThreads.add(startThread("mvsim-bridge-unix-accept", () -> accept(server, false)));
        log.info("bridge listening for devices on unix:{}", path);
        return this;
    }

    /**
     * Serves the device on a serial line, such as a USB UART or a pseudo-terminal. The line is
     * opened as a file; configure its speed and raw mode beforehand (see {@link SerialLines}).
     */
    public BridgeServer attachSerial(Path device) throws IOException {
        // One channel per direction: a FileChannel holds a lock across a blocked read that its writes also need.
        FileChannel input = FileChannel.open(device, StandardOpenOption.READ);
        FileChannel output = FileChannel.open(device, StandardOpenOption.WRITE);
        String peer = "serial:" + device;
        PacketLink link = new PacketLink(Channels.newInputStream(input), Channels.newOutputStream(output), () -> {
            input.close();
            output.close();
        }, reason -> logDrop(peer, reason));
        startConnection(peer, link, true);
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

    private void accept(ServerSocketChannel server, boolean tcp) {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException failure) {
                if (!closed) {
                    log.error("bridge stopped accepting on {}", server, failure);
                }
                return;
            }
            try {
                String peer;
                if (tcp) {
                    channel.socket().setTcpNoDelay(true);
                    peer = "tcp:" + channel.getRemoteAddress();
                } else {
                    peer = "unix:" + server.getLocalAddress() + "#" + threadNumber.get();
                }
                PacketLink link = new PacketLink(Channels.newInputStream(channel), Channels.newOutputStream(channel),
                        channel, reason -> logDrop(peer, reason));
                startConnection(peer, link, false);
            } catch (IOException | UncheckedIOException failure) {
                log.warn("bridge could not set up an accepted connection; closing it: {}", failure.getMessage());
                closeQuietly(channel);
            }
        }
    }

    private void startConnection(String peer, PacketLink link, boolean serialLine) {
        openLinks.add(link);
        BridgeConnection connection = new BridgeConnection(peer, link, handshake, sessions, stats, serialLine);
        startThread("mvsim-bridge-" + peer, () -> {
            try {
                connection.run();
            } finally {
                openLinks.remove(link);
            }
        });
    }

    private Thread startThread(String name, Runnable body) {
        Thread thread = new Thread(null, body, name + "-" + threadNumber.incrementAndGet(), CONNECTION_STACK_BYTES);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void logDrop(String peer, String reason) {
        log.warn("bridge dropped a damaged packet from {}: {}", peer, reason);
    }

    /** Stops the listeners, closes every connection (closing their sessions) and removes socket files. */
    @Override
    public void close() {
        closed = true;
        for (AutoCloseable listener : listeners) {
            closeQuietly(listener);
        }
        for (PacketLink link : openLinks) {
            closeQuietly(link);
        }

        // The kernel releases a listening port only when the thread blocked in accept() has left it.
        for (Thread thread : acceptThreads) {
            try {
                thread.join(ACCEPT_STOP_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
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
