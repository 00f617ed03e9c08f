package dev.mvsim.bridge;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Recognises an HTTP request sent to the bridge port by mistake, such as curl pointed at the wrong
 * port. Bridge packets are COBS-encoded and end in a zero byte, so such a request never completes
 * a packet and would otherwise wait out the handshake timeout with no word on what went wrong.
 */
final class HttpOnBridgePort {

    private static final List<String> METHODS =
            List.of("GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "PRI * HTTP/2");

    private static final String BODY = "This is mvsim's device bridge, which speaks the device frame protocol."
            + " Send REST API requests to mvsim's REST port instead.\n";

    /** Response sent before the connection is closed, so that the HTTP client shows what to do. */
    static final byte[] RESPONSE = ("HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Connection: close\r\n"
            + "Content-Length: " + BODY.length() + "\r\n"
            + "\r\n"
            + BODY).getBytes(StandardCharsets.US_ASCII);

    private HttpOnBridgePort() {
    }

    /** Returns true when the first bytes a peer sent start like an HTTP/1 or HTTP/2 request. */
    static boolean startsLikeHttp(byte[] bytes, int length) {
        for (String method : METHODS) {
            if (startsWith(bytes, length, method)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] bytes, int length, String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
