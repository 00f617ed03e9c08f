package dev.mvsim.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * A short run of {@code serve} and of the client commands against it, in one JVM, so that a
 * class-data-sharing archive dumped at its exit ({@code -XX:ArchiveClassesAtExit}) contains the
 * classes that start-up needs. simulator/mvsim runs it after each build. It listens on a free
 * loopback port, uses a temporary data directory and deletes it at the end.
 */
public final class ArchiveTraining {

    private static final long TIMEOUT_SECONDS = 60;
    private static final String ACCOUNT_SID = "AC00000000000000000000000000000001";
    private static final String AUTH_TOKEN = "archive-training-token";

    private ArchiveTraining() {
    }

    public static void main(String[] args) throws Exception {
        Main.configureLogging();
        Path dataDirectory = Files.createTempDirectory("mvsim-archive-training");
        try {
            train(dataDirectory);
        } finally {
            deleteRecursively(dataDirectory);
        }
    }

    private static void train(Path dataDirectory) throws Exception {
        Map<String, String> variables = Map.of(
                CliEnvironment.ACCOUNT_SID, ACCOUNT_SID, CliEnvironment.AUTH_TOKEN, AUTH_TOKEN);
        InProcessLifecycle lifecycle = new InProcessLifecycle();
        // serve starts as Main starts it, through ServeArguments, so that its classes are archived.
        String[] serveArguments = {"serve", "--port", "0", "--data-dir", dataDirectory.toString()};
        ServeCommand serveCommand = ServeArguments.parse(
                serveArguments, new CliEnvironment(variables, emptyInput(), null, lifecycle)).orElseThrow();
        CompletableFuture<Integer> serve = CompletableFuture.supplyAsync(() -> Main.runServe(serveCommand));
        URI baseUri = CompletableFuture.anyOf(lifecycle.baseUri, serve)
                .thenCompose(ignored -> lifecycle.baseUri)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        requestWithoutCredentials(baseUri);
        Map<String, String> client = Map.of(CliEnvironment.URL, baseUri.toString(),
                CliEnvironment.ACCOUNT_SID, ACCOUNT_SID, CliEnvironment.AUTH_TOKEN, AUTH_TOKEN);
        CliEnvironment clientEnvironment = new CliEnvironment(client, emptyInput(), null, lifecycle);
        run(clientEnvironment, "secrets", "create", "training", "--value", "not-a-secret");
        run(clientEnvironment, "secrets", "list", "--json");
        run(clientEnvironment, "configs", "create", "training", "--value", "v", "--json");
        run(clientEnvironment, "configs", "get", "training");
        run(clientEnvironment, "configs", "get", "missing-key");
        run(clientEnvironment, "devices", "list");

        lifecycle.requestStop();
        int status = serve.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (status != ExitCode.OK) {
            throw new IllegalStateException("serve exited with status " + status + " during archive training");
        }
    }

    /**
     * Sends the request that bench/startup.sh polls serve with, an unauthenticated list, so that
     * its 401 path (the auth check, the error body and the failure log) is archived too.
     */
    private static void requestWithoutCredentials(URI baseUri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(baseUri.resolve("/v1/Secrets")).GET().build();
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
    }

    private static int run(CliEnvironment environment, String... args) {
        CommandLine command = Main.commandLine(environment);
        command.setOut(new PrintWriter(Writer.nullWriter()));
        command.setErr(new PrintWriter(Writer.nullWriter()));
        return command.execute(args);
    }

    private static ByteArrayInputStream emptyInput() {
        return new ByteArrayInputStream(new byte[0]);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
