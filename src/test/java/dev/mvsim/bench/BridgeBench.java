package dev.mvsim.bench;

import dev.mvsim.bridge.BridgeClient;
import dev.mvsim.bridge.BridgeLaunch;
import dev.mvsim.bridge.BridgeServer;
import dev.mvsim.bridge.ClockChoice;
import dev.mvsim.bridge.KernelSessions;
import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.ItemStore;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.Opcode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Bridge benchmarks on loopback TCP, with a cloud in memory and kernels on the virtual clock with
 * no simulated latency.
 *
 * <ul>
 *   <li>{@code server SECONDS}: serves one device with the secret {@code api-key} and prints
 *       {@code PORT SID KEY} for native/tests/bridge/bridge_fetch_bench; stops after SECONDS.</li>
 *   <li>{@code devices COUNT SECONDS FILE}: starts the bridge as {@code mvsim serve --bridge-port 0
 *       --bridge-clock VIRTUAL} does, registers COUNT devices, each with the secret
 *       {@code api-key}, writes one {@code SID KEY} line per device to FILE and prints
 *       {@code PORT PID} for native/tests/bridge/bridge_load_bench; stops after SECONDS. The links
 *       follow serve's default timing, or have no simulated delay with {@code instant}.</li>
 *   <li>{@code load DEVICES FETCHES EXCHANGES}: connects DEVICES devices at once, then each runs
 *       FETCHES sequences of EXCHANGES syscall round trips (mvGetMicroseconds, the size of a
 *       fetch's syscall sequence). Prints sequences per second, the median and 99th percentile of
 *       a sequence, and the JVM's resident memory (server and clients share it).</li>
 * </ul>
 */
public final class BridgeBench {

    private BridgeBench() {
    }

    public static void main(String[] arguments) throws Exception {
        if (arguments.length < 1) {
            System.err.println("usage: BridgeBench server SECONDS | devices COUNT SECONDS FILE [instant]"
                    + " | load DEVICES FETCHES EXCHANGES");
            System.exit(2);
        }
        FaultPlan noLatency = FaultPlan.builder().latency(Duration.ZERO).connectDelay(Duration.ZERO).build();
        if (arguments[0].equals("devices")) {
            boolean instant = arguments.length > 4 && arguments[4].equals("instant");
            serveDevices(Integer.parseInt(arguments[1]), Integer.parseInt(arguments[2]), Path.of(arguments[3]),
                    instant ? noLatency : FaultPlan.none());
            return;
        }
        try (SimulatedCloud cloud = SimulatedCloud.inMemory();
             BridgeServer server = BridgeServer.create(cloud.deviceKeys(),
                     new KernelSessions(cloud.itemDirectory(), ClockChoice.VIRTUAL, noLatency))) {
            server.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            AccountRecord account = cloud.createAccount();
            if (arguments[0].equals("server")) {
                serve(cloud, server, account, Integer.parseInt(arguments[1]));
            } else {
                load(cloud, server, account, Integer.parseInt(arguments[1]), Integer.parseInt(arguments[2]),
                        Integer.parseInt(arguments[3]));
            }
        }
    }

    private static void serve(SimulatedCloud cloud, BridgeServer server, AccountRecord account, int seconds)
            throws InterruptedException {
        RegisteredDevice device = cloud.registerDevice(account.sid(), "bench");
        cloud.createItem(ItemId.device(account.sid(), device.device().sid(), ItemStore.SECRET, "api-key"), "hunter22");
        System.out.println(server.tcpPort() + " " + device.device().sid() + " " + device.deviceKeyHex());
        System.out.flush();
        Thread.sleep(TimeUnit.SECONDS.toMillis(Math.min(seconds, 600)));
    }

    private static void serveDevices(int count, int seconds, Path file, FaultPlan faultPlan) throws Exception {
        try (SimulatedCloud cloud = SimulatedCloud.inMemory();
             BridgeServer server = BridgeLaunch.start(cloud.deviceKeys(), cloud.itemDirectory(),
                     new BridgeLaunch.Settings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, null,
                             ClockChoice.VIRTUAL), faultPlan)) {
            AccountRecord account = cloud.createAccount();
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                RegisteredDevice device = cloud.registerDevice(account.sid(), "load-" + i);
                cloud.createItem(ItemId.device(account.sid(), device.device().sid(), ItemStore.SECRET, "api-key"),
                        "secret-" + i);
                lines.add(device.device().sid() + " " + device.deviceKeyHex());
            }
            Files.write(file, lines);
            System.out.println(server.tcpPort() + " " + ProcessHandle.current().pid());
            System.out.flush();
            Thread.sleep(TimeUnit.SECONDS.toMillis(Math.min(seconds, 600)));
        }
    }

    private static void load(SimulatedCloud cloud, BridgeServer server, AccountRecord account, int devices,
                             int fetches, int exchanges) throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.tcpPort());
        List<BridgeClient> clients = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            RegisteredDevice device = cloud.registerDevice(account.sid(), "load-" + i);
            clients.add(BridgeClient.connect(address, device.device().sid(), device.deviceKey(), ClockChoice.VIRTUAL));
        }
        System.out.println(devices + " devices connected; resident " + residentMegabytes() + " MB");

        long[][] sequenceNanos = new long[devices][fetches];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            int device = d;
            Thread thread = new Thread(null, () -> {
                try {
                    start.await();
                    int sequence = 1;
                    for (int f = 0; f < fetches; f++) {
                        long began = System.nanoTime();
                        for (int e = 0; e < exchanges; e++) {
                            clients.get(device).exchange(FrameCodec.encode(new Frame.Request(sequence++,
                                    Opcode.MV_GET_MICROSECONDS, true, List.of(Field.Pointer.at(0x20001000L)))));
                        }
                        sequenceNanos[device][f] = System.nanoTime() - began;
                    }
                } catch (Exception failure) {
                    throw new IllegalStateException("device " + device + " failed", failure);
                }
            }, "load-" + d, 256 * 1024);
            threads.add(thread);
            thread.start();
        }

        long began = System.nanoTime();
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        long resident = residentMegabytes();

        long[] all = Arrays.stream(sequenceNanos).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("%d sequences of %d exchanges in %.2f s: %.0f sequences/s, %.0f exchanges/s%n",
                all.length, exchanges, seconds, all.length / seconds, all.length * (double) exchanges / seconds);
        System.out.printf("sequence median %.0f us, p99 %.0f us; resident %d MB%n",
                all[all.length / 2] / 1e3, all[all.length * 99 / 100] / 1e3, resident);
        for (BridgeClient client : clients) {
            client.close();
        }
    }

    private static long residentMegabytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
