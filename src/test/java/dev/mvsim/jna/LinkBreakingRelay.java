package dev.mvsim.jna;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loopback TCP relay between libmvhost and a bridge server that can break the connection while
 * a request or a reply travels: at the next bytes in the chosen direction it closes both sides
 * instead of forwarding them. Each accepted connection gets its own connection to the server.
 */
final class LinkBreakingRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int serverPort;
    private final AtomicBoolean breakAtReply = new AtomicBoolean();
    private final AtomicBoolean breakAtRequest = new AtomicBoolean();
    private volatile Socket device;
    private volatile Socket server;

    LinkBreakingRelay(int serverPort) throws IOException {
        this.serverPort = serverPort;
        this.listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptAll, "link-breaking-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Breaks the connection at the next bytes from the server: the kernel ran the request, the device gets no reply. */
    void breakAtNextReply() {
        breakAtReply.set(true);
    }

    /** Breaks the connection at the next bytes from the device, which never reach the server. */
    void breakAtNextRequest() {
        breakAtRequest.set(true);
    }

    /** Returns true once no armed break is waiting any more. */
    boolean broke() {
        return !breakAtReply.get() && !breakAtRequest.get();
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket accepted = listener.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort));
                device = accepted;
                server = upstream;
                pump(accepted, upstream, false);
                pump(upstream, accepted, true);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromServer) {
        Thread thread = new Thread(() -> {
            byte[] chunk = new byte[4096];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int count;
                while ((count = in.read(chunk)) > 0) {
                    AtomicBoolean armed = fromServer ? breakAtReply : breakAtRequest;
                    if (armed.compareAndSet(true, false)) {
                        closeQuietly(from);
                        closeQuietly(to);
                        return;
                    }
                    out.write(chunk, 0, count);
                }
            } catch (IOException ended) {
                // Either side closed; the other pump ends on its own.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, fromServer ? "relay-server-to-device" : "relay-device-to-server");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        Socket lastDevice = device;
        Socket lastServer = server;
        if (lastDevice != null) {
            closeQuietly(lastDevice);
        }
        if (lastServer != null) {
            closeQuietly(lastServer);
        }
    }
}
