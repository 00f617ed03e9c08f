package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reopen loop of a serial line, with a made-up line that fails to open a given number of
 * times, and delays of a few milliseconds so that the test stays fast.
 */
@Timeout(30)
class ReopeningSerialLineTest {

    private static final String DEVICE = "/dev/made-up-line";
    private static final Duration FIRST = Duration.ofMillis(1);
    private static final Duration MAX = Duration.ofMillis(4);

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private List<String> logLines() {
        return log.linesContaining(DEVICE);
    }

    /** Returns a line whose reads end at once, as those of an unplugged line do. */
    private static PacketLink endedLine() {
        return new PacketLink(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), () -> { },
                new DamagedPacketLog(DEVICE));
    }

    /** Opens the line after {@code failures} failed attempts, and fails every attempt after that. */
    private static final class FlakyOpener implements ReopeningSerialLine.Opener {
        private final int failures;
        final AtomicInteger attempts = new AtomicInteger();

        FlakyOpener(int failures) {
            this.failures = failures;
        }

        @Override
        public PacketLink open() throws IOException {
            int attempt = attempts.incrementAndGet();
            if (attempt <= failures || attempt > failures + 1) {
                throw new NoSuchFileException(DEVICE + " (unplugged)");
            }
            return endedLine();
        }
    }

    /** Serves lines until {@code servings} of them ended, then closes the line from the serving thread. */
    private static final class CountingServer {
        final List<PacketLink> served = new ArrayList<>();
        ReopeningSerialLine line;
        private final int servings;

        CountingServer(int servings) {
            this.servings = servings;
        }

        void serve(PacketLink link) {
            served.add(link);
            if (served.size() == servings) {
                line.close();
            }
        }
    }

    @Test
    void delaysDoubleUpToMaximum() {
        List<Long> millis = new ArrayList<>();
        Duration delay = ReopeningSerialLine.FIRST_DELAY;
        for (int i = 0; i < 7; i++) {
            millis.add(delay.toMillis());
            delay = ReopeningSerialLine.nextDelay(delay, ReopeningSerialLine.MAX_DELAY);
        }

        assertThat(millis).containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
    }

    @Test
    void reopensAfterFailedAttempts() {
        FlakyOpener opener = new FlakyOpener(5);
        CountingServer server = new CountingServer(2);
        server.line = new ReopeningSerialLine(DEVICE, opener, server::serve, FIRST, MAX);

        server.line.run(endedLine());

        assertThat(server.served).hasSize(2);
        assertThat(opener.attempts.get()).isEqualTo(6);
    }

    @Test
    void outageLogsTwoLinesNotOnePerAttempt() {
        FlakyOpener opener = new FlakyOpener(5);
        CountingServer server = new CountingServer(2);
        server.line = new ReopeningSerialLine(DEVICE, opener, server::serve, FIRST, MAX);

        server.line.run(endedLine());

        List<String> lines = logLines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("WARN", "lost the serial line " + DEVICE, "could not reopen it",
                "(unplugged)", "kept for their reconnection");
        assertThat(lines.get(1)).contains("INFO", "serial line " + DEVICE + " is back", "6 attempts");
    }

    @Test
    void reopenAtFirstAttemptLogsOneLine() {
        FlakyOpener opener = new FlakyOpener(0);
        CountingServer server = new CountingServer(2);
        server.line = new ReopeningSerialLine(DEVICE, opener, server::serve, FIRST, MAX);

        server.line.run(endedLine());

        List<String> lines = logLines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("INFO", "reopened the serial line " + DEVICE, "after it closed");
    }

    @Test
    void closeStopsReopening() throws Exception {
        FlakyOpener opener = new FlakyOpener(Integer.MAX_VALUE);
        ReopeningSerialLine line = new ReopeningSerialLine(DEVICE, opener, link -> { }, FIRST, MAX);
        Thread runner = new Thread(() -> line.run(endedLine()), "reopen-test");
        runner.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (opener.attempts.get() < 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        line.close();
        runner.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(opener.attempts.get()).as("attempts before the close").isGreaterThanOrEqualTo(3);
        assertThat(runner.isAlive()).as("reopen loop still running after close").isFalse();
    }

    @Test
    void closedLineIsNotServed() {
        List<PacketLink> served = new ArrayList<>();
        ReopeningSerialLine line = new ReopeningSerialLine(DEVICE, new FlakyOpener(0), served::add, FIRST, MAX);

        line.close();
        line.run(endedLine());

        assertThat(served).isEmpty();
    }
}
