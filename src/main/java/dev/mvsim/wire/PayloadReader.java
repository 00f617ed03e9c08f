package dev.mvsim.wire;

import java.util.List;
import java.util.Objects;

/**
 * Reads tagged fields from one payload, checking each against a schema and the bytes left. It reads
 * the caller's array in place, little-endian, and keeps no buffer of its own.
 */
final class PayloadReader {

    private static final Schema.Slot BYTES_SLOT = new Schema.Slot(FieldType.BYTES, null);

    private final byte[] bytes;
    /** Array index of the payload's first byte, from which error messages count payload offsets. */
    private final int start;
    private final int end;
    private int position;

    PayloadReader(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        this.bytes = bytes;
        this.start = offset;
        this.end = offset + length;
        this.position = offset;
    }

    /**
     * Reads the fields of {@code schema} into an immutable list, which the frame records keep
     * without copying. Output positions may hold NONE when {@code outputs} is set.
     */
    List<Field> readAll(Schema schema, boolean outputs) throws FrameFormatException {
        List<Schema.Slot> slots = schema.slots();
        Field[] fields = new Field[slots.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = read(slots.get(i), outputs);
        }
        return List.of(fields);
    }

    Field read(Schema.Slot slot, boolean outputAllowed) throws FrameFormatException {
        FieldType type = readTag(slot, outputAllowed);
        return switch (type) {
            case U32 -> new Field.U32(readI32("u32 field"));
            case U64 -> new Field.U64(readI64("u64 field"));
            case POINTER -> readPointer();
            case BYTES -> new Field.Bytes(readBytes());
            case LIST -> readList(slot.element());
            case NONE -> Field.None.INSTANCE;
        };
    }

    /**
     * Reads a bytes field that contains a payload of its own, such as each half of a REPORT, and
     * returns a reader over those bytes. Nothing is copied.
     */
    PayloadReader readNestedPayload() throws FrameFormatException {
        readTag(BYTES_SLOT, false);
        int length = readLength();
        PayloadReader nested = new PayloadReader(bytes, position, length);
        position += length;
        return nested;
    }

    /** Reads a field's tag and returns its type: the slot's, or NONE where an output may be absent. */
    private FieldType readTag(Schema.Slot slot, boolean outputAllowed) throws FrameFormatException {
        int fieldOffset = position - start;
        int tag = readU8("field tag");
        FieldType type = FieldType.fromTag(tag);
        if (type == FieldType.NONE && outputAllowed) {
            return FieldType.NONE;
        }
        if (type != slot.type()) {
            throw malformed("field at payload offset " + fieldOffset + " has tag 0x" + Integer.toHexString(tag)
                    + ", expected " + slot.type() + " (tag 0x" + Integer.toHexString(slot.type().tag()) + ")");
        }
        return type;
    }

    private Field readPointer() throws FrameFormatException {
        int flagOffset = position - start;
        int present = readU8("pointer presence flag");
        long address = readI64("pointer address");
        if (present > 1) {
            throw malformed("pointer presence flag at payload offset " + flagOffset + " is " + present + ", expected 0 or 1");
        }
        if (present == 0 && address != 0) {
            throw malformed("absent pointer at payload offset " + flagOffset + " has address 0x"
                    + Long.toHexString(address) + ", expected 0");
        }
        return present == 1 ? new Field.Pointer(true, address) : Field.Pointer.ABSENT;
    }

    private Field readList(Schema element) throws FrameFormatException {
        long count = Integer.toUnsignedLong(readI32("list element count"));
        int width = readU8("list element width");
        if (count > WireLimits.MAX_LIST_ELEMENTS) {
            throw new FrameFormatException(ErrorCode.TOO_LARGE,
                    "list has " + count + " elements, maximum is " + WireLimits.MAX_LIST_ELEMENTS);
        }
        if (width != element.size()) {
            throw malformed("list elements have " + width + " fields, expected " + element.size());
        }
        // Every field takes at least 5 bytes, so a count the remaining bytes cannot hold is rejected before any allocation.
        if (count * width * 5 > remaining()) {
            throw malformed("list of " + count + " elements cannot fit in the " + remaining() + " bytes left");
        }
        @SuppressWarnings("unchecked")
        List<Field>[] elements = new List[(int) count];
        for (int i = 0; i < elements.length; i++) {
            elements[i] = readAll(element, false);
        }
        return new Field.FieldList(List.of(elements));
    }

    private byte[] readBytes() throws FrameFormatException {
        int length = readLength();
        byte[] value = new byte[length];
        System.arraycopy(bytes, position, value, 0, length);
        position += length;
        return value;
    }

    /**
     * Reads the u32 length of a bytes field and checks it against the payload maximum and the bytes
     * left. The label is a constant because this runs for every bytes field, and a label joined
     * here would build a string each time.
     */
    private int readLength() throws FrameFormatException {
        long length = Integer.toUnsignedLong(readI32("bytes field length"));
        if (length > WireLimits.MAX_PAYLOAD_BYTES) {
            throw new FrameFormatException(ErrorCode.TOO_LARGE, "bytes field length " + length
                    + " is above the maximum " + WireLimits.MAX_PAYLOAD_BYTES);
        }
        if (length > remaining()) {
            throw malformed("bytes field length " + length + " is beyond the " + remaining()
                    + " bytes left in the payload");
        }
        return (int) length;
    }

    int readU8(String what) throws FrameFormatException {
        require(1, what);
        return Byte.toUnsignedInt(bytes[position++]);
    }

    int readI32(String what) throws FrameFormatException {
        require(4, what);
        int value = (bytes[position] & 0xFF)
                | (bytes[position + 1] & 0xFF) << 8
                | (bytes[position + 2] & 0xFF) << 16
                | (bytes[position + 3] & 0xFF) << 24;
        position += 4;
        return value;
    }

    long readI64(String what) throws FrameFormatException {
        require(8, what);
        long low = Integer.toUnsignedLong(readI32(what));
        long high = Integer.toUnsignedLong(readI32(what));
        return low | high << 32;
    }

    void expectEnd() throws FrameFormatException {
        if (remaining() > 0) {
            throw malformed(remaining() + " unexpected bytes after the last field at frame offset " + position);
        }
    }

    private int remaining() {
        return end - position;
    }

    private void require(int count, String what) throws FrameFormatException {
        if (remaining() < count) {
            throw malformed(what + " at payload offset " + (position - start) + " needs " + count
                    + " bytes, only " + remaining() + " left");
        }
    }

    private static FrameFormatException malformed(String message) {
        return new FrameFormatException(ErrorCode.MALFORMED, message);
    }
}
