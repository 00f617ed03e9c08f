package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What one connection can make the server hold: unfinished handshake packets and unread replies. */
@Timeout(30)
class BridgeInputLimitsTest {

    @RegisterExtension
    final BridgeFixture fixture = new BridgeFixture();

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @Test
    void handshakeBulkIsDropped() throws Exception {
        try (Socket socket = new Socket(fixture.address().getAddress(), fixture.address().getPort())) {
            socket.setSoTimeout(5_000);
            byte[] noDelimiter = new byte[2 * SocketConnection.MAX_HANDSHAKE_INPUT_BYTES];
            Arrays.fill(noDelimiter, (byte) 0x55);
            OutputStream output = socket.getOutputStream();
            output.write(noDelimiter);
            output.flush();

            // The handshake timeout is 10 s, so an end of stream within 5 s is the bound's doing.
            InputStream input = socket.getInputStream();
            assertThat(input.read()).as("end of stream").isEqualTo(-1);
        }
        assertThat(log.linesContaining("without a complete handshake packet")).hasSize(1);
    }

    @Test
    void unreadRepliesStopReading(@TempDir Path directory) throws Exception {
        Path path = directory.resolve("bridge.sock");
        fixture.server.listenUnix(path);
        int requests = 100_000;
        AtomicInteger sent = new AtomicInteger();

        try (BridgeClient client = BridgeClient.connect(UnixDomainSocketAddress.of(path), BridgeFixture.DEVICE_A,
                BridgeFixture.KEY_A, ClockChoice.VIRTUAL)) {
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 1; i <= requests; i++) {
                        client.send(CountingSession.microsecondsRequest(i));
                        sent.incrementAndGet();
                    }
                } catch (java.io.IOException closed) {
                    // The test closes the client while this thread is blocked in a write.
                }
            });
            sender.setDaemon(true);
            sender.start();

            int handled = awaitSteadyCount(fixture.sessions.get(BridgeFixture.DEVICE_A).calls);

            // A Unix socket buffers about 200 KB each way, and a reply is about 40 bytes, so the
            // server stops after some thousands of requests instead of all 100,000.
            assertThat(handled).as("requests handled while the device read no reply").isLessThan(requests / 2);
            assertThat(sent.get()).as("requests the device could send").isLessThan(requests);
        }
    }

    /** Waits until {@code count} stops growing for half a second, and returns it. */
    private static int awaitSteadyCount(AtomicInteger count) throws InterruptedException {
        int last = -1;
        while (count.get() != last) {
            last = count.get();
            Thread.sleep(500);
        }
        return last;
    }
}
