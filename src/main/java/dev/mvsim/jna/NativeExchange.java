package dev.mvsim.jna;

import com.sun.jna.CallbackProxy;
import com.sun.jna.Pointer;
import dev.mvsim.host.DeviceSession;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mvhost_exchange_fn} libmvhost calls for every syscall: it copies the request out of
 * native memory, passes it to the session, and writes the reply frames back to back into
 * libmvhost's reply buffer. libmvhost holds its transport lock during the call, so calls never
 * overlap.
 */
final class NativeExchange implements LibMvHost.mvhost_exchange_fn, CallbackProxy {

    private static final Logger log = LoggerFactory.getLogger(NativeExchange.class);

    private static final Class<?>[] PARAMETER_TYPES = {
        Pointer.class, Pointer.class, int.class, Pointer.class, int.class};

    private final DeviceSession session;
    private final AtomicLong failures = new AtomicLong();
    /**
     * The reply's frames, gathered so they cross into native memory in one copy. libmvhost runs one
     * exchange at a time under its transport lock, so one writer serves every calling thread.
     */
    private final ReplyWriter writer = new ReplyWriter();

    NativeExchange(DeviceSession session) {
        this.session = session;
    }

    @Override
    public int invoke(Pointer context, Pointer request, int requestLength, Pointer reply, int replyCapacity) {
        try {
            byte[] frame = request.getByteArray(0, requestLength);
            writer.reset(Integer.toUnsignedLong(replyCapacity));
            session.handle(frame, writer);
            if (writer.overflowed) {
                failures.incrementAndGet();
                log.error("reply of {} bytes exceeds libmvhost's {}-byte reply buffer; the syscall fails with"
                        + " INTERNALERROR", writer.needed, Integer.toUnsignedLong(replyCapacity));
                return -1;
            }
            reply.write(0, writer.buffer, 0, writer.length);
            return writer.length;
        } catch (RuntimeException | Error e) {
            // An exception must not unwind through native frames, so it becomes a failed exchange.
            failures.incrementAndGet();
            log.error("in-process exchange failed; the syscall fails with INTERNALERROR", e);
            return -1;
        }
    }

    /**
     * Receives the call from JNA without its reflective dispatch: JNA passes the converted
     * arguments straight here because this object is a {@link CallbackProxy}.
     */
    @Override
    public Object callback(Object[] arguments) {
        return invoke((Pointer) arguments[0], (Pointer) arguments[1], (Integer) arguments[2],
                (Pointer) arguments[3], (Integer) arguments[4]);
    }

    @Override
    public Class<?>[] getParameterTypes() {
        return PARAMETER_TYPES.clone();
    }

    @Override
    public Class<?> getReturnType() {
        return int.class;
    }

    long failures() {
        return failures.get();
    }

    /** Gathers the reply's frames and notes when they would not fit libmvhost's reply buffer. */
    private static final class ReplyWriter implements dev.mvsim.host.FrameSink {
        private byte[] buffer = new byte[4096];
        private long capacity;
        private int length;
        private long needed;
        private boolean overflowed;

        void reset(long capacity) {
            this.capacity = capacity;
            length = 0;
            needed = 0;
            overflowed = false;
        }

        @Override
        public void send(byte[] frame) {
            needed += frame.length;
            if (overflowed || needed > capacity) {
                overflowed = true;
                return;
            }
            if (length + frame.length > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + frame.length));
            }
            System.arraycopy(frame, 0, buffer, length, frame.length);
            length += frame.length;
        }
    }
}
