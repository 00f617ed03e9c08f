package dev.mvsim.cloud.store.sqlite;

/**
 * Thrown when the SQLite database cannot be read or written (I/O error, full disk, corrupt
 * file, closed store). The message names the operation and the database file.
 */
public final class StoreAccessException extends RuntimeException {

    public StoreAccessException(String message) {
        super(message);
    }

    public StoreAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
