package dev.mvsim.bench;

import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.kernel.AppBuffer;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvChannelType;
import dev.mvsim.kernel.MvConfigKeyFetchParams;
import dev.mvsim.kernel.MvConfigKeyFetchResult;
import dev.mvsim.kernel.MvConfigKeyToFetch;
import dev.mvsim.kernel.MvConfigResponseData;
import dev.mvsim.kernel.MvConfigResponseReadItemParams;
import dev.mvsim.kernel.MvOpenChannelParams;
import dev.mvsim.kernel.MvSizedString;
import dev.mvsim.kernel.MvSizedStringBuffer;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.Out;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.kernel.client.DeviceClient;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.ItemStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Kernel figures for docs/benchmarks.md: a full fetch of one 4096-character secret on the virtual
 * clock, {@code mvGetMicroseconds}, and the per-test setup of the JUnit extension.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KernelBenchmarks {

    /** A connected device whose account has one 4096-character secret. */
    @State(Scope.Thread)
    public static class ConnectedDevice {
        SimulatedCloud cloud;
        DeviceKernel kernel;
        long centre;
        long network;
        final AppBuffer receive = new AppBuffer(0x3000_0000L, 8192);
        final AppBuffer send = new AppBuffer(0x3001_0000L, 512);
        final byte[] value = new byte[4096];
        final Out.U64 micros = new Out.U64();

        @Setup(Level.Trial)
        public void connect() {
            cloud = SimulatedCloud.inMemory();
            AccountRecord account = cloud.createAccount();
            String sid = cloud.registerDevice(account.sid(), null).sid();
            cloud.createItem(ItemId.account(account.sid(), ItemStore.SECRET, "cert"), "a".repeat(4096));
            // 200 ms of latency keeps the opens under the limit of 8 per second of device time.
            FaultPlan plan = FaultPlan.builder().latency(Duration.ofMillis(200)).build();
            kernel = DeviceKernel.builder(sid, cloud.itemDirectory()).clock(new VirtualClock()).faultPlan(plan).build();
            DeviceClient client = DeviceClient.on(kernel).connect();
            centre = client.centreHandle();
            network = client.networkHandle();
        }

        @TearDown(Level.Trial)
        public void close() {
            cloud.close();
        }
    }

    @Benchmark
    public int fullFetchOf4096CharacterSecret(ConnectedDevice device) {
        DeviceKernel kernel = device.kernel;
        Out.Handle channel = new Out.Handle();
        check(kernel.mvOpenChannel(new MvOpenChannelParams(1, device.centre, 7, device.network, device.receive,
                device.send, MvChannelType.CONFIGFETCH.code(), MvSizedString.EMPTY), channel));
        check(kernel.mvSendConfigFetchRequest(channel.value, new MvConfigKeyFetchParams(1,
                new MvConfigKeyToFetch[] {new MvConfigKeyToFetch(0, 0, MvSizedString.of("cert"))})));

        kernel.advanceMicros(200_000);
        kernel.takeNotifications(device.centre);

        MvConfigResponseData data = new MvConfigResponseData();
        check(kernel.mvReadConfigFetchResponseData(channel.value, data));
        Out.Value<MvConfigKeyFetchResult> result = new Out.Value<>();
        Out.U32 length = new Out.U32();
        check(kernel.mvReadConfigResponseItem(channel.value,
                new MvConfigResponseReadItemParams(0, result, MvSizedStringBuffer.of(device.value, length))));
        check(kernel.mvCloseChannel(channel));
        return length.value;
    }

    /** Average time, because one call is shorter than the sampling timer's resolution. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public long mvGetMicroseconds(ConnectedDevice device) {
        device.kernel.mvGetMicroseconds(device.micros);
        return device.micros.value;
    }

    /** Creates what the JUnit extension creates before each test: a fresh cloud, account, device and kernel. */
    @Benchmark
    public DeviceKernel extensionSetup() {
        SimulatedCloud cloud = SimulatedCloud.inMemory();
        AccountRecord account = cloud.createAccount();
        String sid = cloud.registerDevice(account.sid(), null).sid();
        DeviceKernel kernel = DeviceKernel.builder(sid, cloud.itemDirectory()).clock(new VirtualClock())
                .seed(System.nanoTime()).build();
        cloud.close();
        return kernel;
    }

    private static void check(MvStatus status) {
        if (status != MvStatus.OKAY) {
            throw new IllegalStateException("benchmark call returned " + status);
        }
    }
}
