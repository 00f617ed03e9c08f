package dev.mvsim.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultPlanFilesTest {

    @Test
    void parsesEveryMember() {
        FaultPlan plan = FaultPlanFiles.parse("""
                {
                  "description": "all of it",
                  "latencyMs": {"min": 10, "max": 20.5},
                  "connectDelayMs": 1500,
                  "dropsAtMs": [2000],
                  "downWindowsMs": [{"from": 6000, "until": 8000}],
                  "serverErrorKeys": ["password"],
                  "responseTooLarge": [2, 4]
                }
                """);

        assertThat(plan.latency()).isEqualTo(new LatencyModel.Uniform(Duration.ofMillis(10), Durations.ofMicros(20_500)));
        assertThat(plan.connectDelay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(plan.downWindows()).containsExactly(
                new DownWindow(Duration.ofSeconds(2), Duration.ofSeconds(2)),
                new DownWindow(Duration.ofSeconds(6), Duration.ofSeconds(8)));
        assertThat(plan.serverErrorKeys()).containsExactly("password");
        assertThat(plan.forcesResponseTooLarge(1)).isFalse();
        assertThat(plan.forcesResponseTooLarge(2)).isTrue();
        assertThat(plan.forcesResponseTooLarge(4)).isTrue();
    }

    @Test
    void emptyObjectIsDefaultPlan() {
        FaultPlan plan = FaultPlanFiles.parse("{}");

        assertThat(plan.latency()).isEqualTo(new LatencyModel.Fixed(FaultPlan.DEFAULT_LATENCY));
        assertThat(plan.downWindows()).isEmpty();
        assertThat(plan.forcesResponseTooLarge(1)).isFalse();
    }

    @Test
    void responseTooLargeAll() {
        assertThat(FaultPlanFiles.parse("{\"responseTooLarge\": \"all\"}").forcesResponseTooLarge(7)).isTrue();
    }

    @Test
    void rejectsUnknownMember() {
        assertThatThrownBy(() -> FaultPlanFiles.parse("{\"latency\": 5}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown member \"latency\"");
    }

    @Test
    void rejectsBadValues() {
        assertThatThrownBy(() -> FaultPlanFiles.parse("{\"latencyMs\": -1}"))
                .hasMessage("latencyMs must be a non-negative number of milliseconds, got -1");
        assertThatThrownBy(() -> FaultPlanFiles.parse("{\"downWindowsMs\": [{\"from\": 5}]}"))
                .hasMessageContaining("needs \"from\" and \"until\"");
        assertThatThrownBy(() -> FaultPlanFiles.parse("{\"downWindowsMs\": [{\"from\": 5, \"until\": 1}]}"))
                .hasMessageContaining("0 <= from <= until");
        assertThatThrownBy(() -> FaultPlanFiles.parse("{\"responseTooLarge\": [0]}"))
                .hasMessageContaining("ordinals must be integers from 1");
        assertThatThrownBy(() -> FaultPlanFiles.parse("[1]")).hasMessage("the top level must be a JSON object");
        assertThatThrownBy(() -> FaultPlanFiles.parse("{")).hasMessageStartingWith("not valid JSON");
    }

    @Test
    void readNamesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"dropsAtMs\": 5}");

        assertThatThrownBy(() -> FaultPlanFiles.read(file))
                .hasMessage("invalid fault plan file " + file + ": dropsAtMs must be an array, got 5");
    }

    @Test
    void shippedScenariosParse() throws Exception {
        Path scenarios = Path.of("simulator", "scenarios");
        try (Stream<Path> files = Files.list(scenarios)) {
            assertThat(files.filter(file -> file.toString().endsWith(".json")))
                    .hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(file -> assertThat(FaultPlanFiles.read(file)).isNotNull());
        }
    }

    @Test
    void uniformLatencyRepeatsBySeed() {
        LatencyModel model = new LatencyModel.Uniform(Duration.ofMillis(10), Duration.ofMillis(20));
        SplittableRandom first = new SplittableRandom(7);
        SplittableRandom second = new SplittableRandom(7);

        for (int i = 0; i < 1000; i++) {
            long sample = model.sampleMicros(first);
            assertThat(sample).isBetween(10_000L, 20_000L);
            assertThat(model.sampleMicros(second)).isEqualTo(sample);
        }
    }

    @Test
    void upAgainAtChainsOverlappingWindows() {
        FaultPlan plan = FaultPlan.builder()
                .downBetween(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .downBetween(Duration.ofSeconds(2), Duration.ofSeconds(5))
                .build();

        assertThat(plan.upAgainAt(1_500_000)).isEqualTo(5_000_000);
        assertThat(plan.upAgainAt(500_000)).isEqualTo(500_000);
        assertThat(plan.isDownAt(4_999_999)).isTrue();
        assertThat(plan.isDownAt(5_000_000)).isFalse();
    }
}
