package dev.mvsim.jna;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.mvsim.host.DeviceSession;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.wire.FrameKind;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects libmvhost's in-process transport to a {@link DeviceKernel}: every {@code mv*} call the
 * firmware makes in this process becomes a frame that a {@link DeviceSession} processes.
 *
 * <p>libmvhost keeps one transport per process, so only one host can be open at a time; open the
 * next one after closing the last. The exchange callback stays strongly reachable through this
 * object until {@link #close}, which removes it from libmvhost first. Native threads that call it
 * (the app's own threads, libmvhost's interrupt thread) are attached to the JVM once, as daemon
 * threads, and stay attached, because attaching on every call costs far more than the call.
 *
 * <p>Notifications that the kernel raises outside a syscall, for example when a test moves the
 * clock from Java, are written into the app's rings by a dedicated delivery thread through
 * {@code mvhost_deliver_frames}. That thread holds no Java lock while it waits for libmvhost's
 * transport lock, so a syscall in progress on another thread cannot deadlock with it. A CLOCK
 * state is written at once on the thread that moved the clock instead, so that a firmware
 * function the test calls next reads the new time from libmvhost's cache. That thread holds no
 * kernel lock while its clock listener runs.
 */
public final class InProcessHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InProcessHost.class);
    private static final AtomicReference<InProcessHost> OPEN = new AtomicReference<>();
    /** How long {@link #close} waits for notifications already queued for delivery. */
    private static final long DELIVERY_DRAIN_SECONDS = 5;

    private final DeviceSession session;
    private final NativeExchange exchange;
    private final ExecutorService delivery;

    private InProcessHost(DeviceKernel kernel, InterruptMode mode) {
        this.session = new DeviceSession(kernel);
        this.exchange = new NativeExchange(session);
        this.delivery = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mvhost-delivery-" + kernel.deviceSid());
            thread.setDaemon(true);
            return thread;
        });
        Native.setCallbackThreadInitializer(exchange,
                new CallbackThreadInitializer(true, false, "mvhost-native-caller"));
        session.setNotificationSink(this::push);
        session.setReportFlusher(this::flush);

        LibMvHost.mvhost_reset();
        check("mvhost_set_inprocess_transport", LibMvHost.mvhost_set_inprocess_transport(exchange, Pointer.NULL));
        check("mvhost_set_interrupt_mode", LibMvHost.mvhost_set_interrupt_mode(mode.code()));
    }

    /** The thread on which libmvhost runs pending interrupt handlers. */
    public enum InterruptMode {
        /** In the calling thread: at every syscall exit, in {@code HAL_Delay} and in {@code mvhost_poll}. */
        SYNCHRONOUS(LibMvHost.MVHOST_INTERRUPTS_SYNCHRONOUS),
        /** On libmvhost's dedicated interrupt thread, as soon as an enabled IRQ is pended. */
        INTERRUPT_THREAD(LibMvHost.MVHOST_INTERRUPTS_THREAD);

        private final int code;

        InterruptMode(int code) {
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    /**
     * Resets libmvhost and routes its syscalls to {@code kernel}.
     *
     * @throws IllegalStateException when another host is still open in this process
     */
    public static InProcessHost open(DeviceKernel kernel, InterruptMode mode) {
        InProcessHost current = OPEN.get();
        if (current != null) {
            throw new IllegalStateException("libmvhost is already connected to device " + current.kernel().deviceSid()
                    + "; close that InProcessHost before opening another");
        }
        InProcessHost host = new InProcessHost(kernel, mode);
        if (!OPEN.compareAndSet(null, host)) {
            host.release();
            throw new IllegalStateException("another InProcessHost opened at the same time; open one at a time");
        }
        log.debug("libmvhost connected to device {} with {} interrupts", kernel.deviceSid(), mode);
        return host;
    }

    /**
     * Returns the kernel, after sending libmvhost the calls it answered itself and has not yet
     * reported, so the kernel a test inspects has seen every call the app made. Do not call it
     * from inside the exchange (a notification listener, say), where nothing is flushed.
     */
    public DeviceKernel kernel() {
        flush();
        return session.kernel();
    }

    /** Sends libmvhost's queued REPORT frames to the kernel now; a failure is logged. */
    public void flush() {
        int result = LibMvHost.mvhost_flush();
        if (result != 0) {
            log.warn("mvhost_flush failed with code {} for device {}; the kernel misses the calls it held",
                    result, session.kernel().deviceSid());
        }
    }

    /** Returns how many calls libmvhost answered differently from the kernel; {@link #close} fails on any. */
    public long divergences() {
        return session.divergences();
    }

    public DeviceSession session() {
        return session;
    }

    /** Returns libmvhost's counters since this host opened. */
    public LibMvHost.mvhost_stats stats() {
        LibMvHost.mvhost_stats stats = new LibMvHost.mvhost_stats();
        LibMvHost.mvhost_get_stats(stats);
        return stats;
    }

    /** Returns how many exchanges the callback failed, such as a reply too large for libmvhost's buffer. */
    public long failedExchanges() {
        return exchange.failures();
    }

    /**
     * Disconnects libmvhost, stops the interrupt thread and the delivery thread, and stops
     * listening to the kernel. Syscalls made after this return UNAVAILABLE.
     *
     * @throws AssertionError when libmvhost answered any call differently from the kernel, so the
     *                        test that used this host fails and names the calls
     */
    @Override
    public void close() {
        if (!OPEN.compareAndSet(this, null)) {
            return;
        }
        // Clearing the transport sends the queued REPORT frames first, so they are checked too.
        release();
        log.debug("libmvhost disconnected from device {}", session.kernel().deviceSid());
        long divergences = session.divergences();
        if (divergences > 0) {
            throw new AssertionError("libmvhost answered " + divergences + " call(s) differently from the kernel"
                    + " of device " + session.kernel().deviceSid() + ": " + String.join("; ",
                    session.divergenceDescriptions()));
        }
    }

    private void release() {
        LibMvHost.mvhost_set_interrupt_mode(LibMvHost.MVHOST_INTERRUPTS_SYNCHRONOUS);
        LibMvHost.mvhost_clear_transport();
        session.close();
        delivery.shutdown();
        try {
            if (!delivery.awaitTermination(DELIVERY_DRAIN_SECONDS, TimeUnit.SECONDS)) {
                log.warn("notification delivery for device {} did not finish within {} s; dropping the rest",
                        kernel().deviceSid(), DELIVERY_DRAIN_SECONDS);
                delivery.shutdownNow();
            }
        } catch (InterruptedException e) {
            delivery.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void push(byte[] frame) {
        if (frame.length > 3 && frame[3] == FrameKind.STATE.code()) {
            deliver(frame);
        } else {
            delivery.execute(() -> deliver(frame));
        }
    }

    private void deliver(byte[] frame) {
        int result = LibMvHost.mvhost_deliver_frames(frame, frame.length);
        if (result < 0) {
            log.warn("mvhost_deliver_frames rejected a {}-byte notification frame for device {} with code {}",
                    frame.length, kernel().deviceSid(), result);
        }
    }

    private static void check(String function, int result) {
        if (result != 0) {
            throw new IllegalStateException(function + " failed with code " + result
                    + " (see the MVHOST_E* codes in mvhost.h)");
        }
    }
}
