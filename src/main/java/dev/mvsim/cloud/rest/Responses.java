package dev.mvsim.cloud.rest;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;

/** Sends JSON bodies, empty responses and Twilio-style errors. */
final class Responses {

    static final String JSON_TYPE = "application/json";

    /** Twilio's code for a missing or invalid parameter. */
    static final int CODE_INVALID_PARAMETER = 20001;
    static final int CODE_AUTHENTICATE = 20003;
    static final int CODE_METHOD_NOT_ALLOWED = 20004;
    static final int CODE_NOT_FOUND = 20404;

    // mvsim's codes where the vendor documents none: Twilio's 20000 + HTTP status pattern,
    // as in 20404, 20429 and 20500. The docs list them as mvsim choices.
    static final int CODE_CONFLICT = 20409;
    static final int CODE_TOO_LARGE = 20413;
    static final int CODE_UNSUPPORTED_MEDIA_TYPE = 20415;
    static final int CODE_INTERNAL_ERROR = 20500;

    private Responses() {}

    static void json(HttpServerExchange exchange, int status, byte[] body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON_TYPE);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    static void noContent(HttpServerExchange exchange) {
        exchange.setStatusCode(StatusCodes.NO_CONTENT);
        exchange.endExchange();
    }

    static void error(HttpServerExchange exchange, int status, int code, String message) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        json(exchange, status, JsonViews.error(code, message, status));
    }
}
