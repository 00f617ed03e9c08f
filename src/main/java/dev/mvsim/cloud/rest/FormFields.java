package dev.mvsim.cloud.rest;

import dev.mvsim.cloud.CloudException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }

        // URLDecoder would replace malformed UTF-8 with U+FFFD and store a value the client
        // never sent, so the escapes are collected as bytes and decoded strictly.
        ByteBuffer bytes = ByteBuffer.allocate(text.length() * 3);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                bytes.put((byte) ' ');
            } else if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (low < 0) {
                    throw new CloudException.InvalidParameter(fieldName == null ? source : fieldName,
                            describe(fieldName) + " in the " + source
                                    + " has an invalid percent-encoding; encode '%' as %25");
                }
                bytes.put((byte) (high << 4 | low));
                i += 2;
            } else {
                int codePoint = text.codePointAt(i);
                bytes.put(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        bytes.flip();

        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CloudException.InvalidParameter(fieldName == null ? source : fieldName,
                    describe(fieldName) + " in the " + source + " is not valid UTF-8 once"
                            + " percent-decoded; send text encoded as UTF-8");
        }
    }

    private static String describe(String fieldName) {
        return fieldName == null ? "A parameter name" : "The value of " + fieldName;
    }
}
