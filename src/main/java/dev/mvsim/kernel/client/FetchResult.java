package dev.mvsim.kernel.client;

import dev.mvsim.kernel.MvStatus;
import dev.mvsim.link.ItemRef;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The end of one fetch: its outcome, the status of the call that decided it, and the items in
 * request order (empty unless the outcome is OK).
 *
 * @param outcome how the fetch ended
 * @param status  the status of the call that ended it: OKAY for OK, RESPONSE_TOO_LARGE and
 *                TIMED_OUT; the rejecting call's status for REJECTED; CHANNELCLOSED for
 *                CHANNEL_NOT_CONNECTED
 * @param items   the items, in request order
 */
public record FetchResult(FetchOutcome outcome, MvStatus status, List<FetchedItem> items) {

    public FetchResult {
        items = List.copyOf(items);
    }

    /** Returns the item requested under this key; the first one when a key was requested twice. */
    public FetchedItem item(String key) {
        for (FetchedItem item : items) {
            if (item.ref().key().equals(key)) {
                return item;
            }
        }
        throw new NoSuchElementException("no item with key \"" + key + "\" in this result; its keys are "
                + items.stream().map(FetchedItem::ref).map(ItemRef::key).toList() + " (outcome " + outcome + ")");
    }

    public FetchedItem item(int index) {
        return items.get(index);
    }
}
