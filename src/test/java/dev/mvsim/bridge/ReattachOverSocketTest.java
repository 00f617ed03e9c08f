package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.DeviceKeys;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.InMemoryItemDirectory;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.Opcode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A device that drops its socket and connects again finds its kernel, unless it rebooted. */
@Timeout(20)
class ReattachOverSocketTest {

    private KernelSessions sessions;
    private BridgeServer server;

    @BeforeEach
    void start() throws Exception {
        DeviceKeys keys = sid -> Optional.ofNullable(Map.of(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A).get(sid));
        sessions = new KernelSessions(new InMemoryItemDirectory(), ClockChoice.VIRTUAL, FaultPlan.none());
        server = BridgeServer.create(keys, sessions);
        server.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private BridgeClient connect(long bootId, long deviceTimeMicros) throws Exception {
        return BridgeClient.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.tcpPort()),
                BridgeFixture.DEVICE_A, BridgeFixture.KEY_A, ClockChoice.SERVER_DEFAULT, bootId, deviceTimeMicros);
    }

    private static long clock(BridgeClient client, Opcode opcode, List<Field> arguments) throws Exception {
        List<Frame> reply = FrameCodec.decodeAll(client.exchange(FrameCodec.encode(new Frame.Control(1, opcode,
                arguments))));
        Frame.Response response = (Frame.Response) reply.get(reply.size() - 1);
        return ((Field.U64) response.outputs().get(0)).value();
    }

    /** Waits, within a bound, until the server has kept the kernel of the dropped connection. */
    private void awaitKeptKernels(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sessions.keptKernels() != count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(sessions.keptKernels()).as("kept kernels").isEqualTo(count);
    }

    @Test
    void reconnectFindsKernel() throws Exception {
        try (BridgeClient first = connect(5, 0)) {
            clock(first, Opcode.HARNESS_SLEEP, List.of(new Field.U64(2_000_000)));
        }
        awaitKeptKernels(1);

        try (BridgeClient again = connect(5, 0)) {
            assertThat(clock(again, Opcode.HARNESS_NOW, List.of())).isEqualTo(2_000_000);
        }
    }

    @Test
    void rebootGetsFreshKernel() throws Exception {
        try (BridgeClient first = connect(5, 0)) {
            clock(first, Opcode.HARNESS_SLEEP, List.of(new Field.U64(2_000_000)));
        }
        awaitKeptKernels(1);

        try (BridgeClient rebooted = connect(6, 0)) {
            assertThat(clock(rebooted, Opcode.HARNESS_NOW, List.of())).isZero();
        }
    }
}
