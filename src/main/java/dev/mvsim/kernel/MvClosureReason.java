package dev.mvsim.kernel;

/** Reason a channel closed, as {@code mvGetChannelClosureReason} reports it. */
public enum MvClosureReason {
    NONE(0),
    CHANNELCLOSEDBYSERVER(1),
    CHANNELRESETBYSERVER(2),
    NETWORKDISCONNECTED(3),
    CONNECTIONTERMINATED(4),
    NOTYETOPEN(5),
    CLOSEDBYAPPLICATION(6),
    UNEXPECTEDLYTERMINATED(7);

    private static final MvClosureReason[] BY_CODE = values();

    private final int code;

    MvClosureReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Returns the reason with the given C value, or null when none has it. */
    public static MvClosureReason fromCode(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }
}
