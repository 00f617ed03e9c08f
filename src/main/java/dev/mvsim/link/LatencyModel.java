package dev.mvsim.link;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** How long the link takes to carry a config fetch to the cloud and its response back. */
public sealed interface LatencyModel {

    /** Draws one round-trip latency in microseconds from the caller's seeded generator. */
    long sampleMicros(RandomGenerator random);

    /** The same latency for every fetch. */
    record Fixed(Duration latency) implements LatencyModel {
        public Fixed {
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative, got " + latency);
            }
        }

        @Override
        public long sampleMicros(RandomGenerator random) {
            return Durations.toMicros(latency);
        }
    }

    /** A latency drawn uniformly from {@code [min, max]}, both inclusive, in whole microseconds. */
    record Uniform(Duration min, Duration max) implements LatencyModel {
        public Uniform {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.isNegative() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException(
                        "latency range must satisfy 0 <= min <= max, got min " + min + " and max " + max);
            }
        }

        @Override
        public long sampleMicros(RandomGenerator random) {
            long low = Durations.toMicros(min);
            long high = Durations.toMicros(max);
            return low == high ? low : random.nextLong(low, high + 1);
        }
    }
}
