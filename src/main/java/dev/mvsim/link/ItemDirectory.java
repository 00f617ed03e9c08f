package dev.mvsim.link;

import java.util.List;

/**
 * The cloud as one device sees it when it fetches configs and secrets. The simulated cloud
 * implements it; device kernels call it through a link that adds latency and faults.
 */
public interface ItemDirectory {

    /**
     * Looks up each item for the device with the given SID, resolving account scope through the
     * device's account. The result has one entry per requested item, in request order. A store
     * failure for one item yields {@link ItemLookup.ServerError} for it rather than an exception.
     */
    List<ItemLookup> lookup(String deviceSid, List<ItemRef> items);
}
