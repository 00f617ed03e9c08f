package dev.mvsim.kernel;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Live kernel objects by handle. Handles are random non-zero 32-bit values from the kernel's
 * seeded generator, typed by the object they name, and never issued twice in a kernel's life.
 */
final class HandleTable {

    private static final long MAX_HANDLE = 0xFFFF_FFFFL;

    private final RandomGenerator random;
    private final Set<Long> issued = new HashSet<>();
    private final Map<Long, Object> live = new HashMap<>();

    HandleTable(RandomGenerator random) {
        this.random = random;
    }

    /** Draws a handle that this table has never issued; {@link #bind} then makes it live. */
    long newHandle() {
        long handle;
        do {
            handle = random.nextInt() & MAX_HANDLE;
        } while (handle == 0 || !issued.add(handle));
        return handle;
    }

    void bind(long handle, Object object) {
        live.put(handle, object);
    }

    /** Returns the live object of the given type, or null for 0, a stale handle, a value above 32 bits or another type. */
    <T> T get(long handle, Class<T> type) {
        if (handle <= 0 || handle > MAX_HANDLE) {
            return null;
        }
        Object object = live.get(handle);
        return type.isInstance(object) ? type.cast(object) : null;
    }

    void remove(long handle) {
        live.remove(handle);
    }

    int liveCount() {
        return live.size();
    }
}
