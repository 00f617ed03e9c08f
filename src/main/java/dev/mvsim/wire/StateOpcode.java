package dev.mvsim.wire;

/**
 * What a STATE frame (kernel to libmvhost) is about: the frame's opcode field contains the code, and
 * the payload follows the schema (letters as in {@link Schema}).
 */
public enum StateOpcode {
    /** The kernel's clock: clock kind (1 virtual, 2 wall) as u32, then the kernel time in µs as u64. */
    CLOCK(0x0001, "IL"),
    /**
     * A config fetch response as {@code mvReadConfigFetchResponseData} and
     * {@code mvReadConfigResponseItem} would return it: channel handle, fetch result, then each
     * item's result and value (empty unless the item was found).
     */
    CONFIG_RESPONSE(0x0002, "LI[IB]"),
    /** A network request's handle and the network status {@code mvGetNetworkStatus} would return. */
    NETWORK(0x0003, "LI"),
    /**
     * Handles the kernel set aside for libmvhost to give out when it answers
     * {@code mvSetupNotifications}, {@code mvRequestNetwork} or {@code mvOpenChannel} itself: the
     * conditions bits
     * ({@link #RESERVED_SETUP_FREE}, {@link #RESERVED_STATUS_KNOWN}, {@link #RESERVED_HOLDERS_LISTED},
     * {@link #RESERVED_STATUS_SURVIVES_RELEASE}),
     * the network status a request made now reports, the reserved handles, then the handles of the
     * centres and channels whose buffers the kernel uses. Each one replaces the previous one.
     */
    RESERVED_HANDLES(0x0004, "II[L][L]"),
    /**
     * On a virtual clock, the kernel time in µs before which no kernel event falls due, so time
     * passing changes nothing in the kernel: libmvhost may answer a SLEEP or WAIT that ends before
     * it by itself. 0 takes back the last one. Each one replaces the previous one.
     */
    QUIET(0x0005, "L"),
    /**
     * What the channel limit and the rate limit of {@code mvOpenChannel} allow at the kernel's
     * time: channels the app may still open, the opens allowed in a rolling window, the window in
     * µs, then the times in µs of the successful opens inside it, oldest first. Each one replaces
     * the previous one.
     */
    OPEN_BUDGET(0x0006, "IIL[L]"),
    /**
     * The app's live handles in a kernel that a reconnected device was reattached to, sent once,
     * ahead of the first RESPONSE after the reattachment: each centre with its ring's address
     * and size, each network request, then each channel with its centre, tag, network request,
     * receive buffer's address and size, send buffer's address and size, and 1 while a fetch on it
     * is pending, else 0.
     */
    LIVE_HANDLES(0x0007, "[LLI][L][LLILLILII]");

    /** Clock kind of a CLOCK state whose time moves only when the kernel moves it. */
    public static final int CLOCK_VIRTUAL = 1;
    /** Clock kind of a CLOCK state whose time runs on from the kernel time at the host's rate. */
    public static final int CLOCK_WALL = 2;

    /**
     * Conditions bit of a RESERVED_HANDLES state: the kernel holds no notification centre, channel
     * or logging buffer, so {@code mvSetupNotifications} of any valid ring with any interrupt the
     * app may use returns OKAY.
     */
    public static final int RESERVED_SETUP_FREE = 1;
    /**
     * Conditions bit of a RESERVED_HANDLES state: the status field is what
     * {@code mvGetNetworkStatus} returns for a network request made now, until the clock moves.
     */
    public static final int RESERVED_STATUS_KNOWN = 2;
    /**
     * Conditions bit of a RESERVED_HANDLES state: the kernel uses no logging buffer, and every
     * notification ring and channel buffer it uses belongs to a centre or channel in the state's
     * last list. Once the app closed them all, {@code mvSetupNotifications} of any valid ring with
     * any interrupt the app may use returns OKAY, as with {@link #RESERVED_SETUP_FREE}.
     */
    public static final int RESERVED_HOLDERS_LISTED = 4;
    /**
     * Conditions bit of a RESERVED_HANDLES state, with {@link #RESERVED_STATUS_KNOWN}: the status
     * field also holds after the app released every network request, which takes the device
     * offline.
     */
    public static final int RESERVED_STATUS_SURVIVES_RELEASE = 8;

    private final int code;
    private final Schema schema;

    StateOpcode(int code, String schema) {
        this.code = code;
        this.schema = Schema.parse(schema);
    }

    public int code() {
        return code;
    }

    public Schema schema() {
        return schema;
    }

    /** Returns the state opcode with {@code code}, or null when this codec does not know it. */
    public static StateOpcode fromCode(int code) {
        for (StateOpcode opcode : values()) {
            if (opcode.code == code) {
                return opcode;
            }
        }
        return null;
    }
}
