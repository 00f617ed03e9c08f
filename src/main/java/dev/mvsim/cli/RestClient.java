package dev.mvsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A small client of the simulator's REST API: form-encoded requests with HTTP Basic auth, JSON
 * responses, and every failure turned into a {@link CliException} whose message says what to do.
 */
final class RestClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUri;
    private final Credentials credentials;
    private final HttpClient http;

    RestClient(URI baseUri, Credentials credentials) {
        this.baseUri = baseUri;
        this.credentials = credentials;
        // HTTP/1.1 because the default would offer an h2c upgrade on every plain-HTTP request.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    /** Encodes one path segment, so that keys with spaces, slashes or {@code %} reach the server intact. */
    static String pathSegment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Sends a GET to {@code path} (relative to the base URL, starting with {@code /v1}). */
    JsonNode get(String path) {
        return send(request(resolve(path)).GET().build());
    }

    /** Sends a GET to an absolute URL, such as a list's {@code next_page_url}. */
    JsonNode get(URI absolute) {
        return send(request(absolute).GET().build());
    }

    /** Sends a POST with the fields form-encoded. */
    JsonNode post(String path, Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> body.add(URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        HttpRequest post = request(resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return send(post);
    }

    /** Sends a DELETE. The response, 204 with no body, has nothing to return. */
    void delete(String path) {
        send(request(resolve(path)).DELETE().build());
    }

    private URI resolve(String path) {
        String base = baseUri.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path);
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        return credentials.authorize(builder);
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliException(ExitCode.UNREACHABLE, "No mvsim server is running at " + baseUri
                    + " (connection failed). Start one with './simulator/mvsim serve', or point --url or "
                    + CliEnvironment.URL + " at a running server.", e);
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCode.UNREACHABLE, "The server at " + baseUri + " did not respond to "
                    + request.method() + " " + request.uri().getPath() + " within "
                    + REQUEST_TIMEOUT.toSeconds() + " s. Check that it is an mvsim server and not overloaded.", e);
        } catch (IOException e) {
            throw new CliException(ExitCode.UNREACHABLE, describeFailure(request, e)
                    + " Check that --url or " + CliEnvironment.URL + " points at a running 'mvsim serve'"
                    + " and not at another service, and that the server log shows no error.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.UNREACHABLE, "Interrupted while waiting for " + baseUri + ".", e);
        }

        int status = response.statusCode();
        if (status / 100 == 2) {
            return parse(response);
        }
        throw RestErrors.toException(request, response, baseUri, credentials);
    }

    /**
     * Describes a failed exchange. The JDK client reports a connection closed before any
     * response byte as an {@link EOFException} or an IOException whose message says "received no
     * bytes" (JDK 17), which reads like a client bug unless translated.
     */
    private String describeFailure(HttpRequest request, IOException failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        String operation = request.method() + " " + request.uri().getRawPath();
        if (failure instanceof EOFException || message.contains("received no bytes")) {
            return "The server at " + baseUri + " closed the connection without answering " + operation + ".";
        }
        return "The request " + operation + " to " + baseUri + " failed: "
                + (message.isEmpty() ? failure.getClass().getSimpleName() : message) + ".";
    }

    private JsonNode parse(HttpResponse<String> response) {
        if (response.body().isEmpty() && response.statusCode() == 204) {
            return JSON.nullNode();
        }
        if (!RestErrors.isJson(response)) {
            throw RestErrors.notMvsim(response, baseUri, "not JSON");
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw RestErrors.notMvsim(response, baseUri, "but a body that does not parse as JSON");
        }
    }
}
