package dev.mvsim.cloud.store.sqlite;

import java.time.Instant;

/** Converts instants to and from the INTEGER columns, which hold nanoseconds since the epoch. */
final class Timestamps {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Timestamps() {}

    /**
     * Returns {@code instant} in nanoseconds since 1970-01-01T00:00Z.
     *
     * @throws ArithmeticException outside the years 1677 to 2262, which a long cannot hold
     */
    static long toColumn(Instant instant) {
        return Math.addExact(
                Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
    }

    static Instant fromColumn(long nanos) {
        return Instant.ofEpochSecond(
                Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }
}
