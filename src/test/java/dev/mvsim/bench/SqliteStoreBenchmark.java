package dev.mvsim.bench;

import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.cloud.store.crypto.MasterKey;
import dev.mvsim.cloud.store.sqlite.SqliteCloudStore;
import dev.mvsim.cloud.store.sqlite.SqliteStoreOptions;
import dev.mvsim.cloud.store.sqlite.Synchronous;
import dev.mvsim.link.ItemStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the SQLite store: durable secret creates (each call returns after its commit)
 * from 1 and 4 threads, and secret metadata reads, at both synchronous levels. Run with:
 *
 * <pre>
 * mvn -o -q test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java \
 *     -Dexec.args="-cp %classpath org.openjdk.jmh.Main SqliteStoreBenchmark"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class SqliteStoreBenchmark {

    private static final String ACCOUNT = "AC" + "b".repeat(32);

    /** Secrets stored before measuring, which the read benchmark picks from at random. */
    private static final int PRELOADED_SECRETS = 10_000;

    private static final int PRELOAD_THREADS = 32;

    /** A typical secret: an API token of 40 characters. */
    private static final String VALUE = "tok_" + "x".repeat(36);

    @Param({"NORMAL", "FULL"})
    public String synchronous;

    private Path dataDirectory;
    private SqliteCloudStore store;
    private final AtomicLong nextKey = new AtomicLong();

    @Setup(Level.Trial)
    public void openStore() throws IOException, InterruptedException, ExecutionException {
        dataDirectory = Files.createTempDirectory("mvsim-bench");
        MasterKey key = MasterKey.generate(new SecureRandom());
        store = SqliteCloudStore.open(dataDirectory, key,
                SqliteStoreOptions.defaults().withSynchronous(Synchronous.parse(synchronous)));

        // Many concurrent creates share each commit, so preloading under FULL takes seconds.
        ExecutorService preloaders = Executors.newFixedThreadPool(PRELOAD_THREADS);
        try {
            List<Future<Boolean>> creates = new ArrayList<>(PRELOADED_SECRETS);
            for (int n = 0; n < PRELOADED_SECRETS; n++) {
                StoredItem item = new StoredItem(preloadedId(n), VALUE, Instant.now());
                creates.add(preloaders.submit(() -> store.insertItem(item)));
            }
            for (Future<Boolean> create : creates) {
                create.get();
            }
        } finally {
            preloaders.shutdown();
        }
    }

    @TearDown(Level.Trial)
    public void closeStore() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static ItemId preloadedId(int n) {
        return ItemId.account(ACCOUNT, ItemStore.SECRET, "preloaded-" + n);
    }

    private boolean createSecret() {
        String key = "created-" + nextKey.getAndIncrement();
        return store.insertItem(new StoredItem(
                ItemId.account(ACCOUNT, ItemStore.SECRET, key), VALUE, Instant.now()));
    }

    @Benchmark
    @Threads(1)
    public boolean createSecretOneThread() {
        return createSecret();
    }

    @Benchmark
    @Threads(4)
    public boolean createSecretFourThreads() {
        return createSecret();
    }

    @Benchmark
    @Threads(4)
    public Optional<StoredItem> fetchSecretMetadataFourThreads() {
        int n = ThreadLocalRandom.current().nextInt(PRELOADED_SECRETS);
        return store.findMetadata(preloadedId(n));
    }
}
