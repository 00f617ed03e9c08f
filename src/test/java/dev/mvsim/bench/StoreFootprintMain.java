package dev.mvsim.bench;

import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.cloud.store.crypto.MasterKey;
import dev.mvsim.cloud.store.sqlite.SqliteCloudStore;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Measures the resident memory of a process whose store contains many secrets: creates them, then
 * reads metadata and pages through listings, and prints VmRSS and VmHWM from /proc/self/status
 * with the database size and the heap in use after a full collection. Linux only. Run with:
 *
 * <pre>
 * mvn -o -q test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *     -Dexec.args="-cp %classpath dev.mvsim.bench.StoreFootprintMain 100000"
 * </pre>
 */
public final class StoreFootprintMain {

    private static final String ACCOUNT = "AC" + "d".repeat(32);
    private static final int WRITER_THREADS = 32;
    private static final int READS = 100_000;

    private StoreFootprintMain() {}

    public static void main(String[] args) throws Exception {
        int secretCount = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dataDirectory = Files.createTempDirectory("mvsim-footprint");

        try (SqliteCloudStore store =
                SqliteCloudStore.open(dataDirectory, MasterKey.generate(new SecureRandom()))) {
            long start = System.nanoTime();
            createSecrets(store, secretCount);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("created %d secrets in %.1f s (%.0f/s, %d threads)%n",
                    secretCount, seconds, secretCount / seconds, WRITER_THREADS);
            printMemory("after creates");

            for (int n = 0; n < READS; n++) {
                int index = ThreadLocalRandom.current().nextInt(secretCount);
                store.findMetadata(id(index)).orElseThrow();
            }
            String afterKey = null;
            int listed = 0;
            List<StoredItem> page;
            do {
                page = store.listItems(
                        ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.SECRET, afterKey, 1000, false);
                listed += page.size();
                afterKey = page.isEmpty() ? null : page.get(page.size() - 1).id().key();
            } while (!page.isEmpty());
            System.out.printf("read %d metadata records, listed %d secrets%n", READS, listed);
            printMemory("after reads");
        }

        long databaseBytes = 0;
        try (var files = Files.list(dataDirectory)) {
            for (Path file : files.toList()) {
                databaseBytes += Files.size(file);
            }
        }
        System.out.printf("data directory: %.1f MB%n", databaseBytes / 1e6);
        deleteDirectory(dataDirectory);
    }

    private static ItemId id(int index) {
        return ItemId.account(ACCOUNT, ItemStore.SECRET, String.format("secret-%07d", index));
    }

    private static void createSecrets(SqliteCloudStore store, int count) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(WRITER_THREADS);
        try {
            List<Future<Boolean>> creates = new ArrayList<>(count);
            for (int n = 0; n < count; n++) {
                StoredItem item = new StoredItem(id(n), "tok_" + "x".repeat(36) + n, Instant.now());
                creates.add(writers.submit(() -> store.insertItem(item)));
            }
            for (Future<Boolean> create : creates) {
                create.get();
            }
        } finally {
            writers.shutdown();
        }
    }

    private static void printMemory(String phase) throws IOException {
        // A full collection first, so that "heap used" is close to the live data.
        System.gc();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS") || line.startsWith("VmHWM")) {
                System.out.println(phase + ": " + line.replaceAll("\\s+", " "));
            }
        }
        Runtime runtime = Runtime.getRuntime();
        System.out.printf("%s: heap used %.1f MB of %.1f MB committed%n", phase,
                (runtime.totalMemory() - runtime.freeMemory()) / 1e6, runtime.totalMemory() / 1e6);
    }

    private static void deleteDirectory(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }
}
