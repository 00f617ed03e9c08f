package dev.mvsim.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Two connected pseudo-terminals made by socat, in raw mode: bytes written to one end are read at
 * the other, as over a null-modem cable.
 */
final class PtyPair implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    final Path first;
    final Path second;
    private final Process socat;

    PtyPair(Path directory, String name) throws IOException, InterruptedException {
        first = directory.resolve(name + "-a");
        second = directory.resolve(name + "-b");
        // A pair started again under the same name must not find the links of the one before.
        Files.deleteIfExists(first);
        Files.deleteIfExists(second);
        // ignoreeof keeps socat running when a program closes one end, so the line can be reopened.
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,ignoreeof,link=" + first,
                "pty,raw,echo=0,ignoreeof,link=" + second)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + "-socat.log").toFile())
                .start();

        // socat creates the links after it starts; wait for both, within a bound.
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!(Files.exists(first) && Files.exists(second))) {
            if (!socat.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IOException("socat did not create the pseudo-terminals " + first + " and " + second
                        + " within " + START_TIMEOUT.toSeconds() + " s");
            }
            Thread.onSpinWait();
        }
    }

    static boolean socatInstalled() {
        try {
            return new ProcessBuilder("socat", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException missing) {
            return false;
        }
    }

    /** Stops socat and waits, up to a bound, until it has exited, which closes both pseudo-terminals. */
    @Override
    public void close() {
        socat.destroy();
        try {
            socat.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
