package dev.mvsim.kernel;

/**
 * Out-parameters of the raw system calls. A C call writes its results through pointers, and the raw
 * Java calls take one of these holders instead. A null holder is a NULL pointer.
 * Holders are plain mutable objects and are not thread-safe.
 */
public final class Out {

    private Out() {
    }

    /** A {@code uint32_t *}. The value is unsigned: read it with {@link Integer#toUnsignedLong}. */
    public static final class U32 {
        public int value;

        @Override
        public String toString() {
            return Integer.toUnsignedString(value);
        }
    }

    /** A {@code uint64_t *}. */
    public static final class U64 {
        public long value;

        @Override
        public String toString() {
            return Long.toUnsignedString(value);
        }
    }

    /**
     * A pointer to a handle. The open calls write the new handle here; the close calls read the
     * handle from here and write 0 back on success.
     */
    public static final class Handle {
        public long value;

        public Handle() {
        }

        public Handle(long value) {
            this.value = value;
        }

        @Override
        public String toString() {
            return "0x" + Long.toHexString(value);
        }
    }

    /** A pointer to a 32-bit C enum, holding the Java constant. */
    public static final class Value<T> {
        public T value;

        @Override
        public String toString() {
            return String.valueOf(value);
        }
    }
}
