package dev.mvsim.link;

/**
 * Who can see a config or secret item. The ordinals equal the values of the C enum
 * {@code MvConfigKeyFetchScope}: ACCOUNT is 0, DEVICE is 1.
 */
public enum ItemScope {
    /** Shared by every device of the account. */
    ACCOUNT,
    /** Visible to one device only. */
    DEVICE;

    /** Returns the scope with the given C enum value, or null when the value names none. */
    public static ItemScope fromWireValue(long value) {
        return value == 0 ? ACCOUNT : value == 1 ? DEVICE : null;
    }
}
