package dev.mvsim.cli;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * An account SID and auth token, with a description of where they came from so that a 401
 * message can name the credentials that failed without printing the token.
 */
record Credentials(String accountSid, String authToken, String source) {

    Credentials {
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(authToken, "authToken");
        Objects.requireNonNull(source, "source");
    }

    /** Adds the HTTP Basic {@code Authorization} header that Twilio-style APIs expect. */
    HttpRequest.Builder authorize(HttpRequest.Builder request) {
        String pair = accountSid + ":" + authToken;
        String encoded = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        return request.header("Authorization", "Basic " + encoded);
    }

    /** Shows the SID and source only: the auth token is a credential. */
    @Override
    public String toString() {
        return "Credentials[accountSid=" + accountSid + ", source=" + source + "]";
    }
}
