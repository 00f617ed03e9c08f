package dev.mvsim.cli;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** Lets a test learn where {@code serve} listens and stop it without a signal. */
final class TestLifecycle implements ServeLifecycle {

    final CompletableFuture<URI> baseUri = new CompletableFuture<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    final CountDownLatch stopped = new CountDownLatch(1);

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
        stopped.countDown();
    }

    void requestStop() {
        stopRequested.countDown();
    }
}
