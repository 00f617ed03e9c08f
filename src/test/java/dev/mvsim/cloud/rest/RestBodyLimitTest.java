package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.cloud.SimulatedCloud;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An oversized body gets 413 before the client has sent all of it, which shows the
 * server did not wait for, or buffer, the whole body. Uses a raw socket so the test controls
 * exactly what is sent.
 */
@Timeout(20)
class RestBodyLimitTest {

    /** Sixteen times the server's limit. */
    private static final int OVERSIZED_BYTES = (int) (16 * RestServer.MAX_BODY_BYTES);

    private LocalCloud local = new LocalCloud();

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void oversizedFixedLengthBodyIs413() throws IOException {
        String head = "POST /v1/Configs HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: " + LocalCloud.basic(local.account.sid(), local.account.authToken()) + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + OVERSIZED_BYTES + "\r\n\r\n";

        // The declared length alone is over the limit, so the answer must come before any body byte.
        // Sending the body as well would race the server's close and end in a broken pipe.
        String answer = sendHeadThenRead(head);

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(answer).contains("\"code\":20413");
        assertThat(local.get("/v1/Configs").json().get("configs")).isEmpty();
    }

    @Test
    void oversizedChunkedBodyIs413OnWorkerThread() throws IOException {
        local.close();
        local = new LocalCloud(SimulatedCloud.open(new FailingStore("no-such-key")));

        oversizedChunkedBodyIs413();
    }

    @Test
    void oversizedChunkedBodyIs413() throws IOException {
        String head = "POST /v1/Configs HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: " + LocalCloud.basic(local.account.sid(), local.account.authToken()) + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n";

        String answer = sendThenRead(head, true);

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(local.get("/v1/Configs").json().get("configs")).isEmpty();
    }

    /** Sends only the request head and reads the response; a server that waited for the body would time out. */
    private String sendHeadThenRead(String head) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", local.server.port()), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends the head and a part of the body that is 8 KiB over the limit but far short of the
     * announced size, then reads the response. A server that buffered the whole body before
     * responding would wait for the rest forever, and the read would time out.
     */
    private String sendThenRead(String head, boolean chunked) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", local.server.port()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));

            byte[] piece = new byte[8192];
            Arrays.fill(piece, (byte) 'v');
            long partial = RestServer.MAX_BODY_BYTES + piece.length;
            try {
                for (long sent = 0; sent < partial; sent += piece.length) {
                    if (chunked) {
                        out.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write(piece);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                out.flush();
            } catch (SocketException closedEarly) {
                // The server may answer 413 and close while the last pieces are on their way; the answer is read below.
            }

            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        }
    }
}
