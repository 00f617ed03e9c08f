package dev.mvsim.kernel;

import java.util.random.RandomGenerator;

/**
 * Live kernel objects by handle. Handles are non-zero 32-bit values that look random: the table
 * counts the handles it issues and maps each count through a permutation of the 32-bit values
 * keyed from the kernel's seeded generator. A permutation never maps two counts to one value, so
 * no handle is issued twice until the count wraps after 2^32 - 1 handles, and the table remembers
 * only live handles, however many the app opens and closes.
 *
 * <p>After a wrap a value may come back, but never while it is live. An app would have to keep a
 * stale copy of a closed handle across more than four billion opens and closes for it to name a
 * new object.
 */
final class HandleTable {

    private static final int HANDLE_BITS = 32;

    private final LongHashMap<Object> live = new LongHashMap<>();
    private final long mask;
    private final long xorKey;
    private final long firstMultiplier;
    private final long secondMultiplier;
    private final int shift;
    private long count;

    HandleTable(RandomGenerator random) {
        this(random, HANDLE_BITS);
    }

    /** Creates a table whose handles have {@code bits} bits, fewer than 32 only so that tests can reach a wrap. */
    HandleTable(RandomGenerator random, int bits) {
        if (bits < 4 || bits > HANDLE_BITS) {
            throw new IllegalArgumentException("handle width must be 4 to 32 bits, got " + bits);
        }
        this.mask = (1L << bits) - 1;
        this.shift = bits / 2;
        long key = random.nextLong();
        this.xorKey = key & mask;
        // Multiplying by an odd number is invertible modulo a power of two.
        this.firstMultiplier = ((key >>> 32) | 1) & mask;
        this.secondMultiplier = 0x2c1b3c6dL & mask | 1;
    }

    /**
     * Issues the next handle: a non-zero value that is not live and that this table has not issued
     * since its count last wrapped. {@link #bind} then makes it live.
     *
     * @throws IllegalStateException if every value is live, which needs more live objects than
     *     the kernel's limits allow
     */
    long newHandle() {
        for (long tried = 0; tried <= mask; tried++) {
            long handle = permute(count);
            count = (count + 1) & mask;
            if (handle != 0 && !live.containsKey(handle)) {
                return handle;
            }
        }
        throw new IllegalStateException("all " + mask + " handle values are live; close some objects first");
    }

    /** Returns true if {@code handle} is a value this table can issue and no object is bound to it now. */
    boolean isFree(long handle) {
        return handle > 0 && handle <= mask && !live.containsKey(handle);
    }

    void bind(long handle, Object object) {
        live.put(handle, object);
    }

    /** Returns the live object of the given type, or null for 0, a stale handle, a value above 32 bits or another type. */
    <T> T get(long handle, Class<T> type) {
        if (handle <= 0 || handle > mask) {
            return null;
        }
        Object object = live.get(handle);
        return type.isInstance(object) ? type.cast(object) : null;
    }

    /** Forgets a closed handle; the table keeps no record of it afterwards. */
    void remove(long handle) {
        live.remove(handle);
    }

    int liveCount() {
        return live.size();
    }

    /**
     * Maps a count to a handle value. Each step (XOR with a constant, multiplication by an odd
     * number, XOR with its own upper half) is a bijection of the values below 2^bits, so their
     * composition is one too.
     */
    private long permute(long value) {
        long mixed = value ^ xorKey;
        mixed = (mixed * firstMultiplier) & mask;
        mixed ^= mixed >>> shift;
        mixed = (mixed * secondMultiplier) & mask;
        mixed ^= mixed >>> shift;
        return mixed;
    }
}
