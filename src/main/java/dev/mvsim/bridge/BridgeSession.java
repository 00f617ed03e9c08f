package dev.mvsim.bridge;

import dev.mvsim.wire.Frame;
import java.util.List;

/**
 * One device's kernel as the bridge sees it: frame bytes in, frame bytes out. The bridge opens one
 * per authenticated connection and calls it from one thread at a time.
 */
public interface BridgeSession extends AutoCloseable {

    /**
     * Handles one REQUEST, CONTROL or REPORT frame and returns the notification and state frames
     * that fell due followed by the RESPONSE or ERROR frame. For a request sent without wanting a
     * reply, and for a REPORT, it may return only notification and state frames.
     */
    byte[] exchange(byte[] frame);

    /**
     * Handles one frame as {@link #exchange(byte[])} does, for a caller that has decoded it from
     * {@code frameBytes} already. A session that can use the decoded frame overrides this to spare
     * a second decode, and the default decodes the bytes again.
     */
    default byte[] exchange(Frame decoded, byte[] frameBytes) {
        return exchange(frameBytes);
    }

    /**
     * Returns true if the kernel runs on the wall clock, so that events fall due while the device
     * makes no call and the bridge pushes them with {@link #pollDue}.
     */
    default boolean wallClock() {
        return false;
    }

    /** Returns the name of the kernel's clock for logs: {@code wall} or {@code virtual}. */
    default String clockName() {
        return wallClock() ? "wall" : "virtual";
    }

    /**
     * Returns the microseconds from now until the kernel's next scheduled event, 0 if one is due
     * already, or {@link Long#MAX_VALUE} when none is scheduled.
     */
    default long microsUntilDue() {
        return Long.MAX_VALUE;
    }

    /**
     * Delivers the events due now and returns the frames they produced, one encoded frame per
     * element, for the bridge to push outside any reply. Returns an empty list when nothing fell due.
     */
    default List<byte[]> pollDue() {
        return List.of();
    }

    /**
     * Remembers the reply packet sent for the request with this sequence number and opcode, for a
     * device whose connection is lost before the reply arrives. A session that outlives its
     * connection keeps it for the next one. The default discards it.
     */
    default void rememberReply(int sequence, int opcode, byte[] reply) {
    }

    /**
     * Returns the reply packet remembered for the request with this sequence number and opcode, or
     * null when that request was not the last one this device's kernel ran.
     */
    default byte[] rememberedReply(int sequence, int opcode) {
        return null;
    }

    /**
     * Takes back frames from {@link #pollDue} that the bridge could not push because the connection
     * failed, to lead the next reply, on this connection or the device's next. The default drops them.
     */
    default void keepForNextReply(List<byte[]> frames) {
    }

    /**
     * Notes that a frame from the device arrived. libmvhost sends nothing between a request and
     * reading its reply, so the device has read every reply this connection wrote, and the pushes
     * written before them. The default does nothing.
     */
    default void deviceFrameArrived() {
    }

    /** Notes a push packet written to the device, which it may lose unread with the connection. The default does nothing. */
    default void pushWritten(byte[] packet) {
    }

    /**
     * Returns true if the kernel is the one the device's earlier connection used, kept for the
     * reconnect, and false for a fresh kernel.
     */
    default boolean reattached() {
        return false;
    }

    /**
     * Returns the notification frames pushed on the device's earlier connection that it may never
     * have read: those after the notification with sequence {@code lastRead}, or every one when
     * {@code lastRead} is null. With {@code lostReplyFollows}, those written after the remembered
     * reply come second, because the caller sends that reply between the two lists. The default
     * returns none.
     */
    default KeptDevice.MissedPushes takeMissedPushes(Integer lastRead, boolean lostReplyFollows) {
        return new KeptDevice.MissedPushes(List.of(), List.of());
    }

    /** Ends the connection's use of the kernel; the bridge calls it once, when the connection ends. */
    @Override
    void close();
}
