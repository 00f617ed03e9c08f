package dev.mvsim.link;

import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of looking up one item for a device. A found item carries the stored text as
 * UTF-8 bytes; its {@code toString} shows only the length, because the value may be a secret.
 */
public sealed interface ItemLookup {

    /** The item exists; {@code value} is the stored text encoded as UTF-8. */
    record Found(byte[] value) implements ItemLookup {
        public Found {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Found found && Arrays.equals(value, found.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Found[" + value.length + " bytes]";
        }
    }

    /** No item with that key exists in that store and scope. */
    record NotFound() implements ItemLookup {}

    /** The cloud failed to produce the item; the device sees SERVERERROR for it. */
    record ServerError(String reason) implements ItemLookup {}

    ItemLookup NOT_FOUND = new NotFound();
}
