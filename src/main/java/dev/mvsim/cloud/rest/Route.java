package dev.mvsim.cloud.rest;

import dev.mvsim.cloud.CloudException;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Target of a request path: a kind of resource plus the device reference and key it carries.
 * Path segments are percent-decoded one by one, so {@code %2F} inside a key stays part of it.
 */
record Route(Kind kind, ItemScope scope, ItemStore store, String deviceRef, String key) {

    enum Kind {
        /** {@code /v1/Configs}, {@code /v1/Secrets} and their device-scope forms. */
        ITEM_LIST(Methods.GET, Methods.POST),
        /** One config or secret by key. */
        ITEM(Methods.GET, Methods.POST, Methods.DELETE),
        DEVICE_LIST(Methods.GET),
        DEVICE(Methods.GET, Methods.POST),
        /** The simulator-only registration route, {@code /mvsim/Devices}. */
        DEVICE_REGISTRATION(Methods.POST),
        /** {@code /v1/Apps} and below, which mvsim does not simulate. */
        APPS(),
        UNKNOWN();

        private final Set<HttpString> methods;

        Kind(HttpString... methods) {
            this.methods = Set.of(methods);
        }

        /** Returns whether the route serves {@code method}; HEAD is served wherever GET is. */
        boolean allows(HttpString method) {
            return methods.contains(isRead(method) ? Methods.GET : method);
        }

        /** Returns the allowed methods for an {@code Allow} header. */
        String allowHeader() {
            StringBuilder allow = new StringBuilder();
            for (HttpString method : List.of(Methods.GET, Methods.HEAD, Methods.POST, Methods.DELETE)) {
                if (allows(method)) {
                    allow.append(allow.length() == 0 ? "" : ", ").append(method);
                }
            }
            return allow.toString();
        }
    }

    /**
     * Returns whether {@code method} reads a resource: GET, or HEAD, which gets the same status
     * and headers while Undertow leaves out the body.
     */
    static boolean isRead(HttpString method) {
        return method.equals(Methods.GET) || method.equals(Methods.HEAD);
    }

    private static final Route UNKNOWN_ROUTE = new Route(Kind.UNKNOWN, null, null, null, null);

    /** Parses a raw (not yet decoded) request path. */
    static Route parse(String rawPath) {
        List<String> segments = decodeSegments(rawPath);
        int count = segments.size();
        if (count < 2) {
            return UNKNOWN_ROUTE;
        }

        String root = segments.get(0);
        String collection = segments.get(1);
        if (root.equals("mvsim")) {
            return count == 2 && collection.equals("Devices")
                    ? new Route(Kind.DEVICE_REGISTRATION, null, null, null, null)
                    : UNKNOWN_ROUTE;
        }
        if (!root.equals("v1")) {
            return UNKNOWN_ROUTE;
        }

        ItemStore accountStore = storeNamed(collection);
        if (accountStore != null) {
            return switch (count) {
                case 2 -> new Route(Kind.ITEM_LIST, ItemScope.ACCOUNT, accountStore, null, null);
                case 3 -> new Route(Kind.ITEM, ItemScope.ACCOUNT, accountStore, null, segments.get(2));
                default -> UNKNOWN_ROUTE;
            };
        }
        if (collection.equals("Apps")) {
            return new Route(Kind.APPS, null, null, null, null);
        }
        if (!collection.equals("Devices")) {
            return UNKNOWN_ROUTE;
        }

        if (count == 2) {
            return new Route(Kind.DEVICE_LIST, null, null, null, null);
        }
        String deviceRef = segments.get(2);
        if (count == 3) {
            return new Route(Kind.DEVICE, null, null, deviceRef, null);
        }
        ItemStore deviceStore = storeNamed(segments.get(3));
        if (deviceStore == null) {
            return UNKNOWN_ROUTE;
        }
        return switch (count) {
            case 4 -> new Route(Kind.ITEM_LIST, ItemScope.DEVICE, deviceStore, deviceRef, null);
            case 5 -> new Route(Kind.ITEM, ItemScope.DEVICE, deviceStore, deviceRef, segments.get(4));
            default -> UNKNOWN_ROUTE;
        };
    }

    private static ItemStore storeNamed(String segment) {
        return switch (segment) {
            case "Configs" -> ItemStore.CONFIG;
            case "Secrets" -> ItemStore.SECRET;
            default -> null;
        };
    }

    /** Splits at '/', drops the leading empty segment and one trailing one, and decodes each. */
    private static List<String> decodeSegments(String rawPath) {
        List<String> segments = new ArrayList<>(6);
        int start = rawPath.startsWith("/") ? 1 : 0;
        int end = rawPath.endsWith("/") && rawPath.length() > 1 ? rawPath.length() - 1 : rawPath.length();

        while (start <= end && start < rawPath.length()) {
            int slash = rawPath.indexOf('/', start);
            int segmentEnd = slash < 0 || slash > end ? end : slash;
            segments.add(decode(rawPath.substring(start, segmentEnd)));
            start = segmentEnd + 1;
        }
        return segments;
    }

    /**
     * Percent-decodes one segment strictly. Undertow's decoder would turn an escape that is not
     * UTF-8, such as {@code %FF}, into U+FFFD and so name a key the client never sent.
     */
    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int high = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(segment.charAt(i + 2), 16) : -1;
            if (low < 0) {
                throw new CloudException.InvalidParameter("path",
                        "The path segment '" + segment + "' has an invalid percent-encoding; encode '%' as %25");
            }
            bytes.write(high << 4 | low);
            i += 2;
        }

        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CloudException.InvalidParameter("path", "The path segment '" + segment
                    + "' is not valid UTF-8 once percent-decoded; percent-encode the UTF-8 bytes of the text");
        }
    }
}
