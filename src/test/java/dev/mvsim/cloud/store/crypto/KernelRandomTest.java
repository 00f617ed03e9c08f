package dev.mvsim.cloud.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KernelRandomTest {

    @Test
    void fillsWholeArray() {
        SecureRandom random = KernelRandom.create();
        byte[] bytes = new byte[4096];

        random.nextBytes(bytes);

        // A run of 64 zero bytes from a working source has probability 2^-512.
        int longestZeroRun = 0;
        int run = 0;
        for (byte b : bytes) {
            run = b == 0 ? run + 1 : 0;
            longestZeroRun = Math.max(longestZeroRun, run);
        }
        assertThat(longestZeroRun).isLessThan(64);
    }

    @Test
    void drawsDistinctValues() {
        SecureRandom random = KernelRandom.create();
        Set<Long> values = new HashSet<>();

        for (int i = 0; i < 1000; i++) {
            values.add(random.nextLong());
        }

        assertThat(values).hasSize(1000);
    }

    @Test
    void readsKernelWithoutProviders() {
        SecureRandom random = KernelRandom.create();

        assertThat(random.getProvider()).isNull();
        assertThat(random.getAlgorithm()).contains("/dev/urandom");
        assertThat(random.generateSeed(16)).hasSize(16);
    }
}
