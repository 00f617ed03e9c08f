package dev.mvsim.cloud.rest;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs failed authentications (401), one warning per failure with the method, path, remote
 * address and the account SID given, never the token. At most {@value #MAX_LINES_PER_WINDOW}
 * lines are written per minute, so a client looping on bad credentials cannot fill the log. The
 * failures beyond that are counted, and a task scheduled for the end of the minute logs the count.
 */
final class AuthFailureLog {

    static final int MAX_LINES_PER_WINDOW = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);

    /** Longest path logged; longer ones are cut, since the path comes from the client. */
    private static final int MAX_PATH_CHARS = 200;

    private static final String BASIC_PREFIX = "Basic ";

    private static final ScheduledThreadPoolExecutor SUMMARY_TIMER = createSummaryTimer();

    private final Clock clock;
    private final Logger log;
    private final BiConsumer<Duration, Runnable> scheduler;

    private Instant windowStart = Instant.MIN;
    private int loggedInWindow;
    private long suppressed;

    AuthFailureLog() {
        this(Clock.systemUTC(), LoggerFactory.getLogger(AuthFailureLog.class), AuthFailureLog::runLater);
    }

    /** @param scheduler runs a task once after a delay; tests pass one they run by hand */
    AuthFailureLog(Clock clock, Logger log, BiConsumer<Duration, Runnable> scheduler) {
        this.clock = clock;
        this.log = log;
        this.scheduler = scheduler;
    }

    /** Records one failure. {@code authorization} is the request's header, or null when it sent none. */
    void failed(String method, String path, InetSocketAddress remote, String authorization) {
        Instant now = clock.instant();
        long suppressedBefore = 0;
        boolean logged = true;
        Instant windowToSummarize = null;
        synchronized (this) {
            if (!now.isBefore(windowStart.plus(WINDOW))) {
                // The scheduled summary normally took the count already. This covers a summary
                // that has not run yet.
                suppressedBefore = suppressed;
                suppressed = 0;
                loggedInWindow = 0;
                windowStart = now;
            }
            if (loggedInWindow < MAX_LINES_PER_WINDOW) {
                loggedInWindow++;
            } else {
                logged = false;
                suppressed++;
                if (suppressed == 1) {
                    windowToSummarize = windowStart;
                }
            }
        }

        logSuppressed(suppressedBefore);
        if (windowToSummarize != null) {
            Instant window = windowToSummarize;
            scheduler.accept(Duration.between(now, window.plus(WINDOW)), () -> summarize(window));
        }
        if (logged) {
            String from = remote == null ? "an unknown address" : remote.getHostString() + ":" + remote.getPort();
            log.warn("Authentication failed (401) for {} {} from {}: {}", method, shorten(path), from,
                    describeCredentials(authorization));
        }
    }

    /** Logs the count of failures left out of the window that started at {@code window}, once it ends. */
    private void summarize(Instant window) {
        long count;
        synchronized (this) {
            if (!window.equals(windowStart)) {
                // A later failure started a new window and logged this count itself.
                return;
            }
            count = suppressed;
            suppressed = 0;
        }
        logSuppressed(count);
    }

    private void logSuppressed(long count) {
        if (count > 0) {
            log.warn("{} more authentication failures (401) were not logged in the previous minute", count);
        }
    }

    /**
     * Runs a task once after a delay on a daemon thread. The thread ends when idle, so a server
     * that sees no flood of 401s keeps none.
     */
    private static void runLater(Duration delay, Runnable task) {
        SUMMARY_TIMER.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
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

    private static ScheduledThreadPoolExecutor createSummaryTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "mvsim-auth-failure-summary");
            thread.setDaemon(true);
            return thread;
        });
        timer.setKeepAliveTime(5, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    private static String shorten(String path) {
        return path.length() <= MAX_PATH_CHARS ? path : path.substring(0, MAX_PATH_CHARS) + "...";
    }
}
