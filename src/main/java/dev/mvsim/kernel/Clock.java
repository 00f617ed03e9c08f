package dev.mvsim.kernel;

/**
 * The microsecond clock a kernel runs on: {@code mvGetMicroseconds}, notification timestamps and
 * every scheduled event. It starts near 0 at the device's boot and never goes backwards.
 */
public interface Clock {

    long nowMicros();

    /**
     * Moves time forward to at least {@code micros}. A virtual clock jumps there at once; the wall
     * clock sleeps until then.
     */
    void advanceTo(long micros) throws InterruptedException;
}
