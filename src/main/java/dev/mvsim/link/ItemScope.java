package dev.mvsim.link;

/**
 * The visibility of a config or secret item. The ordinals equal the values of the C enum
 * {@code MvConfigKeyFetchScope}: ACCOUNT is 0, DEVICE is 1.
 */
public enum ItemScope {
    /** Shared by every device of the account. */
    ACCOUNT,
    /** Visible to one device only. */
    DEVICE;

    /** Returns the scope with the given C enum value, or null when the value names none. */
    public static ItemScope fromWireValue(long value) {
        if (value == 0) {
            return ACCOUNT;
        }
        if (value == 1) {
            return DEVICE;
        }
        return null;
    }
}
