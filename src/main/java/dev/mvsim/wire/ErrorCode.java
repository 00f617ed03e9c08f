package dev.mvsim.wire;

/** Reason a receiver rejected a frame, carried in ERROR frames. */
public enum ErrorCode {
    /** The bytes break the envelope or payload rules: bad tag, truncated field, trailing bytes. */
    MALFORMED(1),
    /** The opcode is not in the table. */
    UNKNOWN_OPCODE(2),
    /** A length is above the receiver's maximum. */
    TOO_LARGE(3),
    /** The envelope version is one the receiver does not speak. */
    UNSUPPORTED_VERSION(4),
    /** The frame is well formed but the receiver has no transport or handler for it. */
    UNAVAILABLE(5);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static ErrorCode fromCode(int code) {
        for (ErrorCode value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        return null;
    }
}
