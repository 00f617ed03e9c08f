package dev.mvsim.kernel;

/** The kind of a channel, with the vendor header's values. Only CONFIGFETCH carries data in mvsim. */
public enum MvChannelType {
    OPAQUEBYTES(0),
    MQTT(1),
    HTTP(2),
    CONFIGFETCH(3);

    private static final MvChannelType[] BY_CODE = values();

    private final int code;

    MvChannelType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Returns the channel type with the given C value, or null when none has it. */
    public static MvChannelType fromCode(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }
}
