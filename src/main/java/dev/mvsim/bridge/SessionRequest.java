package dev.mvsim.bridge;

/**
 * The session that an authenticated HELLO requests from the session factory.
 *
 * @param bootId the device's random boot id, the same on every reconnection until the device
 *     reboots; 0 when the device sent none, which never matches a kept kernel
 * @param deviceTimeMicros the device's clock when it connected, 0 on the first connection of a boot
 * @param serialLine true over a serial line, which stays open after its firmware exits, so its
 *     connection ends only at the line's next HELLO
 */
public record SessionRequest(String deviceSid, ClockChoice clock, long bootId, long deviceTimeMicros,
                             boolean serialLine) {

    /** Creates the request of a connection that is not a serial line. */
    public SessionRequest(String deviceSid, ClockChoice clock, long bootId, long deviceTimeMicros) {
        this(deviceSid, clock, bootId, deviceTimeMicros, false);
    }

    /** Returns the request of a HELLO authenticated on a socket. */
    static SessionRequest of(HandshakeMessage.Hello hello) {
        return new SessionRequest(hello.deviceSid(), hello.clock(), hello.bootId(), hello.deviceTimeMicros());
    }

    /** Returns the request of a HELLO authenticated on a serial line. */
    static SessionRequest ofSerialLine(HandshakeMessage.Hello hello) {
        return new SessionRequest(hello.deviceSid(), hello.clock(), hello.bootId(), hello.deviceTimeMicros(), true);
    }
}
