package dev.mvsim.cloud.store.sqlite;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A fixed set of read connections. In WAL mode readers do not wait for the writer, so reads run
 * in parallel up to the pool size. A reader beyond that waits for a free connection.
 */
final class ReadConnectionPool implements AutoCloseable {

    /** How long a read waits for a free connection before it fails. */
    private static final long BORROW_TIMEOUT_SECONDS = 30;

    private final BlockingQueue<StatementCache> idle;
    private final List<StatementCache> all;
    private final String databaseName;

    ReadConnectionPool(ConnectionFactory factory, int size, String databaseName) throws SQLException {
        this.idle = new ArrayBlockingQueue<>(size);
        this.all = new ArrayList<>(size);
        this.databaseName = databaseName;
        try {
            for (int i = 0; i < size; i++) {
                StatementCache connection = new StatementCache(factory.openReader());
                all.add(connection);
                idle.add(connection);
            }
        } catch (SQLException e) {
            try {
                close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /** Runs {@code work} on a borrowed connection; {@code operation} names it in errors. */
    <T> T read(Supplier<String> operation, SqlWork<T> work) {
        StatementCache connection = borrow(operation);
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreAccessException(
                    "failed to " + operation.get() + " in " + databaseName + ": " + e.getMessage(), e);
        } finally {
            idle.add(connection);
        }
    }

    private StatementCache borrow(Supplier<String> operation) {
        try {
            StatementCache connection = idle.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (connection == null) {
                throw new StoreAccessException("timed out after " + BORROW_TIMEOUT_SECONDS
                        + " s waiting for a read connection to " + operation.get() + " in "
                        + databaseName + "; raise readConnections or find the stuck reader");
            }
            return connection;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreAccessException("interrupted while waiting to " + operation.get(), e);
        }
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (StatementCache connection : all) {
            try {
                connection.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
