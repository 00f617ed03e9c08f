package dev.mvsim.cloud.store.crypto;

/**
 * Thrown when a sealed value fails authentication: a wrong master key, tampered bytes, or a row
 * copied to another identity. The message names the record, never its value.
 */
public final class DecryptionFailedException extends RuntimeException {

    public DecryptionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
