package dev.mvsim.cloud.rest;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a request body of at most {@link RestServer#MAX_BODY_BYTES}. A larger declared
 * {@code Content-Length} is rejected before any byte is read; a chunked body is counted as it
 * arrives and rejected as soon as it passes the limit, so at most the limit plus one network
 * read is ever held in memory.
 */
final class BodyReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(BodyReceiver.class);

    private BodyReceiver() {}

    /** Reads the body as UTF-8 text and passes it to {@code onBody}, or sends 413 when it is too large. */
    static void receive(HttpServerExchange exchange, BiConsumer<HttpServerExchange, String> onBody) {
        if (exchange.getRequestContentLength() > RestServer.MAX_BODY_BYTES) {
            rejectTooLarge(exchange);
            return;
        }

        ByteArrayOutputStream body = new ByteArrayOutputStream(
                (int) Math.max(0, Math.min(exchange.getRequestContentLength(), RestServer.MAX_BODY_BYTES)));
        boolean[] rejected = {false};
        exchange.getRequestReceiver().receivePartialBytes(
                (ex, bytes, last) -> {
                    if (rejected[0]) {
                        return;
                    }
                    if (body.size() + bytes.length > RestServer.MAX_BODY_BYTES) {
                        rejected[0] = true;
                        rejectTooLarge(ex);
                        return;
                    }
                    body.write(bytes, 0, bytes.length);
                    if (last) {
                        deliver(ex, body.toByteArray(), onBody);
                    }
                },
                BodyReceiver::readFailed);
    }

    /** Decodes the body strictly, so malformed UTF-8 is rejected rather than replaced with U+FFFD. */
    private static void deliver(
            HttpServerExchange exchange, byte[] body, BiConsumer<HttpServerExchange, String> onBody) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            Responses.error(exchange, StatusCodes.BAD_REQUEST, Responses.CODE_INVALID_PARAMETER,
                    "The request body is not valid UTF-8; percent-encode the form fields as UTF-8");
            return;
        }
        onBody.accept(exchange, text);
    }

    private static void rejectTooLarge(HttpServerExchange exchange) {
        // The unread rest of the body makes the connection unusable for another request.
        exchange.setPersistent(false);
        Responses.error(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE, Responses.CODE_TOO_LARGE,
                "The request body is larger than " + RestServer.MAX_BODY_BYTES
                        + " bytes; a Key and a Value of 4096 characters fit well within that,"
                        + " so check what is being sent");
    }

    private static void readFailed(HttpServerExchange exchange, IOException failure) {
        LOG.debug("Reading the body of {} {} failed; closing the connection",
                exchange.getRequestMethod(), RestHandler.rawPath(exchange), failure);
        exchange.setPersistent(false);
        exchange.endExchange();
    }
}
