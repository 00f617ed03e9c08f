package dev.mvsim.kernel;

/**
 * Network status reported by {@code mvGetNetworkStatus}. The vendor header's comments swap
 * CONNECTED and CONNECTING; the names and values here are the header's, and CONNECTED (1) is the
 * only status in which channels can open.
 */
public enum MvNetworkStatus {
    DELIBERATELYOFFLINE(0),
    CONNECTED(1),
    CONNECTING(2),
    DISCONNECTEDWITHLINKUP(3);

    private static final MvNetworkStatus[] BY_CODE = values();

    private final int code;

    MvNetworkStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Returns the status with the given C value, or null when none has it. */
    public static MvNetworkStatus fromCode(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }
}
