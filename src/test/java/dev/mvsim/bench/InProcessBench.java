package dev.mvsim.bench;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.rest.RestServer;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.jna.FirmwareLibrary;
import dev.mvsim.jna.InProcessHost;
import dev.mvsim.jna.LibMvHost;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.link.FaultPlan;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-process costs of the C → libmvhost → Java kernel → C path, against the example firmware
 * and the Java kernel, with the REST API's metadata fetch of the same secret in the same run.
 *
 * <ul>
 *   <li>{@code jnaNoOp}: a direct-mapped JNA call of {@code mvhost_get_interrupt_mode}, which
 *       only reads a C variable. It is the JNA call overhead to subtract.</li>
 *   <li>{@code mvGetMicroseconds}: the same JNA call overhead plus the syscall's full round trip
 *       (encode in C, exchange callback into Java, DeviceSession and kernel, encode in Java,
 *       decode in C). The round trip alone is this figure minus {@code jnaNoOp}.</li>
 *   <li>{@code secretFetch}: one {@code config_fetch_run} of one account secret, direct-mapped
 *       with raw pointers so that no JNA Structure marshalling is counted: notification setup,
 *       network request, channel, fetch, item read and teardown, on a link with no simulated
 *       delay. Each call first moves the kernel's virtual clock by 1 s from Java (included).</li>
 *   <li>{@code restMetadataFetch}: a GET of the same secret's metadata from the REST API over
 *       loopback HTTP/1.1 with a kept-alive connection.</li>
 * </ul>
 *
 * Run: see docs/benchmarks.md, "In-process".
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class InProcessBench {

    private static final String SECRET_KEY = "bench-secret";
    private static final String SECRET_VALUE = "0123456789abcdef0123456789abcdef";
    /** {@code sizeof(struct config_fetch_key)} on x86-64: two 4-byte enums and a pointer. */
    private static final int KEY_BYTES = 16;
    /** Room for {@code struct config_fetch_result}: 5 words and 8 items of 12 + 256 bytes. */
    private static final int RESULT_BYTES = 4096;

    private SimulatedCloud cloud;
    private RestServer server;
    private InProcessHost host;
    private HttpClient http;
    private HttpRequest metadataRequest;
    private Memory keys;
    private Memory keyName;
    private Memory result;
    private final long[] microseconds = new long[1];

    /** The example's retrieval function, direct-mapped with raw pointers. */
    static final class RawExample {
        static native int config_fetch_run(Pointer keys, int keyCount, Pointer options, Pointer result);
    }

    @Setup(Level.Trial)
    public void start() throws IOException, InterruptedException {
        cloud = SimulatedCloud.inMemory();
        server = cloud.startRest(new InetSocketAddress("127.0.0.1", 0), null);
        AccountRecord account = cloud.createAccount();
        RegisteredDevice device = cloud.registerDevice(account.sid(), "bench-device");
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String authorization = "Basic " + Base64.getEncoder().encodeToString(
                (account.sid() + ":" + account.authToken()).getBytes(StandardCharsets.UTF_8));

        HttpRequest create = HttpRequest.newBuilder(URI.create(server.baseUri() + "/v1/Secrets"))
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Key=" + URLEncoder.encode(SECRET_KEY, StandardCharsets.UTF_8)
                        + "&Value=" + SECRET_VALUE))
                .build();
        int status = http.send(create, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 201) {
            throw new IllegalStateException("creating the benchmark secret failed with HTTP " + status);
        }
        metadataRequest = HttpRequest.newBuilder(URI.create(server.baseUri() + "/v1/Secrets/" + SECRET_KEY))
                .header("Authorization", authorization).GET().build();

        // libmvhost first, so the firmware's dependency on it binds to this copy and not a second one.
        LibMvHost.load();
        NativeLibrary firmware = NativeLibrary.getInstance(FirmwareLibrary.exampleLibrary().toString());
        Native.register(RawExample.class, firmware);

        // No simulated link delay. With the default 200 ms connect delay and 50 ms latency, the
        // firmware's HAL_Delay loops take hundreds of 1 ms steps of virtual time, so the figure
        // would measure the example's polling rather than the cost of a fetch.
        FaultPlan instantLink = FaultPlan.builder().connectDelay(Duration.ZERO).latency(Duration.ZERO).build();
        DeviceKernel kernel = DeviceKernel.builder(device.sid(), cloud.itemDirectory()).faultPlan(instantLink).build();
        host = InProcessHost.open(kernel, InProcessHost.InterruptMode.SYNCHRONOUS);

        keyName = new Memory(SECRET_KEY.length() + 1);
        keyName.setString(0, SECRET_KEY, "US-ASCII");
        keys = new Memory(KEY_BYTES);
        keys.setInt(0, 0);
        keys.setInt(4, 0);
        keys.setPointer(8, keyName);
        result = new Memory(RESULT_BYTES);

        int outcome = RawExample.config_fetch_run(keys, 1, Pointer.NULL, result);
        if (outcome != 0) {
            throw new IllegalStateException("the warm-up fetch stopped with outcome " + outcome);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        host.close();
        server.close();
        cloud.close();
        keys.close();
        keyName.close();
        result.close();
    }

    @Benchmark
    public int jnaNoOp() {
        return LibMvHost.mvhost_get_interrupt_mode();
    }

    @Benchmark
    public long mvGetMicroseconds() {
        LibMvHost.mvGetMicroseconds(microseconds);
        return microseconds[0];
    }

    @Benchmark
    public int secretFetch() {
        // The kernel allows few channel opens per second of device time, so a second passes between fetches.
        host.kernel().advanceMicros(1_000_000);
        int outcome = RawExample.config_fetch_run(keys, 1, Pointer.NULL, result);
        if (outcome != 0) {
            throw new IllegalStateException("fetch stopped with outcome " + outcome + "; its time would be invalid");
        }
        return outcome;
    }

    @Benchmark
    public int restMetadataFetch() throws IOException, InterruptedException {
        return http.send(metadataRequest, HttpResponse.BodyHandlers.ofByteArray()).body().length;
    }
}
