package dev.mvsim.wire;

/** The type of one payload field, with the tag byte that precedes it on the wire. */
public enum FieldType {
    /** Output not written: allowed only in the output positions of a response. */
    NONE(0x00, '-'),
    U32(0x01, 'I'),
    U64(0x02, 'L'),
    /** Presence flag (one byte, 0 or 1) followed by the app address as u64. */
    POINTER(0x03, 'P'),
    /** Length as u32 followed by that many bytes. */
    BYTES(0x04, 'B'),
    /** Element count as u32, field count per element as u8, then the elements' fields. */
    LIST(0x05, '[');

    private final int tag;
    private final char symbol;

    FieldType(int tag, char symbol) {
        this.tag = tag;
        this.symbol = symbol;
    }

    public int tag() {
        return tag;
    }

    /** Letter used for this type in schema strings such as {@code "LP[IIPIB]"}. */
    public char symbol() {
        return symbol;
    }

    /** Types indexed by tag; values() would copy the array on every field decoded. */
    private static final FieldType[] BY_TAG = {NONE, U32, U64, POINTER, BYTES, LIST};

    static FieldType fromTag(int tag) {
        return tag >= 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
    }

    static FieldType fromSymbol(char symbol) {
        for (FieldType type : values()) {
            if (type.symbol == symbol && type != NONE) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown schema symbol '" + symbol + "'; use one of I, L, P, B, [");
    }
}
