package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Starting a Unix socket listener on a path that a file already occupies. */
class UnixSocketRestartTest {

    @TempDir
    Path directory;

    @RegisterExtension
    final BridgeFixture fixture = new BridgeFixture();



    /** Binds a socket at {@code path} and closes it, which leaves the file as a killed server does. */
    private static void leaveSocketFile(Path path) throws IOException {
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path));
        }
    }

    @Test
    void staleSocketIsReplaced() throws Exception {
        Path socket = directory.resolve("bridge.sock");
        leaveSocketFile(socket);
        assertThat(socket).exists();

        fixture.server.listenUnix(socket);

        try (BridgeClient client = BridgeClient.connect(UnixDomainSocketAddress.of(socket), BridgeFixture.DEVICE_B,
                BridgeFixture.KEY_B, ClockChoice.SERVER_DEFAULT)) {
            assertThat(client.exchange(CountingSession.microsecondsRequest(1))).isNotEmpty();
        }
    }

    @Test
    void liveSocketIsRejected() throws Exception {
        Path socket = directory.resolve("bridge.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(socket));

            assertThatThrownBy(() -> fixture.server.listenUnix(socket))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(socket.toString())
                    .hasMessageContaining("another server");
            assertThat(socket).exists();
        }
    }

    @Test
    void regularFileIsKept() throws Exception {
        Path file = directory.resolve("notes.txt");
        Files.writeString(file, "not a socket");

        assertThatThrownBy(() -> fixture.server.listenUnix(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a socket");
        assertThat(Files.readString(file)).isEqualTo("not a socket");
    }

    @Test
    void directoryIsKept() throws Exception {
        Path subdirectory = Files.createDirectory(directory.resolve("bridge.sock"));

        assertThatThrownBy(() -> fixture.server.listenUnix(subdirectory))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a socket");
        assertThat(subdirectory).isDirectory();
    }
}
