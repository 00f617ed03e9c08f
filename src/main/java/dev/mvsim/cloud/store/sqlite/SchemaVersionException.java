package dev.mvsim.cloud.store.sqlite;

/** Thrown when a database file was written by a newer mvsim, or is not an mvsim store at all. */
public final class SchemaVersionException extends RuntimeException {

    public SchemaVersionException(String message) {
        super(message);
    }
}
