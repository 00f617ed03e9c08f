package dev.mvsim.wire;

/** Thrown when bytes are not a valid frame; the message names the field, the offset and the rule. */
public final class FrameFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public FrameFormatException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** Returns the code a receiver puts into its ERROR frame for this fault. */
    public ErrorCode code() {
        return code;
    }
}
