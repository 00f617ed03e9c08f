package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.mvsim.cloud.MutableClock;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The rate-limited log of failed authentications, on a clock the test moves. */
class AuthFailureLogTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final String SID = "AC" + "0123456789abcdef".repeat(2);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Logger logger = mock(Logger.class);
    private final List<Duration> delays = new ArrayList<>();
    private final List<Runnable> scheduled = new ArrayList<>();
    private final AuthFailureLog failures = new AuthFailureLog(clock, logger, (delay, task) -> {
        delays.add(delay);
        scheduled.add(task);
    });

    @Test
    void failureLogsMethodPathAddressAndSid() {
        failures.failed("GET", "/v1/Secrets", CLIENT, basic(SID, "wrong-token-value"));

        verify(logger).warn(eq("Authentication failed (401) for {} {} from {}: {}"),
                eq("GET"), eq("/v1/Secrets"), eq("127.0.0.1:40000"), eq("account " + SID));
    }

    @Test
    void floodIsCappedPerMinute() {
        for (int i = 0; i < 1000; i++) {
            failures.failed("GET", "/v1/Configs", CLIENT, null);
        }

        verify(logger, times(AuthFailureLog.MAX_LINES_PER_WINDOW)).warn(anyString(), any(), any(), any(), any());
    }

    @Test
    void suppressedCountLoggedInNextMinute() {
        for (int i = 0; i < AuthFailureLog.MAX_LINES_PER_WINDOW + 5; i++) {
            failures.failed("GET", "/v1/Configs", CLIENT, null);
        }
        verify(logger, never()).warn(anyString(), eq(5L));

        clock.advance(AuthFailureLog.WINDOW.plus(Duration.ofSeconds(1)));
        failures.failed("POST", "/v1/Configs", CLIENT, null);

        verify(logger).warn("{} more authentication failures (401) were not logged in the previous minute", 5L);
        verify(logger).warn(anyString(), eq("POST"), eq("/v1/Configs"), eq("127.0.0.1:40000"), eq("no credentials"));
    }

    @Test
    void suppressedCountLoggedWhenMinuteEnds() {
        failures.failed("GET", "/v1/Configs", CLIENT, null);
        clock.advance(Duration.ofSeconds(20));
        for (int i = 0; i < AuthFailureLog.MAX_LINES_PER_WINDOW + 2; i++) {
            failures.failed("GET", "/v1/Configs", CLIENT, basic(SID, "wrong-token-value"));
        }

        assertThat(scheduled).hasSize(1);
        assertThat(delays).containsExactly(Duration.ofSeconds(40));
        verify(logger, never()).warn(anyString(), eq(3L));

        clock.advance(Duration.ofSeconds(40));
        scheduled.get(0).run();

        verify(logger).warn("{} more authentication failures (401) were not logged in the previous minute", 3L);
    }

    @Test
    void summaryAfterNewWindowLogsNothingTwice() {
        for (int i = 0; i < AuthFailureLog.MAX_LINES_PER_WINDOW + 1; i++) {
            failures.failed("GET", "/v1/Configs", CLIENT, null);
        }
        clock.advance(AuthFailureLog.WINDOW.plus(Duration.ofSeconds(1)));
        failures.failed("GET", "/v1/Configs", CLIENT, null);
        scheduled.get(0).run();

        verify(logger, times(1)).warn("{} more authentication failures (401) were not logged in the previous minute", 1L);
    }

    @Test
    void credentialsDescribedWithoutToken() {
        assertThat(AuthFailureLog.describeCredentials(null)).isEqualTo("no credentials");
        assertThat(AuthFailureLog.describeCredentials("Bearer abc")).isEqualTo("an Authorization header that is not HTTP Basic");
        assertThat(AuthFailureLog.describeCredentials("Basic !!!")).isEqualTo("an HTTP Basic header that is not valid base64");
        assertThat(AuthFailureLog.describeCredentials(basic(SID, "tok"))).isEqualTo("account " + SID);
        // A client that swapped the fields sends its token as the user name, which must not be logged.
        assertThat(AuthFailureLog.describeCredentials(basic("f00dfeedf00dfeedf00dfeedf00dfeed", SID)))
                .isEqualTo("a user name that is not an account SID");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
