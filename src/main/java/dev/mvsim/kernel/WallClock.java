package dev.mvsim.kernel;

import java.util.concurrent.TimeUnit;

/** Real elapsed time since the clock was created, plus any start time, for {@code mvsim serve}. */
public final class WallClock implements Clock {

    private final long startNanos;

    public WallClock() {
        this(0);
    }

    /** Starts at {@code startMicros}, for a device that had been running before this clock was made. */
    public WallClock(long startMicros) {
        if (startMicros < 0) {
            throw new IllegalArgumentException("start time must not be negative, got " + startMicros + " µs");
        }
        this.startNanos = System.nanoTime() - startMicros * 1_000;
    }

    @Override
    public long nowMicros() {
        return (System.nanoTime() - startNanos) / 1_000;
    }

    @Override
    public void advanceTo(long micros) throws InterruptedException {
        long remaining = micros - nowMicros();
        if (remaining > 0) {
            TimeUnit.MICROSECONDS.sleep(remaining);
        }
    }
}
