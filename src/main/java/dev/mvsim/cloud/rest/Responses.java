package dev.mvsim.cloud.rest;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;

/**
 * Sends JSON bodies, empty responses and Twilio-style errors. A response from a worker thread
 * is sent on the connection's I/O thread instead. When Undertow 2.3.26 ends an exchange on a
 * worker thread, the I/O thread can spin in {@code HttpReadListener.handleEvent} until the worker
 * has reset the connection. On a loaded 2-core machine that spin took 44% of the CPU samples of
 * a create load (bench/creates.sh).
 */
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
        if (!exchange.isInIoThread()) {
            exchange.dispatch(exchange.getIoThread(), ex -> json(ex, status, body));
            return;
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON_TYPE);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    static void noContent(HttpServerExchange exchange) {
        if (!exchange.isInIoThread()) {
            exchange.dispatch(exchange.getIoThread(), Responses::noContent);
            return;
        }
        exchange.setStatusCode(StatusCodes.NO_CONTENT);
        exchange.endExchange();
    }

    static void error(HttpServerExchange exchange, int status, int code, String message) {
        if (!exchange.isInIoThread()) {
            exchange.dispatch(exchange.getIoThread(), ex -> error(ex, status, code, message));
            return;
        }
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        json(exchange, status, JsonViews.error(code, message, status));
    }
}
