package dev.mvsim.cloud.store.sqlite;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every write on one thread and connection, committing the writes that queued up while the
 * previous commit ran in a single transaction (group commit). A caller returns only after the
 * transaction holding its write has committed, so each returned write is as durable as the
 * synchronous level makes a commit, while the per-commit cost (an fsync under
 * {@link Synchronous#FULL}) is shared by all writers that were waiting.
 *
 * <p>Writes keep their queue order inside a batch, so a later write sees the effect of an
 * earlier one. When one write of a batch fails, the batch is rolled back and each of its writes
 * is retried in a transaction of its own, so the failure reaches only the caller that caused it.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** The marker that close() queues last to stop the writer thread. */
    private static final PendingWrite<Void> STOP = new PendingWrite<>(() -> "stop", connection -> null);

    private final StatementCache connection;
    private final int maxBatchSize;
    private final String databaseName;
    private final BlockingQueue<PendingWrite<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    /** Guards {@code closed} together with queueing, so nothing is queued after {@link #STOP}. */
    private final Object queueLock = new Object();
    private boolean closed;

    GroupCommitWriter(StatementCache connection, int maxBatchSize, String databaseName) {
        this.connection = connection;
        this.maxBatchSize = maxBatchSize;
        this.databaseName = databaseName;
        this.thread = new Thread(this::runLoop, "mvsim-store-writer");
        // A daemon thread lets the JVM exit without close(). That loses no acknowledged write,
        // because a write still queued has not returned to its caller.
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues {@code work} and waits, without reacting to interrupts, until its transaction has
     * committed; {@code operation} names it in errors.
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

        try {
            return pending.result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Returns the number of writes waiting for the writer thread, for tests that build a batch. */
    int queuedWrites() {
        return queue.size();
    }

    private void runLoop() {
        List<PendingWrite<?>> batch = new ArrayList<>(maxBatchSize);
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // Only STOP ends the thread, so that queued writers are always released.
                log.warn("Ignored an interrupt of the writer thread of {}", databaseName);
                continue;
            }
            queue.drainTo(batch, maxBatchSize - 1);

            // close() queues STOP last, after which nothing else is queued.
            if (batch.get(batch.size() - 1) == STOP) {
                batch.remove(batch.size() - 1);
                stopping = true;
            }
            if (!batch.isEmpty()) {
                commitBatchOrFailIt(batch);
            }
            batch.clear();
        }
    }

    /** Commits the batch; an Error (such as OutOfMemoryError) fails its writes instead of the thread. */
    private void commitBatchOrFailIt(List<PendingWrite<?>> batch) {
        try {
            commitBatch(batch);
        } catch (Error e) {
            log.error("Writer of {} failed a batch of {} writes", databaseName, batch.size(), e);
            rollbackQuietly();
            for (PendingWrite<?> pending : batch) {
                pending.result.completeExceptionally(new StoreAccessException("failed to "
                        + pending.operation.get() + " in " + databaseName + ": " + e, e));
            }
        }
    }

    private void commitBatch(List<PendingWrite<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        try {
            for (PendingWrite<?> pending : batch) {
                results.add(pending.work.run(connection));
            }
            connection.connection().commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            if (batch.size() == 1) {
                batch.get(0).fail(e, databaseName);
            } else {
                commitOneByOne(batch);
            }
            return;
        }

        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).complete(results.get(i));
        }
    }

    private void commitOneByOne(List<PendingWrite<?>> batch) {
        for (PendingWrite<?> pending : batch) {
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

    /** Stops the writer thread after it has committed every write queued before the call. */
    @Override
    public void close() throws SQLException {
        synchronized (queueLock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }

        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
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
