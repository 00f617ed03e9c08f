package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.cloud.CloudException;
import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.link.ItemLookup;
import dev.mvsim.link.ItemRef;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A secret's value appears in no response, log line, exception message or {@code toString},
 * on the success paths and on every error path, including a failing store. The store here
 * reports itself as blocking, so requests run on worker threads.
 */
class SecretLeakTest {

    private static final String SECRET = "LEAK-CANARY-c0ffee42";
    private static final String FAILING_KEY = "broken";

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private LocalCloud local;

    @BeforeEach
    void captureLog() {
        originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        local = new LocalCloud(SimulatedCloud.open(new FailingStore(FAILING_KEY)));
    }

    @AfterEach
    void restoreLog() {
        local.close();
        System.setErr(originalErr);
    }

    @Test
    void secretNeverLeavesThroughRestOrLog() throws IOException {
        RegisteredDevice device = local.cloud.registerDevice(local.account.sid(), "rig");
        String deviceBase = "/v1/Devices/" + device.sid();
        List<LocalCloud.Reply> answers = new ArrayList<>();

        answers.add(local.post("/v1/Secrets", "Key", "k", "Value", SECRET));
        answers.add(local.get("/v1/Secrets/k"));
        answers.add(local.get("/v1/Secrets"));
        answers.add(local.post("/v1/Secrets/k", "Value", SECRET + "-2"));
        answers.add(local.post("/v1/Secrets", "Key", "k", "Value", SECRET));
        answers.add(local.post(deviceBase + "/Secrets", "Key", "d", "Value", SECRET));
        answers.add(local.get(deviceBase + "/Secrets/d"));
        answers.add(local.get(deviceBase + "/Secrets"));
        answers.add(local.post("/v1/Secrets", "Key", "bad key", "Value", SECRET));
        answers.add(local.post("/v1/Secrets", "Value", SECRET));
        answers.add(local.post("/v1/Secrets", "Key", "long", "Value", SECRET + "x".repeat(4096)));
        answers.add(local.post("/v1/Secrets/missing", "Value", SECRET));
        answers.add(local.post("/v1/Secrets", "Key", FAILING_KEY, "Value", SECRET));
        answers.add(local.send(local.request("/v1/Secrets")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Value\":\"" + SECRET + "\"}")), local.account));
        answers.add(local.send(local.request("/v1/Secrets")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Key=k2&Value=" + SECRET + "%G0")), local.account));
        String oversized = postOversizedSecret();

        assertThat(answers).extracting(LocalCloud.Reply::status)
                .containsExactly(201, 200, 200, 200, 409, 201, 200, 200, 400, 400, 400, 404, 500, 415, 400);
        assertThat(oversized).startsWith("HTTP/1.1 413").doesNotContain(SECRET);
        for (LocalCloud.Reply answer : answers) {
            assertThat(answer.body()).as("answer with status %d", answer.status()).doesNotContain(SECRET);
            assertThat(answer.response().headers().map().toString()).doesNotContain(SECRET);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the store failure was logged").contains("simulated store failure for key broken");
        assertThat(log).doesNotContain(SECRET);
    }

    /**
     * Announces a 200,000-byte body that carries the secret and sends its first part, then reads the
     * response. The server responds 413 from the announced length and closes. An HTTP client that
     * kept sending would race that close and lose the response to a reset.
     */
    private String postOversizedSecret() throws IOException {
        byte[] firstPart = ("Key=big&Value=" + SECRET + "y".repeat(1000)).getBytes(StandardCharsets.US_ASCII);
        String head = "POST /v1/Secrets HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: " + LocalCloud.basic(local.account.sid(), local.account.authToken()) + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 200000\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", local.server.port()), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(firstPart);
                out.flush();
            } catch (SocketException closedEarly) {
                // The server may have responded and closed already; the response is read below.
            }
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        }
    }

    @Test
    void deviceLookupFailureLogsNoSecret() {
        RegisteredDevice device = local.cloud.registerDevice(local.account.sid(), "rig");

        List<ItemLookup> found = local.cloud.itemDirectory().lookup(device.sid(),
                List.of(new ItemRef(ItemScope.ACCOUNT, ItemStore.SECRET, FAILING_KEY)));

        assertThat(found).singleElement().isInstanceOf(ItemLookup.ServerError.class);
        assertThat(found.toString()).doesNotContain(SECRET);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("SERVERERROR");
    }

    @Test
    void exceptionsAndToStringOmitValue() {
        ItemId id = ItemId.account(local.account.sid(), ItemStore.SECRET, "k");
        local.cloud.createItem(id, SECRET);
        StoredItem withValue = local.cloud.findItem(id).orElseThrow();

        List<String> messages = new ArrayList<>();
        for (Runnable bad : List.<Runnable>of(
                () -> local.cloud.createItem(id, SECRET),
                () -> local.cloud.createItem(id, SECRET + "z".repeat(4096)),
                () -> local.cloud.updateItem(ItemId.account(local.account.sid(), ItemStore.SECRET, "none"), SECRET))) {
            try {
                bad.run();
            } catch (CloudException e) {
                messages.add(e.toString());
            }
        }

        assertThat(messages).hasSize(3).allSatisfy(message -> assertThat(message).doesNotContain(SECRET));
        assertThat(withValue.toString()).doesNotContain(SECRET);
        assertThat(new ItemLookup.Found(SECRET.getBytes(StandardCharsets.UTF_8)).toString()).doesNotContain(SECRET);
    }
}
