package dev.mvsim.kernel.client;

import dev.mvsim.kernel.MvConfigKeyFetchResult;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.link.ItemRef;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One item of a fetch as firmware would see it. {@code toString} shows the value's length only,
 * because the value may be a secret.
 *
 * @param ref        the key that was requested
 * @param readStatus what {@code mvReadConfigResponseItem} returned for it
 * @param result     the per-item result, or null when the read failed before setting it
 * @param value      the value's bytes when the result is OK and the value fit the read buffer, else null
 * @param length     the length {@code mvReadConfigResponseItem} reported
 */
public record FetchedItem(ItemRef ref, MvStatus readStatus, MvConfigKeyFetchResult result, byte[] value, int length) {

    /** Returns true when the item was read and found. */
    public boolean isFound() {
        return readStatus == MvStatus.OKAY && result == MvConfigKeyFetchResult.OK;
    }

    /** Returns a copy of the value's bytes, or empty when the item was not read or not found. */
    public Optional<byte[]> bytes() {
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    /**
     * Returns the value as UTF-8 text.
     *
     * @throws IllegalStateException when the item has no value, naming the key and why
     */
    public String asString() {
        if (value == null) {
            throw new IllegalStateException("item " + describeRef() + " has no value: read status "
                    + readStatus + ", result " + result + ", length " + Integer.toUnsignedString(length));
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    private String describeRef() {
        return ref.scope() + "/" + ref.store() + "/" + ref.key();
    }

    @Override
    public String toString() {
        return "FetchedItem[" + describeRef() + ": " + readStatus + ", " + result + ", "
                + Integer.toUnsignedString(length) + " bytes]";
    }
}
