package dev.mvsim.cloud.store.crypto;

/**
 * Thrown when a store was created under another master key than the one given. The message
 * names where the given key came from, never the key.
 */
public final class MasterKeyMismatchException extends InvalidMasterKeyException {

    public MasterKeyMismatchException(String message) {
        super(message);
    }
}
