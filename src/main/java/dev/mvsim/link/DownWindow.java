package dev.mvsim.link;

import java.time.Duration;
import java.util.Objects;

/**
 * A time span, measured from the device's boot on its microsecond clock, in which the device
 * cannot reach the cloud. A connection that is up when the window starts drops; the device
 * reconnects after {@code until} plus the connect delay. A window with {@code from == until} is a
 * single drop followed by an immediate reconnection attempt.
 */
public record DownWindow(Duration from, Duration until) {

    public DownWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (from.isNegative() || until.compareTo(from) < 0) {
            throw new IllegalArgumentException(
                    "down window must satisfy 0 <= from <= until, got from " + from + " and until " + until);
        }
    }

    public long fromMicros() {
        return Durations.toMicros(from);
    }

    public long untilMicros() {
        return Durations.toMicros(until);
    }

    /** Returns true when the link is down at the given time: {@code from <= t < until}. */
    public boolean covers(long micros) {
        return micros >= fromMicros() && micros < untilMicros();
    }
}
