package dev.mvsim.bridge;

/** A handshake that failed, with the reason sent to the peer in a REJECT message. */
public final class HandshakeException extends Exception {

    private final RejectReason reason;

    public HandshakeException(RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
