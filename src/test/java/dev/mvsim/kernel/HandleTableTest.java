package dev.mvsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HandleTableTest {

    @Test
    void openAndCloseNeverRepeatsHandle() {
        HandleTable table = new HandleTable(new SplittableRandom(7));
        int rounds = 200_000;
        long[] issued = new long[rounds];

        for (int i = 0; i < rounds; i++) {
            long handle = table.newHandle();
            table.bind(handle, new Object());
            table.remove(handle);
            issued[i] = handle;
        }

        Arrays.sort(issued);
        int repeats = 0;
        for (int i = 1; i < rounds; i++) {
            repeats += issued[i] == issued[i - 1] ? 1 : 0;
        }
        assertThat(repeats).as("handles issued twice").isZero();
        assertThat(issued[0]).isPositive();
        assertThat(issued[rounds - 1]).isLessThanOrEqualTo(0xFFFF_FFFFL);
        assertThat(table.liveCount()).isZero();
    }

    @Test
    void closedHandleIsInvalid() {
        HandleTable table = new HandleTable(new SplittableRandom(1));
        long handle = table.newHandle();
        table.bind(handle, "centre");

        table.remove(handle);

        assertThat(table.get(handle, String.class)).isNull();
    }

    @Test
    void sameSeedGivesSameHandles() {
        HandleTable first = new HandleTable(new SplittableRandom(42));
        HandleTable second = new HandleTable(new SplittableRandom(42));

        for (int i = 0; i < 100; i++) {
            assertThat(second.newHandle()).isEqualTo(first.newHandle());
        }
    }

    @Test
    void fullCycleIssuesEveryNonZeroValueOnce() {
        HandleTable table = new HandleTable(new SplittableRandom(3), 8);
        Set<Long> issued = new HashSet<>();

        for (int i = 0; i < 255; i++) {
            long handle = table.newHandle();
            assertThat(handle).isBetween(1L, 255L);
            assertThat(issued.add(handle)).as("handle %d issued twice in one cycle", handle).isTrue();
        }
    }

    @Test
    void wrapSkipsLiveHandles() {
        HandleTable table = new HandleTable(new SplittableRandom(5), 8);
        Set<Long> live = new HashSet<>();
        for (int i = 0; i < 255; i++) {
            long handle = table.newHandle();
            if (i % 2 == 0) {
                table.bind(handle, "kept");
                live.add(handle);
            }
        }

        for (int i = 0; i < 127; i++) {
            long handle = table.newHandle();
            assertThat(live).as("live handle issued again after the wrap").doesNotContain(handle);
        }
    }

    @Test
    void everyValueLiveIsRejected() {
        HandleTable table = new HandleTable(new SplittableRandom(9), 4);
        for (int i = 0; i < 15; i++) {
            table.bind(table.newHandle(), "kept");
        }

        assertThatThrownBy(table::newHandle)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("all 15 handle values are live");
    }
}
