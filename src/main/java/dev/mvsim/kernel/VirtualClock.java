package dev.mvsim.kernel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A clock that moves only when a test moves it. Several kernels may share one; each delivers its
 * own due events on its next call.
 */
public final class VirtualClock implements Clock {

    private final AtomicLong now = new AtomicLong();
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

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

    /**
     * Moves the clock to {@code micros}; a time in the past leaves it where it is. Listeners run
     * on this thread after the clock moved, and only if it moved.
     */
    @Override
    public void advanceTo(long micros) {
        long before = now.getAndAccumulate(micros, Math::max);
        if (micros > before) {
            for (LongConsumer listener : listeners) {
                listener.accept(micros);
            }
        }
    }

    /**
     * Registers a listener that receives the new time whenever the clock moves, so that a device
     * session can send the new time to libmvhost's clock cache.
     */
    public void addListener(LongConsumer listener) {
        listeners.add(listener);
    }

    public void removeListener(LongConsumer listener) {
        listeners.remove(listener);
    }

    @Override
    public String toString() {
        return "VirtualClock[" + now.get() + " µs]";
    }
}
