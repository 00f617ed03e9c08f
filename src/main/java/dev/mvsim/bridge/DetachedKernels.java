package dev.mvsim.bridge;

import dev.mvsim.host.DeviceSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernels of devices whose connection dropped, kept so that the same device, in the same boot,
 * finds its handles, channels and clock again when it reconnects. At most {@code maxKernels} are
 * kept, each for at most {@code maxAge}; the oldest go first. Expired kernels are closed when a
 * device connects or disconnects, so one may outlive its age while the bridge is idle.
 */
final class DetachedKernels implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DetachedKernels.class);

    private record Key(String deviceSid, long bootId) {
    }

    private record Kept(DeviceSession session, long detachedAtNanos) {
    }

    private final int maxKernels;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final Map<Key, Kept> kept = new LinkedHashMap<>();

    DetachedKernels(int maxKernels, Duration maxAge, LongSupplier nanoTime) {
        if (maxKernels < 0) {
            throw new IllegalArgumentException("the number of kept kernels must not be negative, got " + maxKernels);
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("the age of kept kernels must not be negative, got " + maxAge);
        }
        this.maxKernels = maxKernels;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Keeps the kernel of a device that lost its connection, closing the oldest kept one beyond the limit. */
    void keep(String deviceSid, long bootId, DeviceSession session) {
        List<Kept> dropped = new ArrayList<>();
        synchronized (this) {
            collectExpired(dropped, "it was detached longer than " + Duration.ofNanos(maxAgeNanos));
            // Removed first, so that the entry moves to the end of the detach order.
            Key key = new Key(deviceSid, bootId);
            Kept earlier = kept.remove(key);
            kept.put(key, new Kept(session, nanoTime.getAsLong()));
            if (earlier != null) {
                dropped.add(earlier);
            }
            Iterator<Map.Entry<Key, Kept>> oldest = kept.entrySet().iterator();
            while (kept.size() > maxKernels && oldest.hasNext()) {
                Map.Entry<Key, Kept> entry = oldest.next();
                oldest.remove();
                log.info("bridge dropped the kept kernel of device {}: more than {} disconnected devices are kept",
                        entry.getKey().deviceSid(), maxKernels);
                dropped.add(entry.getValue());
            }
        }
        closeAll(dropped);
    }

    /** Removes and returns the kernel kept for this device and boot, or null when none is kept. */
    DeviceSession take(String deviceSid, long bootId) {
        List<Kept> dropped = new ArrayList<>();
        Kept found;
        synchronized (this) {
            collectExpired(dropped, "it was detached longer than " + Duration.ofNanos(maxAgeNanos));
            found = kept.remove(new Key(deviceSid, bootId));
        }
        closeAll(dropped);
        return found == null ? null : found.session();
    }

    /** Closes every kernel kept for the device, because it rebooted and will not ask for them again. */
    void forget(String deviceSid) {
        List<Kept> dropped = new ArrayList<>();
        synchronized (this) {
            Iterator<Map.Entry<Key, Kept>> entries = kept.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<Key, Kept> entry = entries.next();
                if (entry.getKey().deviceSid().equals(deviceSid)) {
                    entries.remove();
                    log.info("bridge dropped the kept kernel of device {}: it reconnected with another boot id",
                            deviceSid);
                    dropped.add(entry.getValue());
                }
            }
        }
        closeAll(dropped);
    }

    synchronized int size() {
        return kept.size();
    }

    private void collectExpired(List<Kept> dropped, String reason) {
        long now = nanoTime.getAsLong();
        Iterator<Map.Entry<Key, Kept>> entries = kept.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Key, Kept> entry = entries.next();
            // Entries are in detach order, so the first one still young ends the scan.
            if (now - entry.getValue().detachedAtNanos() <= maxAgeNanos) {
                return;
            }
            entries.remove();
            log.info("bridge dropped the kept kernel of device {}: {}", entry.getKey().deviceSid(), reason);
            dropped.add(entry.getValue());
        }
    }

    private static void closeAll(List<Kept> dropped) {
        for (Kept entry : dropped) {
            entry.session().close();
        }
    }

    @Override
    public void close() {
        List<Kept> all;
        synchronized (this) {
            all = new ArrayList<>(kept.values());
            kept.clear();
        }
        closeAll(all);
    }
}
