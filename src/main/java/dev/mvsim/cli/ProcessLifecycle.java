package dev.mvsim.cli;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ends {@code serve} on SIGTERM or Ctrl-C. The JVM runs shutdown hooks on those signals and halts
 * when they return, so the hook waits for {@link #stopped()}: the store then closes cleanly.
 */
final class ProcessLifecycle implements ServeLifecycle {

    /** How long a signal waits for the store to close before the JVM halts anyway. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public void started(URI baseUri) {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAndWait, "mvsim-shutdown"));
    }

    @Override
    public void awaitStopRequest() throws InterruptedException {
        stopRequested.await();
    }

    @Override
    public void stopped() {
        stopped.countDown();
    }

    private void stopAndWait() {
        stopRequested.countDown();
        try {
            stopped.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
