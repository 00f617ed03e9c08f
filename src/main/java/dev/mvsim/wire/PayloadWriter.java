package dev.mvsim.wire;

import java.util.Arrays;
import java.util.List;

/** Writes tagged fields in little-endian order, checking them against a schema first. */
final class PayloadWriter {

    // A plain growable array: ByteArrayOutputStream synchronises every write.
    private byte[] buffer = new byte[64];
    private int size;

    /**
     * Writes {@code fields} in the order of {@code schema}. {@code owner} and {@code part} name the
     * payload in error messages, such as "mvOpenChannel" and "request", and are joined only on error.
     */
    void writeAll(Schema schema, List<Field> fields, boolean outputs, String owner, String part) {
        if (fields.size() != schema.size()) {
            throw new IllegalArgumentException(owner + " " + part + " has " + fields.size() + " fields, schema \""
                    + schema + "\" needs " + schema.size());
        }
        for (int i = 0; i < fields.size(); i++) {
            write(schema.slots().get(i), fields.get(i), outputs, owner, part, i);
        }
    }

    private void write(Schema.Slot slot, Field field, boolean outputAllowed, String owner, String part, int index) {
        if (field instanceof Field.None && outputAllowed) {
            u8(FieldType.NONE.tag());
            return;
        }
        if (field.type() != slot.type()) {
            throw new IllegalArgumentException(owner + " " + part + " field " + index + " is " + field.type()
                    + ", schema needs " + slot.type());
        }
        u8(field.type().tag());
        if (field instanceof Field.U32 value) {
            u32(value.value());
        } else if (field instanceof Field.U64 value) {
            u64(value.value());
        } else if (field instanceof Field.Pointer pointer) {
            u8(pointer.present() ? 1 : 0);
            u64(pointer.address());
        } else if (field instanceof Field.Bytes bytes) {
            bytes(bytes.sharedArray());
        } else if (field instanceof Field.FieldList list) {
            if (list.elements().size() > WireLimits.MAX_LIST_ELEMENTS) {
                throw new IllegalArgumentException(owner + " " + part + " field " + index + " has "
                        + list.elements().size() + " elements, maximum is " + WireLimits.MAX_LIST_ELEMENTS);
            }
            u32(list.elements().size());
            u8(slot.element().size());
            String elementPart = part + " field " + index + " element";
            for (List<Field> element : list.elements()) {
                writeAll(slot.element(), element, false, owner, elementPart);
            }
        } else {
            throw new IllegalArgumentException(owner + " " + part + " field " + index
                    + " is NONE, allowed only in response outputs");
        }
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }

    void u8(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
    }

    void u16(int value) {
        ensure(2);
        buffer[size++] = (byte) value;
        buffer[size++] = (byte) (value >>> 8);
    }

    void u32(int value) {
        ensure(4);
        for (int shift = 0; shift < 32; shift += 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
    }

    void u64(long value) {
        ensure(8);
        for (int shift = 0; shift < 64; shift += 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
    }

    void bytes(byte[] value) {
        u32(value.length);
        raw(value);
    }

    void raw(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, buffer, size, value.length);
        size += value.length;
    }

    /** Overwrites four bytes already written, such as the payload length in the header. */
    void patchU32(int offset, int value) {
        for (int i = 0; i < 4; i++) {
            buffer[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }
}
