package dev.mvsim.bridge;

/** Opens the kernel session of a device that has just authenticated. */
@FunctionalInterface
public interface BridgeSessionFactory {

    /**
     * Opens a session for {@code deviceSid} on the clock the device asked for.
     *
     * @throws IllegalStateException if the session cannot be opened; the bridge rejects the
     *     handshake with the exception's message
     */
    BridgeSession open(String deviceSid, ClockChoice clock);

    /**
     * Opens a session for the device of an authenticated HELLO. A factory that keeps kernels across
     * reconnections overrides this; the default ignores the boot id and device time.
     */
    default BridgeSession open(SessionRequest request) {
        return open(request.deviceSid(), request.clock());
    }
}
