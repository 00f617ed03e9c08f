package dev.mvsim.kernel;

/**
 * A hash map from non-zero {@code long} keys to objects, with open addressing and linear probing.
 * It stores keys unboxed, so a lookup allocates nothing and reads two arrays. The kernel looks up
 * a handle in almost every system call, and a {@code HashMap<Long, Object>} boxed each key.
 *
 * <p>Key 0 marks a free slot, so 0 cannot be stored. Not thread-safe.
 */
final class LongHashMap<V> {

    private static final int INITIAL_CAPACITY = 16;

    /** 2^64 divided by the golden ratio: multiplying by it spreads nearby keys over the table. */
    private static final long SPREAD = 0x9E3779B97F4A7C15L;

    private long[] keys = new long[INITIAL_CAPACITY];
    private Object[] values = new Object[INITIAL_CAPACITY];
    private int size;

    /** Returns the value stored for {@code key}, or null when there is none. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        if (key == 0) {
            return null;
        }
        int mask = keys.length - 1;
        for (int slot = slotOf(key, mask); keys[slot] != 0; slot = (slot + 1) & mask) {
            if (keys[slot] == key) {
                return (V) values[slot];
            }
        }
        return null;
    }

    boolean containsKey(long key) {
        return get(key) != null;
    }

    /**
     * Stores {@code value} for {@code key}, replacing any earlier value.
     *
     * @throws IllegalArgumentException if the key is 0 or the value is null
     */
    void put(long key, V value) {
        if (key == 0 || value == null) {
            throw new IllegalArgumentException("cannot store key " + key + " with value " + value
                    + "; the key must not be 0 and the value must not be null");
        }
        int mask = keys.length - 1;
        int slot = slotOf(key, mask);
        while (keys[slot] != 0) {
            if (keys[slot] == key) {
                values[slot] = value;
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value;
        size++;

        // At most half full, so that a probe ends at a free slot after a few steps.
        if (2 * size > keys.length) {
            grow();
        }
    }

    /** Removes the value of {@code key}, if there is one. */
    void remove(long key) {
        if (key == 0) {
            return;
        }
        int mask = keys.length - 1;
        int slot = slotOf(key, mask);
        while (keys[slot] != key) {
            if (keys[slot] == 0) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        size--;

        // Moves later keys of the probe run back into the gap, so that no lookup stops early at it.
        int gap = slot;
        for (int next = (gap + 1) & mask; keys[next] != 0; next = (next + 1) & mask) {
            int home = slotOf(keys[next], mask);
            // The key may fill the gap unless its home slot lies cyclically after the gap, up to its own slot.
            boolean homeBetween = gap <= next ? gap < home && home <= next : gap < home || home <= next;
            if (!homeBetween) {
                keys[gap] = keys[next];
                values[gap] = values[next];
                gap = next;
            }
        }
        keys[gap] = 0;
        values[gap] = null;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = slotOf(oldKeys[i], mask);
                while (keys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }

    private static int slotOf(long key, int mask) {
        return (int) ((key * SPREAD) >>> 32) & mask;
    }
}
