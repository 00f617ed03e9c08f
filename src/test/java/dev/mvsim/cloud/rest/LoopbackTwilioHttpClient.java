package dev.mvsim.cloud.rest;

import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A twilio-java {@link com.twilio.http.HttpClient} that sends every request to a local mvsim
 * server instead of the host in the request's URL, keeping path, query, body and credentials.
 */
final class LoopbackTwilioHttpClient extends com.twilio.http.HttpClient {

    private final URI server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LoopbackTwilioHttpClient(URI server) {
        this.server = server;
    }

    @Override
    public Response makeRequest(Request request) {
        URL original = request.constructURL();
        String pathAndQuery = original.getFile();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", LocalCloud.basic(request.getUsername(), request.getPassword()));

        HttpMethod method = request.getMethod();
        if (method == HttpMethod.POST) {
            builder.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(request.encodeFormBody()));
        } else {
            builder.method(method.toString(), HttpRequest.BodyPublishers.noBody());
        }

        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.body(), response.statusCode());
        } catch (IOException e) {
            throw new UncheckedIOException("Request to the local mvsim server failed: " + pathAndQuery, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling the local mvsim server", e);
        }
    }
}
