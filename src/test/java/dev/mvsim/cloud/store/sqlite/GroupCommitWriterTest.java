package dev.mvsim.cloud.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupCommitWriterTest {

    @TempDir
    Path directory;

    private GroupCommitWriter writer;
    private ExecutorService callers;

    @BeforeEach
    void openWriter() throws SQLException {
        ConnectionFactory factory =
                new ConnectionFactory(directory.resolve("test.db"), Synchronous.NORMAL);
        StatementCache connection = new StatementCache(factory.openWriter());
        connection.connection().createStatement().execute("CREATE TABLE t (v INTEGER UNIQUE)");
        connection.connection().commit();
        writer = new GroupCommitWriter(connection, 64, "test.db");
        callers = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void closeWriter() throws Exception {
        callers.shutdownNow();
        writer.close();
    }

    private static int insert(StatementCache connection, int value) throws SQLException {
        var statement = connection.prepare("INSERT INTO t (v) VALUES (?)");
        statement.setInt(1, value);
        return statement.executeUpdate();
    }

    private long count() {
        return writer.write(() -> "count", connection -> {
            try (ResultSet result = connection.prepare("SELECT count(*) FROM t").executeQuery()) {
                return result.getLong(1);
            }
        });
    }

    /** Holds the writer thread inside a write until {@code release} opens, so others queue up. */
    private Future<Integer> blockWriter(CountDownLatch release) {
        CountDownLatch running = new CountDownLatch(1);
        Future<Integer> blocker = callers.submit(() -> writer.write(() -> "block", connection -> {
            running.countDown();
            awaitUninterruptibly(release);
            return insert(connection, -1);
        }));
        awaitUninterruptibly(running);
        return blocker;
    }

    private void awaitQueued(int count) {
        while (writer.queuedWrites() < count) {
            Thread.onSpinWait();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void queuedWritesCommitTogether() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> blocker = blockWriter(release);
        List<Future<Integer>> results = new ArrayList<>();
        for (int value = 0; value < 5; value++) {
            int v = value;
            results.add(callers.submit(() -> writer.write(() -> "insert " + v,
                    connection -> insert(connection, v))));
        }
        awaitQueued(5);

        release.countDown();

        assertThat(blocker.get()).isEqualTo(1);
        for (Future<Integer> result : results) {
            assertThat(result.get()).isEqualTo(1);
        }
        assertThat(count()).isEqualTo(6);
    }

    @Test
    void failingWriteFailsOnlyItsCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> blocker = blockWriter(release);
        Future<Integer> before = callers.submit(() -> writer.write(() -> "insert 1",
                connection -> insert(connection, 1)));
        awaitQueued(1);
        Future<Integer> duplicate = callers.submit(() -> writer.write(() -> "insert duplicate -1",
                connection -> insert(connection, -1)));
        awaitQueued(2);
        Future<Integer> after = callers.submit(() -> writer.write(() -> "insert 2",
                connection -> insert(connection, 2)));
        awaitQueued(3);

        release.countDown();

        assertThat(blocker.get()).isEqualTo(1);
        assertThat(before.get()).isEqualTo(1);
        assertThat(after.get()).isEqualTo(1);
        assertThatThrownBy(duplicate::get)
                .hasCauseInstanceOf(StoreAccessException.class)
                .hasMessageContaining("insert duplicate -1")
                .hasMessageContaining("test.db");
        assertThat(count()).isEqualTo(3);
    }

    @Test
    void runtimeFailureReachesCaller() {
        assertThatThrownBy(() -> writer.write(() -> "fail", connection -> {
            throw new IllegalArgumentException("bad input");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad input");

        int inserted = writer.write(() -> "insert", connection -> insert(connection, 7));
        assertThat(inserted).isEqualTo(1);
    }

    @Test
    void closeCommitsQueuedWrites() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<Integer> blocker = blockWriter(release);
        Future<Integer> queued = callers.submit(() -> writer.write(() -> "insert 3",
                connection -> insert(connection, 3)));
        awaitQueued(1);
        Future<?> closing = callers.submit(() -> {
            writer.close();
            return null;
        });

        release.countDown();
        closing.get();

        assertThat(blocker.get()).isEqualTo(1);
        assertThat(queued.get()).isEqualTo(1);
        assertThatThrownBy(() -> writer.write(() -> "late insert", connection -> insert(connection, 4)))
                .isInstanceOf(StoreAccessException.class)
                .hasMessageContaining("is closed");
    }
}
