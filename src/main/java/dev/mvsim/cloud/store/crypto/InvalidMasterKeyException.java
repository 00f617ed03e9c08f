package dev.mvsim.cloud.store.crypto;

/**
 * Thrown when a master key cannot be used: malformed text, a key file that others can read, or
 * ({@link MasterKeyMismatchException}) a key that does not match the one a store was created
 * with. The message never contains key material.
 */
public class InvalidMasterKeyException extends RuntimeException {

    public InvalidMasterKeyException(String message) {
        super(message);
    }

    public InvalidMasterKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
