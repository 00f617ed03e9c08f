package dev.mvsim.kernel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when a test moves it. Several kernels may share one; each delivers its
 * own due events on its next call.
 */
public final class VirtualClock implements Clock {

    private final AtomicLong now = new AtomicLong();

    public VirtualClock() {
    }

    public VirtualClock(long startMicros) {
        if (startMicros < 0) {
            throw new IllegalArgumentException("start time must not be negative, got " + startMicros + " µs");
        }
        now.set(startMicros);
    }

    @Override
    public long nowMicros() {
        return now.get();
    }

    /** Moves the clock to {@code micros}; a time in the past leaves it where it is. */
    @Override
    public void advanceTo(long micros) {
        now.accumulateAndGet(micros, Math::max);
    }

    @Override
    public String toString() {
        return "VirtualClock[" + now.get() + " µs]";
    }
}
