package dev.mvsim.wire;

/** The kind byte of a frame envelope. */
public enum FrameKind {
    /** A syscall from the app, sent by the C library. */
    REQUEST(1),
    /** The reply to a request or a harness-control frame, with the same sequence number. */
    RESPONSE(2),
    /** An event for the app's notification ring, sent by the kernel. */
    NOTIFICATION(3),
    /** A harness-control request (clock, sleep, poll) from the C library. */
    CONTROL(4),
    /** Version and limit exchange at the start of a connection. */
    HANDSHAKE(5),
    /** A receiver's report that it rejected a frame. */
    ERROR(6),
    /** Kernel state that libmvhost keeps to answer some calls itself; the opcode field says which state. */
    STATE(7),
    /** A call libmvhost answered itself: the request and the response it gave, for the kernel to check. */
    REPORT(8);

    private final int code;

    FrameKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Kinds indexed by code; values() would copy the array on every frame decoded. */
    private static final FrameKind[] BY_CODE = {
        null, REQUEST, RESPONSE, NOTIFICATION, CONTROL, HANDSHAKE, ERROR, STATE, REPORT};

    static FrameKind fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
