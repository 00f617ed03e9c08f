package dev.mvsim.bridge;

/** The clock a device asks its kernel to run on, sent in the handshake. */
public enum ClockChoice {
    /** Whatever the server was configured with. */
    SERVER_DEFAULT(0),
    /** Simulated microseconds that pass only when the device sleeps or polls. */
    VIRTUAL(1),
    /** The host's monotonic clock. */
    WALL(2);

    private final int code;

    ClockChoice(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static ClockChoice fromCode(int code) {
        for (ClockChoice choice : values()) {
            if (choice.code == code) {
                return choice;
            }
        }
        return null;
    }
}
