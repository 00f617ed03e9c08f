package dev.mvsim.link;

/**
 * Which of the two stores holds an item. The ordinals equal the values of the C enum
 * {@code MvConfigKeyFetchStore}: SECRET is 0, CONFIG is 1 (the reverse of what the
 * REST paths' order suggests).
 */
public enum ItemStore {
    /** Write-only from the REST side: the value is never returned by the REST API. */
    SECRET,
    /** Readable and writable through the REST API. */
    CONFIG;

    /** Returns the store with the given C enum value, or null when the value names none. */
    public static ItemStore fromWireValue(long value) {
        if (value == 0) {
            return SECRET;
        }
        if (value == 1) {
            return CONFIG;
        }
        return null;
    }
}
