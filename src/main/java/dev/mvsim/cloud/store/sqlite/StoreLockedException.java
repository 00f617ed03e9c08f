package dev.mvsim.cloud.store.sqlite;

import java.nio.file.Path;

/**
 * Thrown when another process, or another open store in this process, holds the data
 * directory's lock file. The message names the directory and, when known, the holder's process id.
 */
public final class StoreLockedException extends RuntimeException {

    private final Path dataDirectory;

    StoreLockedException(Path dataDirectory, String message) {
        super(message);
        this.dataDirectory = dataDirectory;
    }

    /** Returns the data directory whose lock is held. */
    public Path dataDirectory() {
        return dataDirectory;
    }
}
