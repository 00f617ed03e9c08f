package dev.mvsim.cli;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code mvsim serve} running on a test thread, stopped through its {@link InProcessLifecycle}. */
final class RunningServe implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final InProcessLifecycle lifecycle;
    private final CompletableFuture<CliRun> run;

    private RunningServe(InProcessLifecycle lifecycle, CompletableFuture<CliRun> run) {
        this.lifecycle = lifecycle;
        this.run = run;
    }

    /** Starts serve with the arguments after {@code serve}; returns once it listens or has failed. */
    static RunningServe start(Map<String, String> variables, String... serveArguments) throws Exception {
        InProcessLifecycle lifecycle = new InProcessLifecycle();
        CliEnvironment environment =
                new CliEnvironment(variables, new ByteArrayInputStream(new byte[0]), null, lifecycle);
        String[] args = new String[serveArguments.length + 1];
        args[0] = "serve";
        System.arraycopy(serveArguments, 0, args, 1, serveArguments.length);

        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.run(environment, args));
        CompletableFuture.anyOf(lifecycle.baseUri, run).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return new RunningServe(lifecycle, run);
    }

    boolean listening() {
        return lifecycle.baseUri.isDone();
    }

    URI baseUri() {
        return lifecycle.baseUri.join();
    }

    /** Requests a stop and returns serve's exit status and output. */
    CliRun stop() throws Exception {
        lifecycle.requestStop();
        return run.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
