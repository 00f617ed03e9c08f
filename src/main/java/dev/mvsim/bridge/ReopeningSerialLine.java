package dev.mvsim.bridge;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a serial line and opens it again whenever it fails, as when a USB adapter is unplugged
 * and plugged back in. Attempts follow a backoff from {@link #FIRST_DELAY}, doubling up to
 * {@link #MAX_DELAY}. An outage logs at most two lines: a warning at the first failed attempt
 * and a line when the line is back. The kernels of devices on the line are kept as for any lost
 * connection, so a device that connects again with the same boot id gets its kernel back.
 */
final class ReopeningSerialLine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReopeningSerialLine.class);

    /** Wait before the first attempt to reopen a line that failed. */
    static final Duration FIRST_DELAY = Duration.ofMillis(100);

    /** Maximum wait between two attempts. */
    static final Duration MAX_DELAY = Duration.ofSeconds(2);

    /** Opens the line as a packet link. It runs once for each opening, the first and each reopening. */
    @FunctionalInterface
    interface Opener {
        PacketLink open() throws IOException;
    }

    private final String device;
    private final Opener opener;
    private final Consumer<PacketLink> serve;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final CountDownLatch closed = new CountDownLatch(1);
    private PacketLink current;

    /**
     * @param device the line's device path, for log lines
     * @param serve  serves one opened line until it fails or closes, and closes the link
     */
    ReopeningSerialLine(String device, Opener opener, Consumer<PacketLink> serve) {
        this(device, opener, serve, FIRST_DELAY, MAX_DELAY);
    }

    ReopeningSerialLine(String device, Opener opener, Consumer<PacketLink> serve, Duration firstDelay,
                        Duration maxDelay) {
        if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("reopen delays must satisfy 0 < first <= max, got first "
                    + firstDelay + " and max " + maxDelay);
        }
        this.device = device;
        this.opener = opener;
        this.serve = serve;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
    }

    /**
     * Serves {@code first}, the line as opened at start-up, then reopens and serves the line each
     * time it ends, until {@link #close()}. Runs on the caller's thread.
     */
    void run(PacketLink first) {
        PacketLink link = first;
        Duration delay = firstDelay;
        while (link != null && start(link)) {
            long servedFrom = System.nanoTime();
            serve.accept(link);
            finish();
            if (isClosed()) {
                return;
            }

            // A line that failed at once after a reopening keeps the longer delay, so that a line
            // that opens but cannot be read costs one attempt per MAX_DELAY and not a tight loop.
            boolean servedLong = System.nanoTime() - servedFrom >= maxDelay.toNanos();
            if (servedLong) {
                delay = firstDelay;
            }
            link = reopen(delay);
            delay = nextDelay(delay, maxDelay);
        }
    }

    /**
     * Tries to open the line after {@code delay}, and again with longer delays, until it opens or
     * this closes. Returns the opened line, or null once this closed.
     */
    private PacketLink reopen(Duration delay) {
        long lostAt = System.nanoTime();
        int attempts = 0;
        while (await(delay)) {
            attempts++;
            try {
                PacketLink link = opener.open();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAt);
                if (attempts == 1) {
                    log.info("bridge reopened the serial line {} {} ms after it closed", device, millis);
                } else {
                    log.info("bridge serial line {} is back after {} ms and {} attempts to reopen it", device, millis,
                            attempts);
                }
                return link;
            } catch (IOException | RuntimeException failure) {
                if (attempts == 1) {
                    log.warn("bridge lost the serial line {} and could not reopen it: {}. It tries again with a "
                            + "backoff up to {} ms and logs once more when the line is back. Kernels of devices "
                            + "on the line are kept for their reconnection", device, failure.getMessage(),
                            maxDelay.toMillis());
                } else {
                    log.debug("bridge could not reopen the serial line {} (attempt {}): {}", device, attempts,
                            failure.getMessage());
                }
            }
            delay = nextDelay(delay, maxDelay);
        }
        return null;
    }

    /** Returns the wait after {@code delay}: twice as long, but at most {@code maxDelay}. */
    static Duration nextDelay(Duration delay, Duration maxDelay) {
        Duration doubled = delay.multipliedBy(2);
        return doubled.compareTo(maxDelay) > 0 ? maxDelay : doubled;
    }

    /** Waits {@code delay} and returns true, or returns false as soon as this closes. */
    private boolean await(Duration delay) {
        try {
            return !closed.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Makes {@code link} the line that {@link #close()} closes; returns false, closing it, when this closed first. */
    private synchronized boolean start(PacketLink link) {
        if (isClosed()) {
            closeQuietly(link);
            return false;
        }
        current = link;
        return true;
    }

    private synchronized void finish() {
        current = null;
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Stops reopening and closes the line, which ends the connection served on it. */
    @Override
    public void close() {
        PacketLink link;
        synchronized (this) {
            closed.countDown();
            link = current;
            current = null;
        }
        if (link != null) {
            closeQuietly(link);
        }
    }

    private void closeQuietly(PacketLink link) {
        try {
            link.close();
        } catch (IOException failure) {
            log.debug("closing the serial line {} failed: {}", device, failure.getMessage());
        }
    }
}
