package dev.mvsim.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Reads tagged fields from one payload, checking each against a schema and the bytes left. */
final class PayloadReader {

    private final ByteBuffer buffer;
    private final int payloadStart;

    PayloadReader(byte[] bytes, int offset, int length) {
        this.buffer = ByteBuffer.wrap(bytes, offset, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        this.payloadStart = offset;
    }

    /** Reads the fields of {@code schema}; output positions may hold NONE when {@code outputs} is set. */
    List<Field> readAll(Schema schema, boolean outputs) throws FrameFormatException {
        List<Field> fields = new ArrayList<>(schema.size());
        for (Schema.Slot slot : schema.slots()) {
            fields.add(read(slot, outputs));
        }
        return fields;
    }

    Field read(Schema.Slot slot, boolean outputAllowed) throws FrameFormatException {
        int fieldOffset = buffer.position();
        int tag = readU8("field tag");
        FieldType type = FieldType.fromTag(tag);
        if (type == FieldType.NONE && outputAllowed) {
            return Field.None.INSTANCE;
        }
        if (type != slot.type()) {
            throw malformed("field at payload offset " + fieldOffset + " has tag 0x" + Integer.toHexString(tag)
                    + ", expected " + slot.type() + " (tag 0x" + Integer.toHexString(slot.type().tag()) + ")");
        }
        return switch (type) {
            case U32 -> new Field.U32(readI32("u32 field"));
            case U64 -> new Field.U64(readI64("u64 field"));
            case POINTER -> readPointer();
            case BYTES -> new Field.Bytes(readBytes("bytes field", WireLimits.MAX_PAYLOAD_BYTES));
            case LIST -> readList(slot.element());
            case NONE -> throw new IllegalStateException("NONE has no schema slot");
        };
    }

    private Field readPointer() throws FrameFormatException {
        int flagOffset = buffer.position();
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
        if (count * width * 5 > buffer.remaining()) {
            throw malformed("list of " + count + " elements cannot fit in the " + buffer.remaining() + " bytes left");
        }
        List<List<Field>> elements = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            elements.add(readAll(element, false));
        }
        return new Field.FieldList(elements);
    }

    byte[] readBytes(String what, int maximum) throws FrameFormatException {
        long length = Integer.toUnsignedLong(readI32(what + " length"));
        if (length > maximum) {
            throw new FrameFormatException(ErrorCode.TOO_LARGE, what + " length " + length + " is above the maximum " + maximum);
        }
        if (length > buffer.remaining()) {
            throw malformed(what + " length " + length + " is beyond the " + buffer.remaining() + " bytes left in the payload");
        }
        byte[] value = new byte[(int) length];
        buffer.get(value);
        return value;
    }

    int readU8(String what) throws FrameFormatException {
        require(1, what);
        return Byte.toUnsignedInt(buffer.get());
    }

    int readI32(String what) throws FrameFormatException {
        require(4, what);
        return buffer.getInt();
    }

    long readI64(String what) throws FrameFormatException {
        require(8, what);
        return buffer.getLong();
    }

    void expectEnd() throws FrameFormatException {
        if (buffer.hasRemaining()) {
            throw malformed(buffer.remaining() + " unexpected bytes after the last field at frame offset "
                    + (payloadStart + buffer.position()));
        }
    }

    private void require(int count, String what) throws FrameFormatException {
        if (buffer.remaining() < count) {
            throw malformed(what + " at payload offset " + buffer.position() + " needs " + count
                    + " bytes, only " + buffer.remaining() + " left");
        }
    }

    private static FrameFormatException malformed(String message) {
        return new FrameFormatException(ErrorCode.MALFORMED, message);
    }
}
