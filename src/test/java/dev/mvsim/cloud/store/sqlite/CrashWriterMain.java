package dev.mvsim.cloud.store.sqlite;

import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.link.ItemStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link StoreCrashTest}: creates secrets from several threads and prints
 * "ack KEY" on stdout after each insert has returned, until it is killed or reaches a bound.
 * The master key comes from MVSIM_MASTER_KEY.
 *
 * <p>Arguments: data directory, synchronous level, thread count.
 */
public final class CrashWriterMain {

    static final String ACCOUNT = "AC" + "c".repeat(32);

    /** Bounds the work of a child whose parent died before killing it. */
    private static final int MAX_CREATES_PER_THREAD = 20_000;

    private CrashWriterMain() {}

    static String valueOf(String key) {
        return "crash-test-value-of-" + key;
    }

    public static void main(String[] args) throws InterruptedException {
        Path dataDirectory = Path.of(args[0]);
        Synchronous synchronous = Synchronous.parse(args[1]);
        int threadCount = Integer.parseInt(args[2]);

        SqliteCloudStore store = SqliteCloudStore.open(
                dataDirectory, SqliteStoreOptions.defaults().withSynchronous(synchronous));

        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            String prefix = "t" + t + "-";
            Thread thread = new Thread(() -> createSecrets(store, prefix));
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        store.close();
    }

    private static void createSecrets(SqliteCloudStore store, String prefix) {
        for (int n = 0; n < MAX_CREATES_PER_THREAD; n++) {
            String key = prefix + n;
            StoredItem item = new StoredItem(
                    ItemId.account(ACCOUNT, ItemStore.SECRET, key), valueOf(key), Instant.now());
            if (!store.insertItem(item)) {
                throw new IllegalStateException("key " + key + " exists already");
            }
            synchronized (System.out) {
                System.out.println("ack " + key);
                System.out.flush();
            }
        }
    }
}
