package dev.mvsim.jna;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.util.Map;

/**
 * Direct-mapped bindings to the control API of libmvhost ({@code mvhost.h}), with the names and
 * argument order of the C declarations, plus {@code mvGetMicroseconds} for benchmarks.
 *
 * <p>libmvhost is loaded once per JVM from JNA's resource path ({@code linux-x86-64/libmvhost.so}
 * in the jar, or in {@code target/classes} during a build), or from {@code jna.library.path}. It
 * is opened with {@code RTLD_GLOBAL}, so a firmware library loaded later resolves its
 * {@code mv*} calls to this copy and shares its transport and rings.
 */
public final class LibMvHost {

    /** The library name JNA resolves to {@code libmvhost.so}. */
    public static final String LIBRARY_NAME = "mvhost";

    /** {@code RTLD_GLOBAL} from glibc's dlfcn.h on Linux. */
    private static final int RTLD_GLOBAL = 0x100;
    /** {@code RTLD_LAZY} from glibc's dlfcn.h on Linux. */
    private static final int RTLD_LAZY = 0x001;

    public static final int MVHOST_EINVAL = -1;
    public static final int MVHOST_ENOTRANSPORT = -2;
    public static final int MVHOST_ETRANSPORT = -3;
    public static final int MVHOST_EREJECTED = -4;
    public static final int MVHOST_EMALFORMED = -5;

    /** {@code enum mvhost_interrupt_mode}: pending handlers run in the calling thread. */
    public static final int MVHOST_INTERRUPTS_SYNCHRONOUS = 0;
    /** {@code enum mvhost_interrupt_mode}: pending handlers run on libmvhost's interrupt thread. */
    public static final int MVHOST_INTERRUPTS_THREAD = 1;

    static final NativeLibrary LIBRARY = NativeLibrary.getInstance(LIBRARY_NAME,
            Map.of(com.sun.jna.Library.OPTION_OPEN_FLAGS, RTLD_GLOBAL | RTLD_LAZY));

    static {
        Native.register(LibMvHost.class, LIBRARY);
    }

    private LibMvHost() {
    }

    /** {@code mvhost_exchange_fn}: exchanges one request frame for its reply in process. */
    public interface mvhost_exchange_fn extends Callback {
        int invoke(Pointer context, Pointer request, int request_length, Pointer reply, int reply_capacity);
    }

    /** {@code struct mvhost_stats}: counters since load or the last {@code mvhost_reset}. */
    @Structure.FieldOrder({"syscalls", "control_calls", "notifications_written", "ring_overruns",
            "notifications_rejected", "transport_errors", "calls_without_transport", "exchanges", "local_answers",
            "offline_exchanges"})
    public static class mvhost_stats extends Structure {
        public long syscalls;
        public long control_calls;
        public long notifications_written;
        public long ring_overruns;
        public long notifications_rejected;
        public long transport_errors;
        public long calls_without_transport;
        /** Transport calls that the kernel answered: one per exchanged call, flush or batch of posted frames. */
        public long exchanges;
        /** Calls libmvhost answered itself and posted to the kernel as REPORT frames. */
        public long local_answers;
        /** Bridge transport calls that libmvhost answered while the simulator was unreachable. */
        public long offline_exchanges;
    }

    /** Loads libmvhost and binds these methods; returns at once when that is already done. */
    public static void load() {
        // The static initializer does the work; this method gives callers a name to trigger it.
    }

    public static native int mvhost_set_inprocess_transport(mvhost_exchange_fn exchange, Pointer context);

    public static native void mvhost_clear_transport();

    public static native int mvhost_reply_capacity();

    public static native int mvhost_set_interrupt_mode(int mode);

    public static native int mvhost_get_interrupt_mode();

    public static native int mvhost_poll();

    /** Sends the REPORT frames of locally answered calls that are still queued; returns 0 or an MVHOST_E* code. */
    public static native int mvhost_flush();

    public static native int mvhost_deliver_frames(byte[] frames, int length);

    public static native int mvhost_clock_now_us(long[] now_us);

    public static native int mvhost_clock_sleep_us(long duration_us);

    public static native int mvhost_clock_wait_us(long max_us, long step_us);

    public static native void mvhost_get_stats(mvhost_stats stats);

    public static native void mvhost_reset();

    /** The syscall {@code mvGetMicroseconds(uint64_t *ms)}; returns the {@code MvStatus} value. */
    public static native int mvGetMicroseconds(long[] ms);
}
