package dev.mvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvsim.link.DownWindow;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.LatencyModel;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** Parsing of serve's link timing options and the messages that reject bad values. */
class LinkOptionsTest {

    @TempDir
    Path dataDirectory;

    private static ServeCommand parse(String... serveArguments) {
        CliEnvironment environment = new CliEnvironment(Map.of(), new ByteArrayInputStream(new byte[0]), null,
                new InProcessLifecycle());
        ServeCommand command = new ServeCommand(environment);
        new CommandLine(command).parseArgs(serveArguments);
        return command;
    }

    @Test
    void durationsInEachUnit() {
        assertThat(DurationText.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(DurationText.parse("250µs")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(DurationText.parse("200ms")).isEqualTo(Duration.ofMillis(200));
        assertThat(DurationText.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("2min")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationText.parse("0.001ms")).isEqualTo(Duration.ofNanos(1_000));
        assertThat(DurationText.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(DurationText.parse("0s")).isEqualTo(Duration.ZERO);
    }

    @Test
    void durationFormatPicksExactUnit() {
        assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DurationText.format(Duration.ofSeconds(120))).isEqualTo("2min");
        assertThat(DurationText.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(DurationText.format(Duration.ofNanos(250_000))).isEqualTo("250us");
    }

    @Test
    void badDurationsNameTheProblem() {
        Map<String, String> problems = Map.of(
                "", "the duration is empty",
                "-5s", "'-5s' is negative",
                "fast", "'fast' is not a number followed by a unit",
                "1,5s", "'1,5s' is not a number followed by a unit",
                "200", "'200' has no unit",
                "5x", "'5x' has the unknown unit 'x'",
                "5S", "'5S' is not a number followed by a unit",
                "0.5us", "'0.5us' is finer than 1 us",
                "2000000000s", "'2000000000s' is longer than the maximum of 1000000000s");
        DurationOption converter = new DurationOption();

        problems.forEach((value, problem) -> assertThatThrownBy(() -> converter.convert(value))
                .as(value)
                .isInstanceOf(TypeConversionException.class)
                .hasMessageStartingWith("invalid duration: " + problem)
                .hasMessageEndingWith("Expected a number and a unit (us, ms, s or min), such as 200ms, 1.5s or 250us"));
    }

    @Test
    void latencyFixedOrRange() {
        LatencyOption converter = new LatencyOption();

        assertThat(converter.convert("75ms")).isEqualTo(new LatencyModel.Fixed(Duration.ofMillis(75)));
        assertThat(converter.convert("20ms..200ms"))
                .isEqualTo(new LatencyModel.Uniform(Duration.ofMillis(20), Duration.ofMillis(200)));
        assertThat(LatencyOption.format(converter.convert("20ms..1s"))).isEqualTo("20ms..1s");
    }

    @Test
    void badLatenciesNameThePart() {
        LatencyOption converter = new LatencyOption();
        String expected = "Expected a duration such as 50ms, or a range MIN..MAX such as 20ms..200ms";

        assertThatThrownBy(() -> converter.convert("50"))
                .hasMessageStartingWith("invalid latency: '50' has no unit.")
                .hasMessageContaining(expected);
        assertThatThrownBy(() -> converter.convert("20ms..")).hasMessageStartingWith(
                "invalid maximum latency: the duration is empty.").hasMessageContaining(expected);
        assertThatThrownBy(() -> converter.convert("x..2s")).hasMessageStartingWith(
                "invalid minimum latency: 'x' is not a number followed by a unit.").hasMessageContaining(expected);
        assertThatThrownBy(() -> converter.convert("200ms..20ms")).hasMessageStartingWith(
                "invalid latency range '200ms..20ms': the minimum 200ms is greater than the maximum 20ms.")
                .hasMessageContaining(expected);
    }

    @Test
    void linkDownWindowStartAndLength() {
        LinkDownOption converter = new LinkDownOption();

        DownWindow window = converter.convert("5s+2s");

        assertThat(window.from()).isEqualTo(Duration.ofSeconds(5));
        assertThat(window.until()).isEqualTo(Duration.ofSeconds(7));
        assertThat(LinkDownOption.format(window)).isEqualTo("5s+2s");
        assertThat(converter.convert("1500ms+0").until()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void badLinkDownWindowsNameThePart() {
        LinkDownOption converter = new LinkDownOption();
        String expected = "Expected START+LENGTH, two numbers with a unit (us, ms, s or min), such as 5s+2s for "
                + "down at 5 s of device time for 2 s";

        assertThatThrownBy(() -> converter.convert("5s")).hasMessage(
                "invalid down window '5s': it has no '+' between the start and the length. " + expected);
        assertThatThrownBy(() -> converter.convert("5s-2s")).hasMessage(
                "invalid down window '5s-2s': it has no '+' between the start and the length. " + expected);
        assertThatThrownBy(() -> converter.convert("5+2s")).hasMessage(
                "invalid start of the down window '5+2s': '5' has no unit. " + expected);
        assertThatThrownBy(() -> converter.convert("5s+")).hasMessage(
                "invalid length of the down window '5s+': the duration is empty. " + expected);
        assertThatThrownBy(() -> converter.convert("5s+2s+1s")).hasMessage(
                "invalid length of the down window '5s+2s+1s': '2s+1s' is not a number followed by a unit. "
                        + expected);
    }

    @Test
    void serveOptionsBuildFaultPlan() {
        ServeCommand command = parse("--bridge-port", "0", "--bridge-connect-delay", "1.5s",
                "--bridge-latency", "10ms..30ms", "--bridge-link-down", "5s+2s", "--bridge-link-down", "20s+0s");

        FaultPlan plan = command.linkTiming().faultPlan();

        assertThat(plan.connectDelay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(plan.latency()).isEqualTo(new LatencyModel.Uniform(Duration.ofMillis(10), Duration.ofMillis(30)));
        assertThat(plan.downWindows()).containsExactly(
                new DownWindow(Duration.ofSeconds(5), Duration.ofSeconds(7)),
                new DownWindow(Duration.ofSeconds(20), Duration.ofSeconds(20)));
        assertThat(LinkTiming.describe(plan))
                .isEqualTo("connect delay 1500ms, fetch latency 10ms..30ms, link down 5s+2s, 20s+0s");
    }

    @Test
    void serveWithoutLinkOptionsKeepsDefaults() {
        FaultPlan plan = parse("--bridge-port", "0").linkTiming().faultPlan();

        assertThat(plan.connectDelay()).isEqualTo(FaultPlan.DEFAULT_CONNECT_DELAY);
        assertThat(plan.latency()).isEqualTo(new LatencyModel.Fixed(FaultPlan.DEFAULT_LATENCY));
        assertThat(plan.downWindows()).isEmpty();
        assertThat(LinkTiming.describe(plan)).isEqualTo("connect delay 200ms, fetch latency 50ms, link down never");
    }

    @Test
    void serveRejectsBadValueOnOneLine() throws Exception {
        for (List<String> option : List.of(List.of("--bridge-connect-delay", "200"),
                List.of("--bridge-latency", "fast"), List.of("--bridge-link-down", "5s"))) {
            RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                    "--data-dir", dataDirectory.toString(), "--bridge-port", "0", option.get(0), option.get(1));
            CliRun run = serve.stop();

            assertThat(serve.listening()).as(option.toString()).isFalse();
            assertThat(run.exitCode()).as(option.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(run.errLines()).as(option.toString()).hasSize(1);
            assertThat(run.err()).as(option.toString())
                    .startsWith("mvsim serve: Invalid value for option '" + option.get(0) + "'")
                    .contains("'" + option.get(1) + "'")
                    .contains("such as");
        }
    }

    @Test
    void serveRejectsLinkOptionsWithoutBridge() throws Exception {
        RunningServe serve = RunningServe.start(Map.of(), "--port", "0", "--in-memory",
                "--data-dir", dataDirectory.toString(), "--bridge-link-down", "5s+2s");
        CliRun run = serve.stop();

        assertThat(serve.listening()).isFalse();
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("no bridge was requested", "--bridge-port, --bridge-unix or --bridge-serial");
    }
}
