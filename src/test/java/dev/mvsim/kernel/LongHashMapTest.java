package dev.mvsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongHashMapTest {

    @Test
    void randomOperationsMatchHashMap() {
        LongHashMap<String> map = new LongHashMap<>();
        Map<Long, String> expected = new HashMap<>();
        SplittableRandom random = new SplittableRandom(11);

        // A small key range makes probe runs collide, wrap around the table's end and get removed from the middle.
        for (int step = 0; step < 200_000; step++) {
            long key = 1 + random.nextInt(48);
            int operation = random.nextInt(3);
            if (operation == 0) {
                String value = "v" + step;
                map.put(key, value);
                expected.put(key, value);
            } else if (operation == 1) {
                map.remove(key);
                expected.remove(key);
            }
            assertThat(map.get(key)).as("value of key %d after step %d", key, step).isEqualTo(expected.get(key));
            assertThat(map.size()).as("size after step %d", step).isEqualTo(expected.size());
        }
        for (long key = 1; key <= 48; key++) {
            assertThat(map.get(key)).as("value of key %d at the end", key).isEqualTo(expected.get(key));
        }
    }

    @Test
    void growKeepsEveryEntry() {
        LongHashMap<Long> map = new LongHashMap<>();

        for (long key = 1; key <= 10_000; key++) {
            map.put(key * 0x1_0000L, key);
        }

        assertThat(map.size()).isEqualTo(10_000);
        for (long key = 1; key <= 10_000; key++) {
            assertThat(map.get(key * 0x1_0000L)).isEqualTo(key);
        }
        assertThat(map.get(0x1_0001L)).isNull();
    }

    @Test
    void removeOfAbsentKeyChangesNothing() {
        LongHashMap<String> map = new LongHashMap<>();
        map.put(5, "five");

        map.remove(6);
        map.remove(0);

        assertThat(map.size()).isEqualTo(1);
        assertThat(map.get(5)).isEqualTo("five");
    }

    @Test
    void zeroKeyIsRejected() {
        LongHashMap<String> map = new LongHashMap<>();

        assertThatThrownBy(() -> map.put(0, "zero")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key 0");
        assertThat(map.get(0)).isNull();
        assertThat(map.containsKey(0)).isFalse();
    }
}
