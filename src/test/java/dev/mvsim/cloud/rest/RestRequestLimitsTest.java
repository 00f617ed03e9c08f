package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Limits on the request line and headers, over real HTTP on loopback. */
class RestRequestLimitsTest {

    private final LocalCloud local = new LocalCloud();

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void tooManyQueryParametersIs400WithJson() {
        LocalCloud.Reply answer = local.get("/v1/Configs?" + parameters(RestServer.MAX_QUERY_PARAMETERS + 1));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("code").asInt()).isEqualTo(20001);
        assertThat(answer.json().get("message").asText()).contains("1001 parameters").contains("maximum is 1000");
    }

    @Test
    void maximumQueryParametersAreAccepted() {
        LocalCloud.Reply answer = local.get("/v1/Configs?" + parameters(RestServer.MAX_QUERY_PARAMETERS));

        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void tooManyQueryParametersWithoutCredentialsIs401() {
        LocalCloud.Reply answer = local.send(
                local.request("/v1/Configs?" + parameters(RestServer.MAX_QUERY_PARAMETERS + 1)).GET(), null);

        assertThat(answer.status()).isEqualTo(401);
    }

    @Test
    void unfinishedHeadersCloseConnection() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", local.server.port())) {
            // The read waits past the parse timeout; without one it would wait for ever.
            socket.setSoTimeout(RestServer.REQUEST_PARSE_TIMEOUT_MILLIS + 10_000);
            socket.getOutputStream().write("GET /v1/Configs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Unfinished: "
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            assertThat(readUntilClosed(socket.getInputStream())).isTrue();
        }
    }

    /** Returns true once the server has closed the connection; a read timeout fails the test. */
    private static boolean readUntilClosed(InputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // Any bytes the server sends before closing are not part of the check.
            }
            return true;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static String parameters(int count) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < count; i++) {
            query.append(i == 0 ? "" : "&").append("p").append(i).append("=1");
        }
        return query.toString();
    }
}
