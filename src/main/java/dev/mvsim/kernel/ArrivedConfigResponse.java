package dev.mvsim.kernel;

import java.util.List;

/**
 * A config fetch response that has arrived on an open channel, exactly as
 * {@code mvReadConfigFetchResponseData} and {@code mvReadConfigResponseItem} return it while the
 * channel stays open. The values are copies, and {@code toString} shows only their lengths.
 *
 * @param channelHandle the channel's handle
 * @param result        the fetch's overall result
 * @param items         the items in request order
 */
public record ArrivedConfigResponse(long channelHandle, MvConfigFetchResult result, List<Item> items) {

    public ArrivedConfigResponse {
        items = List.copyOf(items);
    }

    /** One item: its result, and its value, which is empty unless the item was found. */
    public record Item(MvConfigKeyFetchResult result, byte[] value) {

        public Item {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public String toString() {
            return "Item[" + result + ", " + value.length + " bytes]";
        }
    }
}
