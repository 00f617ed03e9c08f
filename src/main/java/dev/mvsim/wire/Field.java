package dev.mvsim.wire;

import java.util.Arrays;
import java.util.List;

/**
 * One typed payload field. Integers are unsigned on the wire and kept in Java's signed types.
 *
 * <p>The records write out equals and hashCode because the generated ones dispatch through method
 * handles. In a JFR profile of {@code bench/bridge-frame-cost.sh}, those handles took a few per cent
 * of the selector thread's samples, mostly while reported outputs were compared with the kernel's.
 */
public sealed interface Field {

    FieldType type();

    /** An output the kernel did not write; the C library leaves the app's variable alone. */
    record None() implements Field {
        public static final None INSTANCE = new None();

        @Override
        public FieldType type() {
            return FieldType.NONE;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof None;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** An unsigned 32-bit value held in an {@code int}; use {@link Integer#toUnsignedLong} to widen it. */
    record U32(int value) implements Field {
        @Override
        public FieldType type() {
            return FieldType.U32;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof U32 u32 && u32.value == value;
        }

        @Override
        public int hashCode() {
            return Integer.hashCode(value);
        }
    }

    /** An unsigned 64-bit value: a handle, an address or microseconds. */
    record U64(long value) implements Field {
        @Override
        public FieldType type() {
            return FieldType.U64;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof U64 u64 && u64.value == value;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(value);
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

        @Override
        public boolean equals(Object other) {
            return other instanceof Pointer pointer && pointer.present == present && pointer.address == address;
        }

        @Override
        public int hashCode() {
            return 31 * Boolean.hashCode(present) + Long.hashCode(address);
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
            // A loop rather than a stream, because every decoded list passes here. List.copyOf returns
            // an immutable list, such as the codec's, as it is.
            @SuppressWarnings("unchecked")
            List<Field>[] copies = new List[elements.size()];
            for (int i = 0; i < copies.length; i++) {
                copies[i] = List.copyOf(elements.get(i));
            }
            elements = List.of(copies);
        }

        @Override
        public FieldType type() {
            return FieldType.LIST;
        }
    }
}
