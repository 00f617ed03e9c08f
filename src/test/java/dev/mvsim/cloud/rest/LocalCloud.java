package dev.mvsim.cloud.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.StringJoiner;

/**
 * A simulated cloud with its REST API on a free loopback port and a new account, plus a small
 * HTTP client that authenticates as that account. Close it after each test.
 *
 * <p>The no-argument form shares one in-memory cloud and server among all tests of the JVM,
 * which saves a server start per test. Each instance still gets its own account, and accounts
 * see nothing of each other, so tests stay independent.
 */
final class LocalCloud implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private static SimulatedCloud sharedCloud;
    private static RestServer sharedServer;

    final SimulatedCloud cloud;
    final RestServer server;
    final AccountRecord account;
    private final boolean owned;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LocalCloud() {
        synchronized (LocalCloud.class) {
            if (sharedCloud == null) {
                sharedCloud = SimulatedCloud.inMemory();
                sharedServer = sharedCloud.startRest(new InetSocketAddress("127.0.0.1", 0), null);
            }
            this.cloud = sharedCloud;
            this.server = sharedServer;
        }
        this.account = cloud.createAccount();
        this.owned = false;
    }

    /** Starts a server on the given cloud; {@link #close()} closes both. */
    LocalCloud(SimulatedCloud cloud) {
        this.cloud = cloud;
        this.server = cloud.startRest(new InetSocketAddress("127.0.0.1", 0), null);
        this.account = cloud.createAccount();
        this.owned = true;
    }

    /** The response to one request: status, body text and the body parsed as JSON when it is JSON. */
    record Reply(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Body is not JSON: " + body, e);
            }
        }
    }

    /** GETs a path from another server as the given account. */
    static Reply getAs(RestServer other, AccountRecord as, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(other.baseUri() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", basic(as.sid(), as.authToken()))
                .GET()
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply get(String pathOrUrl) {
        return send(request(pathOrUrl).GET(), account);
    }

    Reply delete(String path) {
        return send(request(path).DELETE(), account);
    }

    /** POSTs the fields, given as name, value, name, value, ..., form-encoded. */
    Reply post(String path, String... fields) {
        return send(request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))), account);
    }

    Reply send(HttpRequest.Builder builder, AccountRecord as) {
        if (as != null) {
            builder.header("Authorization", basic(as.sid(), as.authToken()));
        }
        try {
            HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String pathOrUrl) {
        URI uri = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : URI.create(server.baseUri() + pathOrUrl);
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String form(String... fields) {
        StringJoiner body = new StringJoiner("&");
        for (int i = 0; i < fields.length; i += 2) {
            body.add(URLEncoder.encode(fields[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    /** Closes the cloud and its server unless they are the shared ones. */
    @Override
    public void close() {
        if (owned) {
            cloud.close();
        }
    }
}
