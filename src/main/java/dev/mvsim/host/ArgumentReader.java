package dev.mvsim.host;

import dev.mvsim.kernel.AppBuffer;
import dev.mvsim.kernel.MvSizedString;
import dev.mvsim.wire.Field;
import java.util.List;

/**
 * Reads the decoded arguments of one request in schema order. The codec has already checked each
 * field's type against the opcode's schema, so the casts here cannot fail on a decoded frame.
 */
final class ArgumentReader {

    private final List<Field> fields;
    private int next;

    ArgumentReader(List<Field> fields) {
        this.fields = fields;
    }

    int u32() {
        return ((Field.U32) fields.get(next++)).value();
    }

    long u64() {
        return ((Field.U64) fields.get(next++)).value();
    }

    Field.Pointer pointer() {
        return (Field.Pointer) fields.get(next++);
    }

    byte[] bytes() {
        return ((Field.Bytes) fields.get(next++)).value();
    }

    List<List<Field>> list() {
        return ((Field.FieldList) fields.get(next++)).elements();
    }

    /** Reads a pointer followed by its u32 size, as an app buffer; an absent pointer is address 0. */
    AppBuffer buffer() {
        Field.Pointer pointer = pointer();
        int size = u32();
        return new AppBuffer(pointer.address(), size);
    }

    /**
     * Reads the pointer, length and bytes of an {@code MvSizedString}. An absent pointer becomes
     * null data. The C library sends no bytes when it could not copy them, so data shorter than the
     * length reaches the kernel as a bad pointer, as the kernel's contract expects.
     */
    MvSizedString sizedString() {
        Field.Pointer pointer = pointer();
        int length = u32();
        byte[] data = bytes();
        return new MvSizedString(pointer.present() ? data : null, length);
    }
}
