package dev.mvsim.bench;

import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.link.ItemStore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of what a JUnit extension does before each test: an in-memory cloud with one account,
 * one registered device and one secret, closed again. The target is at most 2 ms.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:CLASSPATH org.openjdk.jmh.Main CloudSetupBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CloudSetupBenchmark {

    @Benchmark
    public AccountRecord setUpAndClose() {
        try (SimulatedCloud cloud = SimulatedCloud.inMemory()) {
            AccountRecord account = cloud.createAccount();
            cloud.registerDevice(account.sid(), "rig");
            cloud.createItem(ItemId.account(account.sid(), ItemStore.SECRET, "k"), "v");
            return account;
        }
    }
}
