package dev.mvsim.cloud.rest;

import dev.mvsim.cloud.CloudException;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root handler: authenticates, routes, reads form bodies and turns {@link CloudException}s
 * into Twilio-style errors. With the in-memory store it runs on Undertow's I/O threads, because
 * no step blocks. With any other store it checks and reads the request on the I/O thread, runs
 * the store call on a worker thread and sends the response from the I/O thread again (see
 * {@link Responses}). A request with an Authorization header not verified before visits a
 * worker thread first, because verifying it reads the store.
 */
final class RestHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RestHandler.class);

    private static final String FORM_TYPE = "application/x-www-form-urlencoded";
    private static final String BASIC_PREFIX = "Basic ";
    private static final String REALM_CHALLENGE = "Basic realm=\"mvsim\"";

    /**
     * Most distinct Authorization headers remembered as verified. Clients reuse one header, so
     * a handful suffice; the bound keeps a stream of distinct good headers from growing memory.
     */
    private static final int MAX_VERIFIED_HEADERS = 256;

    private final SimulatedCloud cloud;
    private final ConcurrentHashMap<String, AccountRecord> verifiedHeaders = new ConcurrentHashMap<>();
    private final ItemEndpoints items;
    private final DeviceEndpoints devices;
    private final AuthFailureLog authFailures = new AuthFailureLog();

    RestHandler(SimulatedCloud cloud, ItemEndpoints items, DeviceEndpoints devices) {
        this.cloud = cloud;
        this.items = items;
        this.devices = devices;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        AccountRecord account = header == null ? null : verifiedHeaders.get(header);
        if (account == null && header != null) {
            // Checking a header not seen before reads the store, so it runs on a worker thread.
            // Once verified, the request returns to the I/O thread, which reads the body.
            if (cloud.storeBlocks() && exchange.isInIoThread()) {
                exchange.dispatch(this);
                return;
            }
            AccountRecord verified = authenticate(header);
            if (verified != null && cloud.storeBlocks()) {
                exchange.dispatch(exchange.getIoThread(), ex -> handleAuthenticated(ex, verified));
                return;
            }
            account = verified;
        }
        if (account == null) {
            authFailures.failed(exchange.getRequestMethod().toString(), rawPath(exchange),
                    exchange.getSourceAddress(), header);
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, REALM_CHALLENGE);
            Responses.error(exchange, StatusCodes.UNAUTHORIZED, Responses.CODE_AUTHENTICATE, "Authenticate");
            return;
        }
        handleAuthenticated(exchange, account);
    }

    /** Routes an authenticated request and runs it, reading its form body first for a POST. */
    private void handleAuthenticated(HttpServerExchange exchange, AccountRecord account) {
        int parameters = countQueryParameters(exchange.getQueryString());
        if (parameters > RestServer.MAX_QUERY_PARAMETERS) {
            Responses.error(exchange, StatusCodes.BAD_REQUEST, Responses.CODE_INVALID_PARAMETER,
                    "The query string has " + parameters + " parameters; the maximum is "
                            + RestServer.MAX_QUERY_PARAMETERS);
            return;
        }

        Route route;
        try {
            route = Route.parse(rawPath(exchange));
        } catch (CloudException e) {
            sendError(exchange, e);
            return;
        }

        if (route.kind() == Route.Kind.UNKNOWN) {
            Responses.error(exchange, StatusCodes.NOT_FOUND, Responses.CODE_NOT_FOUND,
                    "The requested resource " + rawPath(exchange) + " was not found");
            return;
        }
        if (route.kind() == Route.Kind.APPS) {
            Responses.error(exchange, StatusCodes.NOT_FOUND, Responses.CODE_NOT_FOUND,
                    "The requested resource " + rawPath(exchange)
                            + " was not found: mvsim does not simulate Apps");
            return;
        }
        if (!route.kind().allows(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, route.kind().allowHeader());
            Responses.error(exchange, StatusCodes.METHOD_NOT_ALLOWED, Responses.CODE_METHOD_NOT_ALLOWED,
                    "Method " + exchange.getRequestMethod() + " is not allowed on "
                            + rawPath(exchange) + "; use " + route.kind().allowHeader());
            return;
        }

        // Checked for every method before anything runs: a GET or DELETE ignores its body, but a
        // client that sends JSON expects it to be read and must learn that it was not.
        String unsupportedBody = describeUnsupportedBody(exchange);
        if (unsupportedBody != null) {
            Responses.error(exchange, StatusCodes.UNSUPPORTED_MEDIA_TYPE, Responses.CODE_UNSUPPORTED_MEDIA_TYPE,
                    unsupportedBody);
            return;
        }

        if (exchange.getRequestMethod().equals(Methods.POST)) {
            receiveForm(exchange, account, route);
        } else {
            runOffIoThread(exchange, account, route, Map.of());
        }
    }

    /** Reads the form body, then runs the route. */
    private void receiveForm(HttpServerExchange exchange, AccountRecord account, Route route) {
        BodyReceiver.receive(exchange, (ex, body) -> {
            Map<String, String> form;
            try {
                form = FormFields.parse(body, "body");
            } catch (CloudException e) {
                sendError(ex, e);
                return;
            }
            runOffIoThread(ex, account, route, form);
        });
    }

    /** Runs the route, on a worker thread when the store blocks and this is an I/O thread. */
    private void runOffIoThread(HttpServerExchange exchange, AccountRecord account, Route route,
            Map<String, String> form) {
        if (cloud.storeBlocks() && exchange.isInIoThread()) {
            exchange.dispatch(ex -> run(ex, account, route, form));
            return;
        }
        run(exchange, account, route, form);
    }

    private void run(HttpServerExchange exchange, AccountRecord account, Route route, Map<String, String> form) {
        try {
            switch (route.kind()) {
                case ITEM_LIST, ITEM -> items.handle(exchange, account, route, form);
                case DEVICE_LIST, DEVICE -> devices.handle(exchange, account, route, form);
                case DEVICE_REGISTRATION -> devices.register(exchange, account, form);
                default -> throw new IllegalStateException("Route kind " + route.kind() + " has no endpoint");
            }
        } catch (CloudException e) {
            sendError(exchange, e);
        } catch (RuntimeException e) {
            LOG.error("Request {} {} of account {} failed", exchange.getRequestMethod(),
                    rawPath(exchange), account.sid(), e);
            Responses.error(exchange, StatusCodes.INTERNAL_SERVER_ERROR, Responses.CODE_INTERNAL_ERROR,
                    "Internal error in the simulated cloud; the server log has the details");
        }
    }

    /**
     * Returns the request path as sent, before percent-decoding and with any ';' kept.
     * Undertow's {@code getRequestPath} drops a segment's text from ';' on as a path parameter,
     * so {@code /v1/Configs/a;b} would address the key {@code a}. mvsim has no path parameters,
     * so a ';' is part of the key or device name. An absolute-form target
     * ({@code GET http://host/path}) is cut to its path.
     */
    static String rawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (uri.startsWith("/")) {
            return uri;
        }
        int authority = uri.indexOf("://");
        int pathStart = authority < 0 ? -1 : uri.indexOf('/', authority + 3);
        return pathStart < 0 ? "/" : uri.substring(pathStart);
    }

    private static void sendError(HttpServerExchange exchange, CloudException e) {
        // Cloud exception messages never carry item values, so the message is safe to log.
        LOG.debug("Rejected {} {}: {}", exchange.getRequestMethod(), rawPath(exchange), e.getMessage());
        if (e instanceof CloudException.InvalidParameter) {
            Responses.error(exchange, StatusCodes.BAD_REQUEST, Responses.CODE_INVALID_PARAMETER, e.getMessage());
        } else if (e instanceof CloudException.NotFound) {
            Responses.error(exchange, StatusCodes.NOT_FOUND, Responses.CODE_NOT_FOUND, e.getMessage());
        } else if (e instanceof CloudException.Conflict) {
            Responses.error(exchange, StatusCodes.CONFLICT, Responses.CODE_CONFLICT, e.getMessage());
        } else {
            throw new IllegalStateException("Unmapped cloud exception " + e.getClass().getName());
        }
    }

    /** Returns the account named by an Authorization header not verified before, or null when it is wrong. */
    private AccountRecord authenticate(String header) {
        AccountRecord account = checkBasicCredentials(header);
        if (account != null) {
            // Accounts and tokens never change, so a header that verified once stays valid.
            if (verifiedHeaders.size() >= MAX_VERIFIED_HEADERS) {
                verifiedHeaders.clear();
            }
            verifiedHeaders.put(header, account);
        }
        return account;
    }

    private AccountRecord checkBasicCredentials(String header) {
        if (!header.regionMatches(true, 0, BASIC_PREFIX, 0, BASIC_PREFIX.length())) {
            return null;
        }

        String credentials;
        try {
            byte[] decoded = Base64.getDecoder().decode(header.substring(BASIC_PREFIX.length()).trim());
            credentials = new String(decoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return cloud.authenticate(credentials.substring(0, colon), credentials.substring(colon + 1)).orElse(null);
    }

    private static int countQueryParameters(String query) {
        if (query == null || query.isEmpty()) {
            return 0;
        }
        int count = 0;
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            if (end > start) {
                count++;
            }
            start = end + 1;
        }
        return count;
    }

    private static boolean hasBody(HttpServerExchange exchange) {
        HeaderValues transferEncoding = exchange.getRequestHeaders().get(Headers.TRANSFER_ENCODING);
        return exchange.getRequestContentLength() > 0 || (transferEncoding != null && !transferEncoding.isEmpty());
    }

    /**
     * Returns why the request's body cannot be read, or null when it has none or it is a form
     * in UTF-8. A declared charset other than UTF-8 is rejected because the parser decodes
     * percent-escapes as UTF-8 and would store other text than the client meant.
     */
    private static String describeUnsupportedBody(HttpServerExchange exchange) {
        if (!hasBody(exchange)) {
            return null;
        }
        String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (type == null) {
            return "Content-Type is missing; send the parameters as " + FORM_TYPE;
        }

        int semicolon = type.indexOf(';');
        String mediaType = semicolon < 0 ? type : type.substring(0, semicolon);
        if (!mediaType.trim().toLowerCase(Locale.ROOT).equals(FORM_TYPE)) {
            return "Content-Type '" + type + "' is not supported; send the parameters as " + FORM_TYPE;
        }
        String[] parameters = semicolon < 0 ? new String[0] : type.substring(semicolon + 1).split(";");
        for (String parameterText : parameters) {
            String parameter = parameterText.trim();
            int equals = parameter.indexOf('=');
            if (equals < 0 || !parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
                continue;
            }
            String charset = parameter.substring(equals + 1).trim().replace("\"", "");
            if (!charset.equalsIgnoreCase("UTF-8")) {
                return "Charset '" + charset + "' in Content-Type is not supported; encode the form as UTF-8"
                        + " and declare charset=UTF-8 or no charset";
            }
        }
        return null;
    }
}
