package dev.mvsim.kernel;

import static dev.mvsim.kernel.MvStatus.*;

/** {@code mvSetupNotifications} and {@code mvCloseNotifications}. */
final class Notifications {

    /** Most notification centres that may exist at once. */
    static final int MAX_CENTRES = 32;
    static final int RECORD_BYTES = 16;
    static final int MIN_RING_BYTES = 2 * RECORD_BYTES;
    /**
     * Largest ring the kernel accepts: 4096 records (64 KiB). The vendor states no maximum; this
     * one bounds the kernel's copy of the ring.
     */
    static final int MAX_RING_BYTES = 4096 * RECORD_BYTES;

    private final KernelState state;

    Notifications(KernelState state) {
        this.state = state;
    }

    MvStatus setup(MvNotificationSetup setup, Out.Handle handleOut) {
        if (setup == null || handleOut == null || setup.buffer() == null) {
            return PARAMETERFAULT;
        }
        AppBuffer ring = setup.buffer();
        if (ring.isNull() || ring.wrapsAround()) {
            return PARAMETERFAULT;
        }

        long size = ring.unsignedSize();
        if (size < MIN_RING_BYTES || size % RECORD_BYTES != 0 || size > MAX_RING_BYTES) {
            return INVALIDBUFFERSIZE;
        }
        if (state.bufferInUse(ring)) {
            return BUFFERALREADYINUSE;
        }
        if (!IrqNumbers.isAvailableToApp(setup.irq()) || irqClaimed(setup.irq())) {
            return INVALIDINTERRUPT;
        }
        if (state.centres.size() >= MAX_CENTRES) {
            return TOOMANYNOTIFICATIONBUFFERS;
        }

        long handle = state.newAppHandle();
        NotificationCentre centre = new NotificationCentre(handle, setup.irq(), ring, (int) (size / RECORD_BYTES));
        state.handles.bind(handle, centre);
        state.centres.put(handle, centre);
        handleOut.value = handle;
        return OKAY;
    }

    /**
     * Closes the centre. Network requests and channels that still name it keep working; their
     * records are dropped from then on.
     */
    MvStatus close(Out.Handle handleInOut) {
        if (handleInOut == null) {
            return PARAMETERFAULT;
        }
        NotificationCentre centre = state.handles.get(handleInOut.value, NotificationCentre.class);
        if (centre == null) {
            return INVALIDHANDLE;
        }

        state.handles.remove(centre.handle);
        state.centres.remove(centre.handle);
        handleInOut.value = 0;
        return OKAY;
    }

    private boolean irqClaimed(int irq) {
        for (NotificationCentre centre : state.centres.values()) {
            if (centre.irq == irq) {
                return true;
            }
        }
        return false;
    }
}
