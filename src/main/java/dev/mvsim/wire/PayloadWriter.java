package dev.mvsim.wire;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** Writes tagged fields in little-endian order, checking them against a schema first. */
final class PayloadWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    void writeAll(Schema schema, List<Field> fields, boolean outputs, String context) {
        if (fields.size() != schema.size()) {
            throw new IllegalArgumentException(context + " has " + fields.size() + " fields, schema \"" + schema
                    + "\" needs " + schema.size());
        }
        for (int i = 0; i < fields.size(); i++) {
            write(schema.slots().get(i), fields.get(i), outputs, context + " field " + i);
        }
    }

    private void write(Schema.Slot slot, Field field, boolean outputAllowed, String context) {
        if (field instanceof Field.None && outputAllowed) {
            u8(FieldType.NONE.tag());
            return;
        }
        if (field.type() != slot.type()) {
            throw new IllegalArgumentException(context + " is " + field.type() + ", schema needs " + slot.type());
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
            bytes(bytes.value());
        } else if (field instanceof Field.FieldList list) {
            if (list.elements().size() > WireLimits.MAX_LIST_ELEMENTS) {
                throw new IllegalArgumentException(context + " has " + list.elements().size()
                        + " elements, maximum is " + WireLimits.MAX_LIST_ELEMENTS);
            }
            u32(list.elements().size());
            u8(slot.element().size());
            for (List<Field> element : list.elements()) {
                writeAll(slot.element(), element, false, context + " element");
            }
        } else {
            throw new IllegalArgumentException(context + " is NONE, allowed only in response outputs");
        }
    }

    void u8(int value) {
        out.write(value);
    }

    void u16(int value) {
        out.write(value);
        out.write(value >>> 8);
    }

    void u32(int value) {
        for (int shift = 0; shift < 32; shift += 8) {
            out.write(value >>> shift);
        }
    }

    void u64(long value) {
        for (int shift = 0; shift < 64; shift += 8) {
            out.write((int) (value >>> shift));
        }
    }

    void bytes(byte[] value) {
        u32(value.length);
        out.writeBytes(value);
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
