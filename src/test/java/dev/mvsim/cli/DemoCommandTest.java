package dev.mvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class DemoCommandTest {

    /** The demo's secret is 20 random bytes as 40 hex digits; no run of 40 hex digits may be printed. */
    private static final Pattern SECRET_SHAPE = Pattern.compile("(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])");

    @Test
    void demoSucceedsAndHidesSecret() {
        CliRun run = CliRun.run(Map.of(), "", "demo");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("The firmware received what the cloud stores.");
        assertThat(run.out()).contains("firmware: OK, 40 bytes, SHA-256");
        assertThat(run.out()).contains("firmware: OK, value " + DemoCommand.CONFIG_VALUE);
        assertThat(run.out()).contains("firmware: KEYNOTFOUND");
        assertThat(run.out()).contains("REST API: not found (HTTP 404)");
        assertThat(run.out()).doesNotContain("MISMATCH");
        assertThat(SECRET_SHAPE.matcher(run.out()).find()).as("a 40-hex-digit value in the output").isFalse();
    }

    @Test
    void demoSucceedsWithInterruptThread() {
        CliRun run = CliRun.run(Map.of(), "", "demo", "--interrupt-thread");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("The firmware received what the cloud stores.");
    }
}
