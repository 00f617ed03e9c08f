package dev.mvsim.wire;

/**
 * What a STATE frame is about, carried in the header's opcode field, with the schema of its
 * payload (letters as in {@link Opcode}).
 */
public enum StateOpcode {
    /** The kernel's clock: kind (1 virtual, 2 wall) and the kernel time in microseconds. */
    CLOCK(1, "IL"),
    /**
     * A config fetch response as {@code mvReadConfigFetchResponseData} and
     * {@code mvReadConfigResponseItem} would return it: channel handle, fetch result, then each
     * item's result and value (empty unless the item was found).
     */
    CONFIG_RESPONSE(2, "LI[IB]"),
    /** A network request's handle and the network status {@code mvGetNetworkStatus} would return. */
    NETWORK(3, "LI");

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

    static StateOpcode fromCode(int code) {
        for (StateOpcode opcode : values()) {
            if (opcode.code == code) {
                return opcode;
            }
        }
        return null;
    }
}
