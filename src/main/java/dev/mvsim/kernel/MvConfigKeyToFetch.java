package dev.mvsim.kernel;

/**
 * The C {@code struct MvConfigKeyToFetch}, with the raw enum values.
 *
 * @param scope the raw {@code MvConfigKeyFetchScope}: 0 ACCOUNT, 1 DEVICE
 * @param store the raw {@code MvConfigKeyFetchStore}: 0 SECRET, 1 CONFIG
 * @param key   the key name
 */
public record MvConfigKeyToFetch(int scope, int store, MvSizedString key) {
}
