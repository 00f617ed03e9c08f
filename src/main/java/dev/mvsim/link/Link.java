package dev.mvsim.link;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path from one device kernel to the cloud: an {@link ItemDirectory} seen through a
 * {@link FaultPlan}. The link has no random state. The kernel passes its own seeded generator
 * so that one seed replays a whole scenario.
 */
public final class Link {

    private static final Logger log = LoggerFactory.getLogger(Link.class);

    private final ItemDirectory directory;
    private final FaultPlan plan;

    public Link(ItemDirectory directory, FaultPlan plan) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.plan = Objects.requireNonNull(plan, "plan");
    }

    public FaultPlan plan() {
        return plan;
    }

    /** Draws the round-trip latency of one fetch, in microseconds. */
    public long sampleLatencyMicros(RandomGenerator random) {
        return plan.latency().sampleMicros(random);
    }

    /**
     * Looks up the items for the device, one result per item in request order. Keys the plan marks
     * as failing are not looked up and come back as server errors, and so does every item when the
     * directory throws.
     */
    public List<ItemLookup> fetch(String deviceSid, List<ItemRef> items) {
        List<ItemRef> toLookUp = new ArrayList<>(items.size());
        for (ItemRef item : items) {
            if (!plan.serverErrorKeys().contains(item.key())) {
                toLookUp.add(item);
            }
        }

        List<ItemLookup> found;
        try {
            found = toLookUp.isEmpty() ? List.of() : directory.lookup(deviceSid, toLookUp);
        } catch (RuntimeException e) {
            log.warn("Item lookup for device {} failed; every item of the fetch gets SERVERERROR", deviceSid, e);
            return items.stream().<ItemLookup>map(item -> new ItemLookup.ServerError("lookup failed")).toList();
        }
        if (found.size() != toLookUp.size()) {
            log.warn("Item directory returned {} results for {} items of device {}; every item gets SERVERERROR",
                    found.size(), toLookUp.size(), deviceSid);
            return items.stream().<ItemLookup>map(item -> new ItemLookup.ServerError("lookup failed")).toList();
        }

        List<ItemLookup> results = new ArrayList<>(items.size());
        int next = 0;
        for (ItemRef item : items) {
            if (plan.serverErrorKeys().contains(item.key())) {
                results.add(new ItemLookup.ServerError("fault plan: server error for this key"));
            } else {
                results.add(found.get(next++));
            }
        }
        return results;
    }
}
