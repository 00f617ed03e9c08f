package dev.mvsim.cloud.store.sqlite;

import java.util.Objects;

/**
 * Tuning of a {@link SqliteCloudStore}.
 *
 * @param synchronous what a returned write survives; see {@link Synchronous}
 * @param readConnections number of pooled read-only connections, so that reads run in parallel
 *     with each other and with the single writer
 * @param maxBatchSize most writes committed together in one transaction (group commit)
 */
public record SqliteStoreOptions(Synchronous synchronous, int readConnections, int maxBatchSize) {

    /** Survives {@code kill -9}, not power loss; the simulator's data is test data. */
    public static final Synchronous DEFAULT_SYNCHRONOUS = Synchronous.NORMAL;

    public static final int DEFAULT_READ_CONNECTIONS = 4;

    public static final int DEFAULT_MAX_BATCH_SIZE = 256;

    public SqliteStoreOptions {
        Objects.requireNonNull(synchronous, "synchronous");
        if (readConnections < 1) {
            throw new IllegalArgumentException(
                    "readConnections must be at least 1, got " + readConnections);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException(
                    "maxBatchSize must be at least 1, got " + maxBatchSize);
        }
    }

    public static SqliteStoreOptions defaults() {
        return new SqliteStoreOptions(
                DEFAULT_SYNCHRONOUS, DEFAULT_READ_CONNECTIONS, DEFAULT_MAX_BATCH_SIZE);
    }

    public SqliteStoreOptions withSynchronous(Synchronous level) {
        return new SqliteStoreOptions(level, readConnections, maxBatchSize);
    }

    public SqliteStoreOptions withReadConnections(int count) {
        return new SqliteStoreOptions(synchronous, count, maxBatchSize);
    }

    public SqliteStoreOptions withMaxBatchSize(int size) {
        return new SqliteStoreOptions(synchronous, readConnections, size);
    }
}
