package dev.mvsim.cloud.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreConcurrencyTest {

    private static final String ACCOUNT = "AC" + "a".repeat(32);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** Bounds each reader, so that busy readers cannot starve the writer on a small machine. */
    private static final int MAX_READS_PER_READER = 300;

    @TempDir
    Path dataDirectory;

    private SqliteCloudStore store;
    private ExecutorService threads;

    @BeforeEach
    void open() {
        store = SqliteCloudStore.open(dataDirectory, SqliteCloudStoreTest.TEST_KEY);
        threads = Executors.newFixedThreadPool(6);
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        store.close();
    }

    @Test
    void readersSeeWholeOldOrNewValue() throws Exception {
        String oldValue = "A".repeat(1000);
        String newValue = "B".repeat(1000);
        ItemId id = ItemId.account(ACCOUNT, ItemStore.SECRET, "rotated");
        store.insertItem(new StoredItem(id, oldValue, NOW));
        AtomicBoolean writing = new AtomicBoolean(true);

        Future<?> writer = threads.submit(() -> {
            try {
                for (int n = 1; n <= 100; n++) {
                    store.updateItem(new StoredItem(id, n % 2 == 0 ? oldValue : newValue, NOW));
                }
            } finally {
                writing.set(false);
            }
        });
        List<Future<Integer>> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(threads.submit(() -> {
                int reads = 0;
                do {
                    String byKey = store.findItem(id).orElseThrow().value();
                    String byList = store.listItems(ACCOUNT, ItemScope.ACCOUNT, null,
                            ItemStore.SECRET, null, 10, true).get(0).value();
                    assertThat(byKey).isIn(oldValue, newValue);
                    assertThat(byList).isIn(oldValue, newValue);
                    reads++;
                } while (writing.get() && reads < MAX_READS_PER_READER);
                return reads;
            }));
        }

        writer.get();
        for (Future<Integer> reader : readers) {
            assertThat(reader.get()).isPositive();
        }
        assertThat(store.findItem(id).orElseThrow().value()).isEqualTo(oldValue);
    }

    @Test
    void concurrentCreatesAllCommitted() throws Exception {
        int perThread = 100;
        ItemId contested = ItemId.account(ACCOUNT, ItemStore.SECRET, "contested");
        List<Future<Boolean>> contestResults = new ArrayList<>();

        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            contestResults.add(threads.submit(
                    () -> store.insertItem(new StoredItem(contested, "from " + thread, NOW))));
            writers.add(threads.submit(() -> {
                for (int n = 0; n < perThread; n++) {
                    ItemId id = ItemId.account(ACCOUNT, ItemStore.SECRET, "t" + thread + "-" + n);
                    assertThat(store.insertItem(new StoredItem(id, "v" + n, NOW))).isTrue();
                }
            }));
        }
        for (Future<?> writer : writers) {
            writer.get();
        }

        long winners = 0;
        for (Future<Boolean> result : contestResults) {
            winners += result.get() ? 1 : 0;
        }
        assertThat(winners).isEqualTo(1);
        assertThat(store.countItems(ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.SECRET))
                .isEqualTo(4 * perThread + 1);
    }
}
