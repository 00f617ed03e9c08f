package dev.mvsim.wire;

import java.util.Arrays;
import java.util.List;

/** One typed payload field. Integers are unsigned on the wire and kept in Java's signed types. */
public sealed interface Field {

    FieldType type();

    /** An output the kernel did not write; the C library leaves the app's variable alone. */
    record None() implements Field {
        public static final None INSTANCE = new None();

        @Override
        public FieldType type() {
            return FieldType.NONE;
        }
    }

    /** An unsigned 32-bit value held in an {@code int}; use {@link Integer#toUnsignedLong} to widen it. */
    record U32(int value) implements Field {
        @Override
        public FieldType type() {
            return FieldType.U32;
        }
    }

    /** An unsigned 64-bit value: a handle, an address or microseconds. */
    record U64(long value) implements Field {
        @Override
        public FieldType type() {
            return FieldType.U64;
        }
    }

    /** A pointer argument: whether the app passed non-NULL, and the address it passed (0 when absent). */
    record Pointer(boolean present, long address) implements Field {
        public static final Pointer ABSENT = new Pointer(false, 0);

        public Pointer {
            if (!present && address != 0) {
                throw new IllegalArgumentException("an absent pointer must have address 0, got 0x" + Long.toHexString(address));
            }
        }

        public static Pointer at(long address) {
            return address == 0 ? ABSENT : new Pointer(true, address);
        }

        @Override
        public FieldType type() {
            return FieldType.POINTER;
        }
    }

    /** Bytes copied from or to app memory; the array is copied on the way in and out. */
    record Bytes(byte[] value) implements Field {
        public Bytes {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        public int length() {
            return value.length;
        }

        /** Returns the array itself, without a copy, for the codec's writer; callers must not modify it. */
        byte[] sharedArray() {
            return value;
        }

        @Override
        public FieldType type() {
            return FieldType.BYTES;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bytes bytes && Arrays.equals(value, bytes.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        /** Shows the length only, because these bytes can be a secret's value. */
        @Override
        public String toString() {
            return "Bytes[length=" + value.length + "]";
        }
    }

    /** An array of structs, such as the keys of a config fetch: each element is a list of fields. */
    record FieldList(List<List<Field>> elements) implements Field {
        public FieldList {
            elements = elements.stream().map(List::copyOf).toList();
        }

        @Override
        public FieldType type() {
            return FieldType.LIST;
        }
    }
}
