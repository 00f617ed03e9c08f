package dev.mvsim.link;

import java.time.Duration;

/** Conversions between {@link Duration} and the kernel's microsecond clock. */
public final class Durations {

    private Durations() {
    }

    /** Returns the duration in whole microseconds, rounded down. */
    public static long toMicros(Duration duration) {
        return duration.getSeconds() * 1_000_000L + duration.getNano() / 1_000;
    }

    public static Duration ofMicros(long micros) {
        return Duration.ofNanos(Math.multiplyExact(micros, 1_000L));
    }
}
