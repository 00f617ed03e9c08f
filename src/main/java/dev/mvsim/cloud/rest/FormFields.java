package dev.mvsim.cloud.rest;

import dev.mvsim.cloud.CloudException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses {@code application/x-www-form-urlencoded} text, as request bodies and query strings
 * carry it: '+' is a space and percent-escapes are UTF-8. Error messages name fields, never
 * their values, because a value may be a secret.
 */
final class FormFields {

    private FormFields() {}

    /** Parses the text into fields; {@code source} ("body" or "query string") appears in errors. */
    static Map<String, String> parse(String text, String source) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }

        Map<String, String> fields = new HashMap<>(8);
        int start = 0;
        while (start <= text.length()) {
            int amp = text.indexOf('&', start);
            int end = amp < 0 ? text.length() : amp;
            if (end > start) {
                addField(fields, text.substring(start, end), source);
            }
            start = end + 1;
        }
        return fields;
    }

    private static void addField(Map<String, String> fields, String pair, String source) {
        int equals = pair.indexOf('=');
        String name = decode(equals < 0 ? pair : pair.substring(0, equals), null, source);
        String value = equals < 0 ? "" : decode(pair.substring(equals + 1), name, source);
        if (fields.putIfAbsent(name, value) != null) {
            throw new CloudException.InvalidParameter(name,
                    "Parameter " + name + " appears more than once in the " + source + "; send it once");
        }
    }

    private static String decode(String text, String fieldName, String source) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            String what = fieldName == null ? "A parameter name" : "The value of " + fieldName;
            throw new CloudException.InvalidParameter(fieldName == null ? source : fieldName, what
                    + " in the " + source + " has an invalid percent-encoding; encode '%' as %25");
        }
    }
}
