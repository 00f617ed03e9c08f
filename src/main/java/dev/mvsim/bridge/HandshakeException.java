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

    /**
     * Returns the text the REJECT carries to the device. Authentication failures all read the same,
     * so a prober cannot tell an unknown SID from a wrong key; the server's log keeps the detail.
     */
    public String deviceMessage() {
        if (reason == RejectReason.AUTHENTICATION_FAILED) {
            return "the device SID and key do not match a registered device; check MVHOST_DEVICE and MVHOST_DEVICE_KEY";
        }
        return getMessage();
    }
}
