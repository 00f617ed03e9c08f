package dev.mvsim.cloud.rest;

import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;

/**
 * Builds the absolute URLs that responses carry, from the public base URL (scheme, host, port
 * and an optional path prefix, without a trailing slash).
 */
final class PublicUrls {

    private final String base;

    PublicUrls(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    String base() {
        return base;
    }

    /** Returns the absolute URL of a path that starts with '/'. */
    String absolute(String path) {
        return base + path;
    }

    String device(String deviceSid) {
        return base + "/v1/Devices/" + deviceSid;
    }

    /** Returns the path, not yet absolute, of the list holding the given store and scope. */
    static String itemListPath(ItemScope scope, String deviceSid, ItemStore store) {
        String collection = store == ItemStore.CONFIG ? "Configs" : "Secrets";
        return scope == ItemScope.DEVICE
                ? "/v1/Devices/" + deviceSid + "/" + collection
                : "/v1/" + collection;
    }

    String item(ItemId id) {
        return base + itemListPath(id.scope(), id.deviceSid(), id.store()) + "/" + encodeSegment(id.key());
    }

    /**
     * Percent-encodes a path segment: every byte outside RFC 3986's unreserved characters, the
     * sub-delimiters other than ';', ':' and '@' is encoded, so '%', '?', '#', '/' and ';' are.
     * A raw ';' would reach the server as well, but proxies and servers other than mvsim may
     * cut a segment at ';' as a path parameter, so {@code %3B} is the form that cannot be misread.
     */
    static String encodeSegment(String segment) {
        StringBuilder encoded = null;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (isPathCharacter(c)) {
                if (encoded != null) {
                    encoded.append(c);
                }
                continue;
            }
            if (encoded == null) {
                encoded = new StringBuilder(segment.length() + 16).append(segment, 0, i);
            }
            // Keys are ASCII, so a char is one byte here; wider chars go through UTF-8.
            byte[] bytes = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (Character.isHighSurrogate(c) && i + 1 < segment.length()) {
                bytes = segment.substring(i, i + 2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                i++;
            }
            for (byte b : bytes) {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return encoded == null ? segment : encoded.toString();
    }

    private static boolean isPathCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,=:@".indexOf(c) >= 0;
    }
}
