package dev.mvsim.bridge;

/**
 * The session that an authenticated HELLO requests from the session factory.
 *
 * @param bootId the device's random boot id, the same on every reconnection until the device
 *     reboots; 0 when the device sent none, which never matches a kept kernel
 * @param deviceTimeMicros the device's clock when it connected, 0 on the first connection of a boot
 */
public record SessionRequest(String deviceSid, ClockChoice clock, long bootId, long deviceTimeMicros) {

    /** Returns the request of an authenticated HELLO. */
    static SessionRequest of(HandshakeMessage.Hello hello) {
        return new SessionRequest(hello.deviceSid(), hello.clock(), hello.bootId(), hello.deviceTimeMicros());
    }
}
