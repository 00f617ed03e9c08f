package dev.mvsim.kernel;

import java.util.List;

/** A config fetch response as it sits in a channel's receive buffer. */
record ConfigResponse(MvConfigFetchResult result, List<Item> items) {

    /** One item; {@code value} is null unless {@code result} is OK. */
    record Item(MvConfigKeyFetchResult result, byte[] value) {
        @Override
        public String toString() {
            return "Item[" + result + (value == null ? "" : ", " + value.length + " bytes") + "]";
        }
    }
}
