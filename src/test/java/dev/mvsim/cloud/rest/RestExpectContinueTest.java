package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client that sends {@code Expect: 100-continue} gets the interim response before sending its body. */
@Timeout(20)
class RestExpectContinueTest {

    private final LocalCloud local = new LocalCloud();

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void continueComesBeforeBody() throws IOException {
        String body = "Key=k&Value=v";
        String head = "POST /v1/Configs HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: " + LocalCloud.basic(local.account.sid(), local.account.authToken()) + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Expect: 100-continue\r\n\r\n";

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", local.server.port()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String interim = in.readLine();
            in.readLine();
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String result = in.readLine();

            assertThat(interim).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(result).isEqualTo("HTTP/1.1 201 Created");
        }
    }
}
