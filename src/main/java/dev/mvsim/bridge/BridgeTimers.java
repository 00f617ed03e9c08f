package dev.mvsim.bridge;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread of a bridge server. It wakes wall-clock devices when their kernel's next
 * event falls due and ends the sleeps they request, by handing a task to the device's selector
 * thread. It never runs a kernel itself, so a thousand sleeping devices cost one thread.
 */
final class BridgeTimers implements AutoCloseable {

    private final ScheduledThreadPoolExecutor executor;

    BridgeTimers() {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "mvsim-bridge-timers");
            thread.setDaemon(true);
            return thread;
        });
        // Connections cancel and reschedule their wake-up often; cancelled tasks must not pile up.
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code task} on {@code loop}'s thread after {@code micros} microseconds. */
    ScheduledFuture<?> schedule(SelectorLoop loop, long micros, Runnable task) {
        return executor.schedule(() -> loop.execute(task), micros, TimeUnit.MICROSECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
