package dev.mvsim.bridge;

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

    private record KeptKernel(KeptDevice device, long detachedAtNanos) {
    }

    private final int maxKernels;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final Map<Key, KeptKernel> keptKernels = new LinkedHashMap<>();

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
    void keep(String deviceSid, long bootId, KeptDevice device) {
        List<KeptKernel> dropped = new ArrayList<>();
        synchronized (this) {
            collectExpired(dropped, "it was detached longer than " + Duration.ofNanos(maxAgeNanos));
            // Removed first, so that the entry moves to the end of the detach order.
            Key key = new Key(deviceSid, bootId);
            KeptKernel earlier = keptKernels.remove(key);
            keptKernels.put(key, new KeptKernel(device, nanoTime.getAsLong()));
            if (earlier != null) {
                dropped.add(earlier);
            }
            Iterator<Map.Entry<Key, KeptKernel>> oldest = keptKernels.entrySet().iterator();
            while (keptKernels.size() > maxKernels && oldest.hasNext()) {
                Map.Entry<Key, KeptKernel> entry = oldest.next();
                oldest.remove();
                log.info("bridge dropped the kept kernel of device {}: more than {} disconnected devices are kept",
                        entry.getKey().deviceSid(), maxKernels);
                dropped.add(entry.getValue());
            }
        }
        closeAll(dropped);
    }

    /** Removes and returns the kernel kept for this device and boot, or null when none is kept. */
    KeptDevice take(String deviceSid, long bootId) {
        List<KeptKernel> dropped = new ArrayList<>();
        KeptKernel found;
        synchronized (this) {
            collectExpired(dropped, "it was detached longer than " + Duration.ofNanos(maxAgeNanos));
            found = keptKernels.remove(new Key(deviceSid, bootId));
        }
        closeAll(dropped);
        return found == null ? null : found.device();
    }

    /** Closes every kernel kept for the device, because it rebooted and will not ask for them again. */
    void forget(String deviceSid) {
        List<KeptKernel> dropped = new ArrayList<>();
        synchronized (this) {
            Iterator<Map.Entry<Key, KeptKernel>> entries = keptKernels.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<Key, KeptKernel> entry = entries.next();
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
        return keptKernels.size();
    }

    private void collectExpired(List<KeptKernel> dropped, String reason) {
        long now = nanoTime.getAsLong();
        Iterator<Map.Entry<Key, KeptKernel>> entries = keptKernels.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Key, KeptKernel> entry = entries.next();
            // Entries are in detach order, so the first one still young ends the scan.
            if (now - entry.getValue().detachedAtNanos() <= maxAgeNanos) {
                return;
            }
            entries.remove();
            log.info("bridge dropped the kept kernel of device {}: {}", entry.getKey().deviceSid(), reason);
            dropped.add(entry.getValue());
        }
    }

    private static void closeAll(List<KeptKernel> dropped) {
        for (KeptKernel entry : dropped) {
            entry.device().close();
        }
    }

    @Override
    public void close() {
        List<KeptKernel> all;
        synchronized (this) {
            all = new ArrayList<>(keptKernels.values());
            keptKernels.clear();
        }
        closeAll(all);
    }
}
