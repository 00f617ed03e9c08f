package dev.mvsim.cloud.rest;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs failed authentications (401), one warning per failure with the method, path, remote
 * address and the account SID given, never the token. At most {@value #MAX_LINES_PER_WINDOW}
 * lines are written per minute, so a client looping on bad credentials cannot fill the log. The
 * failures beyond that are counted, and the count is logged with the first failure of a later
 * minute.
 */
final class AuthFailureLog {

    static final int MAX_LINES_PER_WINDOW = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);

    /** Longest path logged; longer ones are cut, since the path comes from the client. */
    private static final int MAX_PATH_CHARS = 200;

    private static final String BASIC_PREFIX = "Basic ";

    private final Clock clock;
    private final Logger log;

    private Instant windowStart = Instant.MIN;
    private int loggedInWindow;
    private long suppressed;

    AuthFailureLog() {
        this(Clock.systemUTC(), LoggerFactory.getLogger(AuthFailureLog.class));
    }

    AuthFailureLog(Clock clock, Logger log) {
        this.clock = clock;
        this.log = log;
    }

    /** Records one failure. {@code authorization} is the request's header, or null when it sent none. */
    void failed(String method, String path, InetSocketAddress remote, String authorization) {
        Instant now = clock.instant();
        long suppressedBefore;
        synchronized (this) {
            suppressedBefore = 0;
            if (!now.isBefore(windowStart.plus(WINDOW))) {
                suppressedBefore = suppressed;
                suppressed = 0;
                loggedInWindow = 0;
                windowStart = now;
            }
            if (loggedInWindow >= MAX_LINES_PER_WINDOW) {
                suppressed++;
                return;
            }
            loggedInWindow++;
        }

        if (suppressedBefore > 0) {
            log.warn("{} more authentication failures (401) were not logged in the previous minute",
                    suppressedBefore);
        }
        String from = remote == null ? "an unknown address" : remote.getHostString() + ":" + remote.getPort();
        log.warn("Authentication failed (401) for {} {} from {}: {}", method, shorten(path), from,
                describeCredentials(authorization));
    }

    /**
     * Describes what the client sent: the account SID when the user name has a SID's shape.
     * Any other user name is not logged, because a client that swapped the fields would have put
     * its token there.
     */
    static String describeCredentials(String authorization) {
        if (authorization == null) {
            return "no credentials";
        }
        if (!authorization.regionMatches(true, 0, BASIC_PREFIX, 0, BASIC_PREFIX.length())) {
            return "an Authorization header that is not HTTP Basic";
        }

        String pair;
        try {
            byte[] decoded = Base64.getDecoder().decode(authorization.substring(BASIC_PREFIX.length()).trim());
            pair = new String(decoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "an HTTP Basic header that is not valid base64";
        }
        int colon = pair.indexOf(':');
        String user = colon < 0 ? pair : pair.substring(0, colon);
        if (user.matches("AC[0-9a-fA-F]{32}")) {
            return "account " + user;
        }
        return "a user name that is not an account SID";
    }

    private static String shorten(String path) {
        return path.length() <= MAX_PATH_CHARS ? path : path.substring(0, MAX_PATH_CHARS) + "...";
    }
}
