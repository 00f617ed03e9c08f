package dev.mvsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Turns an HTTP error response into a one-line {@link CliException}. */
final class RestErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RestErrors() {
    }

    static CliException toException(
            HttpRequest request, HttpResponse<String> response, URI baseUri, Credentials credentials) {
        int status = response.statusCode();
        String operation = request.method() + " " + request.uri().getRawPath();

        // mvsim sends a Twilio-style JSON object with every error, so anything else came from
        // another server, such as a web server or proxy on the port. Its 404 tells nothing
        // about the key or device.
        if (!isJson(response) || twilioMessage(response.body()) == null) {
            return notMvsim(response, baseUri, "not a Twilio-style JSON error");
        }

        if (status == 401) {
            return new CliException(ExitCode.UNAUTHORIZED, "The server at " + baseUri
                    + " rejected account " + credentials.accountSid() + " (HTTP 401); these credentials came from "
                    + credentials.source() + ". Use the credentials that 'mvsim serve' printed on its first start"
                    + " or wrote to its data directory.");
        }

        String detail = twilioMessage(response.body());
        int exitCode = status == 404 ? ExitCode.NOT_FOUND : ExitCode.REJECTED;
        return new CliException(exitCode, operation + " failed with HTTP " + status + ": " + detail);
    }

    /** Returns whether the response's {@code Content-Type} is {@code application/json}, with or without parameters. */
    static boolean isJson(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        int semicolon = type.indexOf(';');
        String mediaType = (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
        return mediaType.equalsIgnoreCase("application/json");
    }

    /**
     * Returns the failure for a response that the mvsim REST API would never send. The body is
     * left out and only its length is given: a proxy or echo server can return the request,
     * and with it a secret's value or the Authorization header.
     */
    static CliException notMvsim(HttpResponse<String> response, URI baseUri, String problem) {
        String type = response.headers().firstValue("Content-Type").orElse("no Content-Type");
        return new CliException(ExitCode.NOT_MVSIM, "The server at " + baseUri + " does not speak the mvsim"
                + " REST API: it answered " + response.request().method() + " " + response.request().uri().getRawPath()
                + " with HTTP " + response.statusCode() + " and " + type + ", " + problem + " ("
                + describeBody(response.body()) + "). Point --url or " + CliEnvironment.URL + " at 'mvsim serve'.");
    }

    /** Returns "message (code N)" from a Twilio error body, or null when the body is not one. */
    private static String twilioMessage(String body) {
        JsonNode error;
        try {
            error = JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
        if (error == null || !error.path("message").isTextual() || !error.path("code").isInt()
                || !error.path("status").isInt()) {
            return null;
        }
        String message = oneLine(error.get("message").asText());
        return message + " (code " + error.get("code").asInt() + ")";
    }

    private static String describeBody(String body) {
        if (body.isEmpty()) {
            return "empty body";
        }
        return "body of " + body.length() + " characters, not shown because it may repeat the request";
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
