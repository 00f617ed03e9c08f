package dev.mvsim.kernel;

/** The {@code event_type} of a notification record, with the vendor header's values. */
public enum MvEventType {
    /** No event; apps write it into a record after handling the record. */
    NOEVENT(0),
    NETWORKSTATUSCHANGED(1),
    CHANNELDATAREADABLE(2),
    CHANNELDATAWRITESPACE(3),
    CHANNELNOTCONNECTED(4),
    UPDATEDOWNLOADED(5);

    private static final MvEventType[] BY_CODE = values();

    private final int code;

    MvEventType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Returns the event type with the given C value, or null when none has it. */
    public static MvEventType fromCode(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }
}
