package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.ItemStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the example firmware executable, unchanged, against a bridge server over TCP, a Unix socket
 * and a noisy pseudo-terminal pair, and against a server that starts after it, and checks what it
 * fetched.
 */
@Timeout(120)
class FirmwareOverBridgeTest {

    /** Built by Maven's generate-resources phase from native/. */
    private static final Path DEMO = Path.of("target/native/release/examples/config_fetch_demo");
    private static final long RUN_TIMEOUT_SECONDS = 60;

    private SimulatedCloud cloud;
    private BridgeServer server;
    private KernelSessions sessions;
    private RegisteredDevice deviceA;
    private RegisteredDevice deviceB;

    @BeforeEach
    void start() throws IOException {
        assumeThat(Files.isExecutable(DEMO)).as("example firmware built at " + DEMO).isTrue();
        cloud = SimulatedCloud.inMemory();
        AccountRecord account = cloud.createAccount();
        AccountRecord otherAccount = cloud.createAccount();
        deviceA = cloud.registerDevice(account.sid(), "rig-a");
        deviceB = cloud.registerDevice(account.sid(), "rig-b");
        RegisteredDevice outsider = cloud.registerDevice(otherAccount.sid(), "outsider");

        cloud.createItem(ItemId.account(account.sid(), ItemStore.CONFIG, "greeting"), "hello");
        cloud.createItem(ItemId.device(account.sid(), deviceA.device().sid(), ItemStore.SECRET, "token"), "token-of-a");
        cloud.createItem(ItemId.device(account.sid(), deviceB.device().sid(), ItemStore.SECRET, "token"), "token-of-b");
        cloud.createItem(ItemId.device(account.sid(), deviceB.device().sid(), ItemStore.CONFIG, "only-b"), "b");
        cloud.createItem(ItemId.account(otherAccount.sid(), ItemStore.CONFIG, "foreign"), "not yours");
        cloud.createItem(ItemId.device(otherAccount.sid(), outsider.device().sid(), ItemStore.SECRET, "token"), "x");

        sessions = new KernelSessions(cloud.itemDirectory(), ClockChoice.VIRTUAL, FaultPlan.none());
        server = BridgeServer.create(cloud.deviceKeys(), sessions);
        server.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    private String tcpEndpoint() {
        return "tcp://127.0.0.1:" + server.tcpPort();
    }

    private record Run(int exitCode, String output, String errors) {
    }

    /** A demo process still running, with the file its stderr goes to. */
    private record StartedDemo(Process process, Path errors) {
    }

    private static Run runDemo(String endpoint, RegisteredDevice device, String keyHex, List<String> keys)
            throws IOException, InterruptedException {
        return finishDemo(startDemo(endpoint, device, keyHex, keys));
    }

    private static StartedDemo startDemo(String endpoint, RegisteredDevice device, String keyHex, List<String> keys)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(DEMO.toString());
        command.addAll(keys);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.put("MVHOST_CONNECT", endpoint);
        environment.put("MVHOST_DEVICE", device.device().sid());
        environment.put("MVHOST_DEVICE_KEY", keyHex);
        Path errors = Files.createTempFile("demo", ".err");
        builder.redirectError(errors.toFile());
        return new StartedDemo(builder.start(), errors);
    }

    private static Run finishDemo(StartedDemo demo) throws IOException, InterruptedException {
        Process process = demo.process();
        Path errors = demo.errors();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String errorText = Files.readString(errors);
        Files.delete(errors);
        assertThat(finished).as("demo finished within " + RUN_TIMEOUT_SECONDS + " s; stderr: " + errorText).isTrue();
        return new Run(process.exitValue(), output, errorText);
    }

    @Test
    void tcpFetchReturnsOwnItems() throws Exception {
        Run run = runDemo(tcpEndpoint(), deviceA, deviceA.deviceKeyHex(),
                List.of("account:config:greeting=hello", "device:secret:token=token-of-a"));

        assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
        assertThat(run.output()).contains("greeting", "value 'hello'", "as expected");
        assertThat(run.output()).contains("token", "10 bytes");
        assertThat(run.output()).doesNotContain("token-of-a");
        // The waits for the connection and the response ran partly in quiet windows, each checked by the kernel.
        assertThat(sessions.divergences()).as("local answers that differed from the kernel's").isZero();
    }

