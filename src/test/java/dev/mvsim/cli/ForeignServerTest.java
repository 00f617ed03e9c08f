package dev.mvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client commands pointed at a loopback HTTP server that is not mvsim: the JDK's own server,
 * responding to each path the way some other web server would.
 */
class ForeignServerTest {

    private static final Map<String, String> CREDENTIALS = Map.of(
            "MVSIM_ACCOUNT_SID", "AC00000000000000000000000000000000",
            "MVSIM_AUTH_TOKEN", "token-for-a-foreign-server");

    private HttpServer server;
    private String url;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // A web server's own 404 page for every path, as nginx or a dev server would send.
        server.createContext("/", exchange -> respond(exchange, 404, "text/html", "<html><body>Not Found</body></html>"));
        server.createContext("/v1/Configs", exchange -> respond(exchange, 200, "text/html", "<html>welcome</html>"));
        server.createContext("/v1/Secrets", exchange -> respond(exchange, 200, "application/json", "{\"secrets\": ["));
        server.createContext("/v1/Devices", exchange -> respond(exchange, 500, "application/json", "{\"error\": \"boom\"}"));
        // An echo server, as a debugging proxy might be: it returns the request's headers and body.
        server.createContext("/echo", exchange -> respond(exchange, 502, "text/plain",
                exchange.getRequestHeaders() + "\n" + new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8)));
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void htmlNotFoundIsNotMvsim() {
        CliRun run = CliRun.run(CREDENTIALS, "", "secrets", "get", "some-key", "--url", url + "/other");

        assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_MVSIM);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("does not speak the mvsim REST API");
        assertThat(run.err()).contains("HTTP 404");
        assertThat(run.err()).contains("text/html");
        assertThat(run.err()).doesNotContain("token-for-a-foreign-server");
    }

    @Test
    void htmlSuccessIsNotMvsim() {
        CliRun run = CliRun.run(CREDENTIALS, "", "configs", "list", "--url", url);

        assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_MVSIM);
        assertThat(run.err()).contains("HTTP 200").contains("not JSON");
    }

    @Test
    void brokenJsonIsNotMvsim() {
        CliRun run = CliRun.run(CREDENTIALS, "", "secrets", "list", "--url", url);

        assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_MVSIM);
        assertThat(run.err()).contains("does not parse as JSON");
    }

    @Test
    void jsonErrorOfOtherShapeIsNotMvsim() {
        CliRun run = CliRun.run(CREDENTIALS, "", "devices", "list", "--url", url);

        assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_MVSIM);
        assertThat(run.err()).contains("HTTP 500").contains("not a Twilio-style JSON error");
    }

    @Test
    void echoedRequestLeaksNoSecretOrToken() {
        CliRun run = CliRun.run(CREDENTIALS, "", "secrets", "create", "api-key",
                "--value", "value-that-must-stay-hidden", "--url", url + "/echo");

        assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_MVSIM);
        assertThat(run.err()).contains("HTTP 502");
        assertThat(run.err()).doesNotContain("value-that-must-stay-hidden");
        assertThat(run.err()).doesNotContain("token-for-a-foreign-server");
        assertThat(run.err()).doesNotContain("Basic ");
    }

    @Test
    void upperCaseSchemeIsAccepted() {
        CliRun run = CliRun.run(CREDENTIALS, "", "configs", "list", "--url", url.replace("http://", "HTTP://"));

        assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_MVSIM);
        assertThat(run.err()).contains("HTTP 200");
    }

    @Test
    void urlWithQueryIsUsageError() {
        CliRun run = CliRun.run(CREDENTIALS, "", "configs", "list", "--url", url + "?x=1");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("query");
    }

    @Test
    void urlWithFragmentIsUsageError() {
        CliRun run = CliRun.run(CREDENTIALS, "", "configs", "list", "--url", url + "#f");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("fragment");
    }

    @Test
    void urlEndingInV1IsUsageError() {
        CliRun run = CliRun.run(CREDENTIALS, "", "secrets", "list", "--url", url + "/v1");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Remove the /v1");
    }

    @Test
    void closedConnectionSaysServerClosedIt() throws Exception {
        try (ServerSocket closing = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The JDK client retries a GET once on a new connection, so every connection is
            // accepted, read and closed until the test closes the listening socket.
            Thread acceptor = new Thread(() -> {
                while (!closing.isClosed()) {
                    try (Socket accepted = closing.accept()) {
                        accepted.getInputStream().read(new byte[4096]);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            CliRun run = CliRun.run(CREDENTIALS, "", "configs", "list",
                    "--url", "http://127.0.0.1:" + closing.getLocalPort());

            assertThat(run.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
            assertThat(run.err()).contains("closed the connection without answering GET /v1/Configs");
            assertThat(run.err()).doesNotContain("IOException");
        }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
