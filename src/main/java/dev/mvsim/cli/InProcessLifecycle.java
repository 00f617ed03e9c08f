package dev.mvsim.cli;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The lifecycle of {@code serve} on a thread of a larger program, such as a test or the archive
 * training. The caller learns the address from {@link #baseUri} and stops the server with
 * {@link #requestStop()} instead of a signal.
 */
final class InProcessLifecycle implements ServeLifecycle {

    /** Completes with the base URL once the server listens. */
    final CompletableFuture<URI> baseUri = new CompletableFuture<>();

    private final CountDownLatch stopRequested = new CountDownLatch(1);

    @Override
    public void started(URI uri) {
        baseUri.complete(uri);
    }

    @Override
    public void awaitStopRequest() throws InterruptedException {
        stopRequested.await();
    }

    @Override
    public void stopped() {
        // Nothing waits here: the caller waits for the serve command itself to return.
    }

    void requestStop() {
        stopRequested.countDown();
    }
}
