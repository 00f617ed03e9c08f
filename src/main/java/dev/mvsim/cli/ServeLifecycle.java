package dev.mvsim.cli;

import java.net.URI;

/**
 * The points where {@code serve} meets its host: the process in production, a test thread in
 * tests, which learns the port and stops the server without sending a signal.
 */
interface ServeLifecycle {

    /** Called once the REST server accepts connections at {@code baseUri}. */
    void started(URI baseUri);

    /** Blocks until a stop is requested (SIGTERM or Ctrl-C for the process). */
    void awaitStopRequest() throws InterruptedException;

    /** Called after the server and the store are closed, so a waiting stop request may finish. */
    void stopped();
}
