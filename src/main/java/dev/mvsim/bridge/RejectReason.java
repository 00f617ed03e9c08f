package dev.mvsim.bridge;

/** Reason a server rejected a handshake, sent as a code in the REJECT message. */
public enum RejectReason {
    /** Unknown to this build: a newer server's reason. */
    OTHER(0),
    /** The device and server share no bridge protocol version. */
    UNSUPPORTED_VERSION(1),
    /** The SID is unknown or the proof does not match the device key; the device cannot tell which. */
    AUTHENTICATION_FAILED(2),
    /** The HELLO reuses a client nonce that already completed a handshake. */
    REPLAYED(3),
    /** A handshake message did not match its layout, or arrived out of order. */
    MALFORMED(4),
    /** The server could not open a device session. */
    SESSION_FAILED(5),
    /**
     * A frame arrived before any handshake, as after a server restart: the device must send a
     * HELLO. Its own code lets libmvhost skip this REJECT in the middle of a handshake, where it
     * answers a request queued on a serial line before the restart and not the HELLO.
     */
    NO_SESSION(6);

    private final int code;

    RejectReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static RejectReason fromCode(int code) {
        for (RejectReason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        return OTHER;
    }
}
