package dev.mvsim.host;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.StateOpcode;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The QUIET states of a session on a virtual clock: the kernel time of its next scheduled event, or
 * of the end of a down window it is in. Until then, time passing changes nothing in the kernel, so libmvhost answers a SLEEP or WAIT that
 * ends before it by itself and REPORTs it, where it would otherwise wait a whole exchange for a
 * reply it can predict. A firmware that polls in {@code HAL_Delay} steps then exchanges only when
 * something can have happened.
 *
 * <p>A state goes out only ahead of a RESPONSE, when the kernel has run every REPORT sent before
 * that request, so the next event it names is the kernel's. A test that moves the kernel's time
 * or link from Java can bring an event forward, so the session then pushes a state that takes the
 * window back until the next reply.
 */
final class QuietWindow {

    /** The QUIET value that allows no local time at all. */
    static final long NONE = 0;

    private final DeviceKernel kernel;

    /** The last state encoded, reused while its time stays the same. */
    private byte[] encoded;
    private long encodedUntil = NONE;

    QuietWindow(DeviceKernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Returns the QUIET state to lead a RESPONSE: {@link DeviceKernel#quietUntilMicros}, or
     * {@link Long#MAX_VALUE} when nothing comes. The frame is encoded again only when that time
     * changed, so a repeated state keeps its first sequence number.
     */
    synchronized byte[] stateFrame(IntSupplier sequence) {
        long until = kernel.quietUntilMicros();
        if (encoded == null || until != encodedUntil) {
            encoded = frame(sequence.getAsInt(), until);
            encodedUntil = until;
        }
        return encoded;
    }

    /** Returns a state for a push that takes the window back: libmvhost exchanges for every SLEEP and WAIT again. */
    static byte[] revokeFrame(int sequence) {
        return frame(sequence, NONE);
    }

    private static byte[] frame(int sequence, long untilMicros) {
        return FrameCodec.encode(new Frame.State(sequence, StateOpcode.QUIET, List.of(new Field.U64(untilMicros))));
    }
}
