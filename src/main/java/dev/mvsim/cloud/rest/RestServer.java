package dev.mvsim.cloud.rest;

import dev.mvsim.cloud.SimulatedCloud;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.util.DateUtils;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Date;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated cloud's REST API on Undertow: the vendor's {@code /v1} routes for configs,
 * secrets and devices, plus the simulator-only {@code POST /mvsim/Devices}. Start it with
 * {@link SimulatedCloud#startRest}.
 */
public final class RestServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    /**
     * Largest request body accepted. A 4096-character value can take 16 KiB as UTF-8 and three
     * times that percent-encoded, so 64 KiB leaves room for the key and the field names.
     */
    public static final long MAX_BODY_BYTES = 64 * 1024;

    /**
     * Undertow's own limit, a backstop above {@link #MAX_BODY_BYTES}. Past it, Undertow 2.3 closes
     * a chunked request's connection without a response, so the REST handler checks first.
     */
    private static final long UNDERTOW_MAX_ENTITY_BYTES = 2 * MAX_BODY_BYTES;

    /** Maximum number of query parameters in one request. The REST handler rejects more with 400. */
    static final int MAX_QUERY_PARAMETERS = 1000;

    /**
     * Undertow's own parameter limit, a backstop above {@link #MAX_QUERY_PARAMETERS}. Undertow
     * 2.3 rejects a request past it with a bare 400 before any handler runs, so it is set higher
     * to let the REST handler send the JSON error.
     */
    private static final int UNDERTOW_MAX_PARAMETERS = 20 * MAX_QUERY_PARAMETERS;

    /**
     * Maximum time from a request's first byte to the end of its headers. Without it a client
     * that stops in the middle of its headers holds the connection open for ever.
     */
    static final int REQUEST_PARSE_TIMEOUT_MILLIS = 10_000;

    private final Undertow undertow;
    private final int port;
    private final URI baseUri;
    private final Consumer<RestServer> onClose;
    private boolean closed;

    private RestServer(Undertow undertow, int port, URI baseUri, Consumer<RestServer> onClose) {
        this.undertow = undertow;
        this.port = port;
        this.baseUri = baseUri;
        this.onClose = onClose;
    }

    /**
     * Starts a server for the cloud on {@code bind}. Called by {@link SimulatedCloud#startRest}.
     *
     * @param publicBaseUrl the base of the URLs in responses, or null for {@code http://} and the
     *     bound address
     * @param onClose called once when the server closes
     */
    public static RestServer start(
            SimulatedCloud cloud, InetSocketAddress bind, URI publicBaseUrl, Consumer<RestServer> onClose) {
        // The handler needs the base URL, which for port 0 is known only after binding, so the
        // handler reads it from this holder, filled before the server is returned.
        BaseUrlHolder baseUrl = new BaseUrlHolder();
        // The SQLite store is the only blocking store and the only one with a key on disk.
        PageTokens tokens = new PageTokens(cloud.pageTokenKey(), cloud.storeBlocks());
        // Undertow's start loads the same provider, so loading it here first keeps it free of MBeans.
        XnioLoader.load();

        Undertow undertow = Undertow.builder()
                .addHttpListener(bind.getPort(), bind.getHostString())
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, UNDERTOW_MAX_ENTITY_BYTES)
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .setServerOption(UndertowOptions.MAX_PARAMETERS, UNDERTOW_MAX_PARAMETERS)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, REQUEST_PARSE_TIMEOUT_MILLIS)
                // curl sends "Expect: 100-continue" for bodies over 1 KiB and waits a second for
                // the interim response unless the server sends it when the body is read.
                .setHandler(Handlers.httpContinueRead(exchange -> baseUrl.handler.handleRequest(exchange)))
                .build();
        undertow.start();

        InetSocketAddress bound = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        URI base = publicBaseUrl != null
                ? publicBaseUrl
                : URI.create("http://" + hostForUrl(bound) + ":" + bound.getPort());

        PublicUrls urls = new PublicUrls(base.toString());
        JsonViews views = new JsonViews(urls);
        ListPages pages = new ListPages(urls, tokens);
        baseUrl.handler = new RestHandler(cloud, new ItemEndpoints(cloud, views, pages), new DeviceEndpoints(cloud, views, pages));

        LOG.info("REST API listening on {}:{}, resource URLs start with {}",
                bound.getHostString(), bound.getPort(), urls.base());
        return new RestServer(undertow, bound.getPort(), URI.create(urls.base()), onClose);
    }

    /**
     * Loads XNIO's provider, which Undertow uses at {@link #start}, without the platform MBean
     * server (see {@link XnioLoader}), and formats one HTTP date. Calling this on another thread
     * while the store opens overlaps the two. Repeated calls do little.
     *
     * <p>Undertow writes a Date header on every response with a {@code SimpleDateFormat} whose
     * time zone name loads the JDK's CLDR time zone data. Without the formatting here, the I/O
     * thread did that for the first response: about 0.1 s in a class-load log of a start on a
     * loaded 2-core machine (OpenJDK 17.0.15). The data stays cached once loaded.
     */
    public static void preload() {
        XnioLoader.load();
        DateUtils.toDateString(new Date());
    }

    /** Returns the port the server listens on, useful when it was started on port 0. */
    public int port() {
        return port;
    }

    /** Returns the base of the resource URLs, such as {@code http://127.0.0.1:8080}. */
    public URI baseUri() {
        return baseUri;
    }

    /** Stops the server; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        undertow.stop();
        onClose.accept(this);
        LOG.info("REST API on port {} stopped", port);
    }

    /**
     * Returns the host part of the derived base URL. A wildcard bind (0.0.0.0 or ::) is no
     * address a client can call, so the loopback address of the same family is used instead.
     * NOTE: the wildcard branch has no test, because tests listen on loopback only.
     */
    private static String hostForUrl(InetSocketAddress address) {
        InetAddress bound = address.getAddress();
        if (bound == null) {
            return address.getHostString();
        }
        if (bound.isAnyLocalAddress()) {
            return bound instanceof Inet6Address ? "[::1]" : "127.0.0.1";
        }
        String host = bound.getHostAddress();
        return bound instanceof Inet6Address ? "[" + host + "]" : host;
    }

    /** Holds the request handler until the bound address is known. */
    private static final class BaseUrlHolder {
        volatile io.undertow.server.HttpHandler handler = exchange -> exchange.setStatusCode(503).endExchange();
    }
}
