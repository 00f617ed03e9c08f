package dev.mvsim.kernel;

import java.util.concurrent.TimeUnit;

/** Real elapsed time since the clock was created, for {@code mvsim serve}. */
public final class WallClock implements Clock {

    private final long startNanos = System.nanoTime();

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