    @Test
    void itemLinesHaveAlignedColumns() throws Exception {
        Run run = runDemo(tcpEndpoint(), deviceA, deviceA.deviceKeyHex(),
                List.of("account:config:greeting", "device:secret:token"));

        List<String> items = run.output().lines().filter(line -> line.contains("read status")).toList();
        assertThat(items).as(run.output() + run.errors()).hasSize(2);
        assertThat(items.get(0)).startsWith("config account greeting ");
        assertThat(items.get(1)).startsWith("secret device  token ");
        assertThat(items.get(1).indexOf("read status")).isEqualTo(items.get(0).indexOf("read status"));
    }

    @Test
    void fetchAfterReplayToLateServerWorks() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        StartedDemo demo = startDemo("tcp://127.0.0.1:" + port + "?wait_ms=0", deviceA, deviceA.deviceKeyHex(),
                List.of("account:config:greeting=hello"));

        // The firmware sets up its ring and requests a network offline, so both calls are replayed
        // to the server's fresh kernel once it listens.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RUN_TIMEOUT_SECONDS);
        while (!Files.readString(demo.errors()).contains("cannot reach") && System.nanoTime() < deadline) {
            assertThat(demo.process().isAlive()).as("demo still running before the server starts").isTrue();
            Thread.sleep(10); // polls the stderr file, bounded by the deadline
        }
        assertThat(Files.readString(demo.errors())).as("demo stderr before the server starts").contains("cannot reach");
        try (BridgeServer late = BridgeServer.create(cloud.deviceKeys(),
                new KernelSessions(cloud.itemDirectory(), ClockChoice.VIRTUAL, FaultPlan.none()))) {
            late.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            Run run = finishDemo(demo);

            assertThat(run.errors()).contains("cannot reach", "connected to the simulator");
            assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
            assertThat(run.output()).contains("value 'hello'", "as expected");
        }
    }

    @Test
    void ipv6LoopbackFetchWorks() throws Exception {
        InetAddress ipv6Loopback = InetAddress.getByName("::1");
        server.listenTcp(new InetSocketAddress(ipv6Loopback, 0));

        Run run = runDemo("tcp://[::1]:" + server.tcpPort(), deviceA, deviceA.deviceKeyHex(),
                List.of("account:config:greeting=hello"));

        assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
        assertThat(run.output()).contains("value 'hello'", "as expected");
    }

    @Test
    void unbracketedIpv6EndpointIsInvalid() throws Exception {
        Run run = runDemo("tcp://::1:" + server.tcpPort(), deviceA, deviceA.deviceKeyHex(),
                List.of("account:config:greeting=hello"));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.errors()).contains("invalid MVHOST_CONNECT", "tcp://[::1]:8461");
    }

    @Test
    void wallClockFetchGetsPushes() throws Exception {
        Run run = runDemo(tcpEndpoint() + "?clock=wall", deviceA, deviceA.deviceKeyHex(),
                List.of("account:config:greeting=hello"));

        assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
        assertThat(run.output()).contains("value 'hello'");
        assertThat(server.stats().pushedFrames()).as("frames pushed while the firmware waited").isPositive();
    }

    @Test
    void deviceCannotReachOtherDevicesOrAccounts() throws Exception {
        Run run = runDemo(tcpEndpoint(), deviceA, deviceA.deviceKeyHex(),
                List.of("device:config:only-b", "account:config:foreign", "device:secret:token=token-of-b"));

        assertThat(run.output()).contains("only-b").contains("foreign");
        assertThat(run.output().lines().filter(line -> line.contains("only-b"))).allMatch(line -> line.contains("KEYNOTFOUND"));
        assertThat(run.output().lines().filter(line -> line.contains("foreign"))).allMatch(line -> line.contains("KEYNOTFOUND"));
        assertThat(run.output()).contains("NOT as expected");
        assertThat(run.exitCode()).isNotZero();
    }

    @Test
    void wrongKeyIsRejectedOnBothSides() throws Exception {
        Run run = runDemo(tcpEndpoint(), deviceA, deviceB.deviceKeyHex(), List.of("account:config:greeting"));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.errors()).contains("rejected device " + deviceA.device().sid(), "authentication failed");
        assertThat(run.errors()).contains(tcpEndpoint(), "setting error", "MVHOST_DEVICE_KEY");
        assertThat(run.errors()).doesNotContain(deviceB.deviceKeyHex());
        // Without a transport the first syscall fails, where a lost link would leave the firmware
        // waiting for a network that never connects.
        assertThat(run.errors()).contains("NOTIFICATION_SETUP_FAILED").doesNotContain("NETWORK_NOT_CONNECTED");
        assertThat(server.stats().rejectedHandshakes()).isEqualTo(1);
        assertThat(server.stats().authenticated()).isZero();
    }

    @Test
    void unixSocketFetchWorks(@TempDir Path directory) throws Exception {
        Path socket = directory.resolve("bridge.sock");
        server.listenUnix(socket);

        Run run = runDemo("unix:" + socket, deviceB, deviceB.deviceKeyHex(), List.of("device:config:only-b=b"));

        assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
        assertThat(run.output()).contains("as expected");
        assertThat(sessions.divergences()).as("local answers that differed from the kernel's").isZero();
    }

    @Test
    void noisySerialFetchRunsEachSyscallOnce(@TempDir Path directory) throws Exception {
        assumeThat(PtyPair.socatInstalled()).as("socat installed").isTrue();
        try (PtyPair deviceSide = new PtyPair(directory, "device");
             PtyPair serverSide = new PtyPair(directory, "server")) {
            SerialLines.configureRaw(serverSide.first, 115200);
            server.attachSerial(serverSide.first);
            // Each lost packet costs the device one timeout, so a short one keeps the test fast. A
            // resend that overtakes a slow reply gets the stored reply, which the test checks too.
            try (NoisyRelay relay = new NoisyRelay(deviceSide.second, serverSide.second, 42, 0.04, 0.04)) {
                // A fetch takes few packets, so one run's damage may miss every packet. Up to three
                // runs, each of which must succeed, make sure damage was met and survived.
                boolean damageSeen = false;
                for (int attempt = 0; attempt < 3 && !damageSeen; attempt++) {
                    Run run = runDemo("serial:" + deviceSide.first + "?baud=115200&timeout_ms=50&retries=40", deviceA,
                            deviceA.deviceKeyHex(), List.of("account:config:greeting=hello", "device:secret:token=token-of-a"));

                    assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
                    assertThat(run.output()).contains("value 'hello'", "10 bytes");
                    long seenByServer = server.stats().droppedPackets() + server.stats().retransmittedReplies();
                    damageSeen = seenByServer > 0 || run.errors().contains("dropped a damaged packet");
                }

                assertThat(relay.garbageInserted.get() + relay.chunksDropped.get())
                        .as("damage the relay did").isPositive();
                assertThat(damageSeen).as("damage seen by the server or the device within three fetches").isTrue();
            }
        }
    }

    @Test
    void wallClockFetchOverSerialPolls(@TempDir Path directory) throws Exception {
        assumeThat(PtyPair.socatInstalled()).as("socat installed").isTrue();
        try (PtyPair line = new PtyPair(directory, "wall")) {
            SerialLines.configureRaw(line.first, 115200);
            server.attachSerial(line.first);

            // A serial line carries no pushes, so the firmware's wall-clock HAL_Delay must poll.
            Run run = runDemo("serial:" + line.second + "?baud=115200&clock=wall", deviceA, deviceA.deviceKeyHex(),
                    List.of("account:config:greeting=hello"));

            assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
            assertThat(run.output()).contains("value 'hello'");
        }
    }
}
