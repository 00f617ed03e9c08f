package dev.mvsim.kernel;

/**
 * The C {@code struct MvConfigKeyFetchParams}. A null {@code keysToFetch}, or an array shorter
 * than {@code numItems}, is a bad nested pointer and gives {@code LATEFAULT}.
 *
 * @param numItems    how many keys the request names, unsigned 32-bit
 * @param keysToFetch the keys, or null for a NULL pointer
 */
public record MvConfigKeyFetchParams(int numItems, MvConfigKeyToFetch[] keysToFetch) {
}
