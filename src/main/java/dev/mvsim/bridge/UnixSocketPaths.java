package dev.mvsim.bridge;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears the way for a Unix socket listener. A server killed with SIGKILL leaves its socket file
 * behind, and binding to an existing path fails, so a stale socket file is removed. A socket that
 * a live server accepts on, and any file that is not a socket, are left alone.
 */
final class UnixSocketPaths {

    private static final Logger log = LoggerFactory.getLogger(UnixSocketPaths.class);

    /** File type bits of a POSIX {@code st_mode} and the type of a socket ({@code S_IFMT}, {@code S_IFSOCK}). */
    private static final int FILE_TYPE_MASK = 0170000;
    private static final int SOCKET_TYPE = 0140000;

    private UnixSocketPaths() {
    }

    /**
     * Removes {@code path} if it is a socket file that refuses connections, with a log line.
     *
     * @throws IOException if {@code path} is a file of another type, a socket that a server accepts
     *     on, or cannot be checked or removed
     */
    static void removeStaleSocket(Path path) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException absent) {
            return;
        }
        if ((mode & FILE_TYPE_MASK) != SOCKET_TYPE) {
            throw new IOException("cannot listen on " + path + ": the file exists and is not a socket;"
                    + " remove it or choose another path");
        }

        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
        } catch (ConnectException refused) {
            log.warn("bridge removing the stale socket file {}, on which no server accepts connections ({})",
                    path, refused.getMessage());
            Files.delete(path);
            return;
        }
        throw new IOException("cannot listen on " + path + ": another server accepts connections on that socket;"
                + " stop it or choose another path");
    }
}
