package dev.mvsim.cloud.store.sqlite;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every write on one connection, committing the writes that queued up while the previous
 * commit ran in a single transaction (group commit). A caller returns only after the transaction
 * holding its write has committed, so each returned write is as durable as the synchronous level
 * makes a commit, while the per-commit cost (an fsync under {@link Synchronous#FULL}) is shared
 * by all writers that were waiting.
 *
 * <p>There is no writer thread. A caller queues its write and takes the commit lock; whoever
 * holds the lock drains the queue and commits on behalf of everyone in it, so a lone writer
 * commits on its own thread without a hand-off, and a caller whose write was committed by an
 * earlier lock holder only returns.
 *
 * <p>Writes keep their queue order inside a batch, so a later write sees the effect of an
 * earlier one. When one write of a batch fails, the batch is rolled back and each of its writes
 * is retried in a transaction of its own, so the failure reaches only the caller that caused it.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final StatementCache connection;
    private final int maxBatchSize;
    private final String databaseName;
    private final BlockingQueue<PendingWrite<?>> queue = new LinkedBlockingQueue<>();

    /** Held while the connection runs a batch; guards {@code connection} and {@code batch}. */
    private final ReentrantLock commitLock = new ReentrantLock();
    private final List<PendingWrite<?>> batch = new ArrayList<>();

    /** Guards {@code closed} together with queueing, so nothing is queued after close. */
    private final Object queueLock = new Object();
    private boolean closed;

    GroupCommitWriter(StatementCache connection, int maxBatchSize, String databaseName) {
        this.connection = connection;
        this.maxBatchSize = maxBatchSize;
        this.databaseName = databaseName;
    }

    /**
     * Runs {@code work} in a transaction and returns after that transaction has committed,
     * without reacting to interrupts; {@code operation} names the work in errors.
     */
    <T> T write(Supplier<String> operation, SqlWork<T> work) {
        PendingWrite<T> pending = new PendingWrite<>(operation, work);
        synchronized (queueLock) {
            if (closed) {
                throw new StoreAccessException(
                        "cannot " + operation.get() + ": the store " + databaseName + " is closed");
            }
            queue.add(pending);
        }

        commitLock.lock();
        try {
            // The queue is FIFO, so draining it batch by batch reaches this write.
            while (!pending.result.isDone()) {
                commitNextBatch();
            }
        } finally {
            commitLock.unlock();
        }

        try {
            return pending.result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Returns the number of writes waiting for the commit lock, for tests that build a batch. */
    int queuedWrites() {
        return queue.size();
    }

    private void commitNextBatch() {
        batch.clear();
        queue.drainTo(batch, maxBatchSize);
        if (!batch.isEmpty()) {
            commitBatch(batch);
        }
        batch.clear();
    }

    private void commitBatch(List<PendingWrite<?>> writes) {
        List<Object> results = new ArrayList<>(writes.size());
        try {
            for (PendingWrite<?> pending : writes) {
                results.add(pending.work.run(connection));
            }
            connection.connection().commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            if (writes.size() == 1) {
                writes.get(0).fail(e, databaseName);
            } else {
                commitOneByOne(writes);
            }
            return;
        }

        for (int i = 0; i < writes.size(); i++) {
            writes.get(i).complete(results.get(i));
        }
    }

    private void commitOneByOne(List<PendingWrite<?>> writes) {
        for (PendingWrite<?> pending : writes) {
            Object result;
            try {
                result = pending.work.run(connection);
                connection.connection().commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                pending.fail(e, databaseName);
                continue;
            }
            pending.complete(result);
        }
    }

    private void rollbackQuietly() {
        try {
            connection.connection().rollback();
        } catch (SQLException e) {
            log.error("Rollback failed on {}; later writes may fail too", databaseName, e);
        }
    }

    /** Commits every write queued before the call, then closes the connection. */
    @Override
    public void close() throws SQLException {
        synchronized (queueLock) {
            if (closed) {
                return;
            }
            closed = true;
        }

        commitLock.lock();
        try {
            while (!queue.isEmpty()) {
                commitNextBatch();
            }
            connection.close();
        } finally {
            commitLock.unlock();
        }
    }

    private static final class PendingWrite<T> {
        final Supplier<String> operation;
        final SqlWork<T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();

        PendingWrite(Supplier<String> operation, SqlWork<T> work) {
            this.operation = operation;
            this.work = work;
        }

        @SuppressWarnings("unchecked")
        void complete(Object value) {
            result.complete((T) value);
        }

        void fail(Exception e, String databaseName) {
            RuntimeException failure = e instanceof RuntimeException runtime
                    ? runtime
                    : new StoreAccessException("failed to " + operation.get() + " in "
                            + databaseName + ": " + e.getMessage(), e);
            result.completeExceptionally(failure);
        }
    }
}
