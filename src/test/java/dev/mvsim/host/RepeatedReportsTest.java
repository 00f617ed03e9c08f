package dev.mvsim.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which REPORTs count as repeats after a reconnect. */
class RepeatedReportsTest {

    private final RepeatedReports repeats = new RepeatedReports();

    @Test
    void nothingRepeatsWithoutReconnect() {
        assertThat(repeats.isRepeat(5)).isFalse();
        assertThat(repeats.isRepeat(3)).as("an older number, with no reconnect in between").isFalse();
    }

    @Test
    void repeatsEndAtNewerReport() {
        repeats.isRepeat(7);
        repeats.isRepeat(8);
        repeats.expectRepeats();

        assertThat(repeats.isRepeat(7)).isTrue();
        assertThat(repeats.isRepeat(8)).isTrue();
        assertThat(repeats.isRepeat(9)).isFalse();
        assertThat(repeats.isRepeat(8)).as("the repeats ended with 9").isFalse();
        assertThat(repeats.skipped()).isEqualTo(2);
    }

    @Test
    void sequenceWrapAroundIsNewer() {
        repeats.isRepeat(0xFFFF_FFFE);
        repeats.expectRepeats();

        assertThat(repeats.isRepeat(0xFFFF_FFFE)).isTrue();
        assertThat(repeats.isRepeat(1)).as("2^32 + 1 comes after 2^32 - 2").isFalse();
    }

    @Test
    void reconnectBeforeAnyReportSkipsNothing() {
        repeats.expectRepeats();

        assertThat(repeats.isRepeat(1)).isFalse();
    }
}
