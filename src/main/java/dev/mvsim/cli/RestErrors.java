package dev.mvsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Turns an HTTP error response into a one-line {@link CliException}. */
final class RestErrors {

    /** Maximum number of characters of a non-JSON error body that a message quotes. */
    private static final int MAX_QUOTED_BODY = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RestErrors() {
    }

    static CliException toException(
            HttpRequest request, HttpResponse<String> response, URI baseUri, Credentials credentials) {
        int status = response.statusCode();
        String operation = request.method() + " " + request.uri().getRawPath();

        if (status == 401) {
            return new CliException(ExitCode.UNAUTHORIZED, "The server at " + baseUri
                    + " rejected account " + credentials.accountSid() + " (HTTP 401); these credentials came from "
                    + credentials.source() + ". Use the credentials that 'mvsim serve' printed on its first start"
                    + " or wrote to its data directory.");
        }

        String detail = twilioMessage(response.body());
        if (detail == null) {
            detail = quote(response.body());
        }
        int exitCode = status == 404 ? ExitCode.NOT_FOUND : ExitCode.REJECTED;
        return new CliException(exitCode, operation + " failed with HTTP " + status + ": " + detail);
    }

    /** Returns "message (code N)" from a Twilio error body, or null when the body is not one. */
    private static String twilioMessage(String body) {
        JsonNode error;
        try {
            error = JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
        if (error == null || !error.hasNonNull("message")) {
            return null;
        }
        String message = oneLine(error.get("message").asText());
        return error.hasNonNull("code") ? message + " (code " + error.get("code").asInt() + ")" : message;
    }

    private static String quote(String body) {
        if (body.isBlank()) {
            return "no response body.";
        }
        String line = oneLine(body.strip());
        return line.length() <= MAX_QUOTED_BODY ? line : line.substring(0, MAX_QUOTED_BODY) + "…";
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
