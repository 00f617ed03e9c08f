package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.DeviceKeys;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.InMemoryItemDirectory;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.Opcode;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames that the bridge fails to push to a wall-clock device lead the first reply of the device's
 * next connection, so the notifications in them still reach the app's ring.
 *
 * <p>The device's socket closes while the server is inside {@code pollDue}, on its selector
 * thread, so the push that follows is the first write to find it closed. On a Unix domain socket
 * the server's write fails as soon as the peer has closed, whatever the timing. A TCP reset would
 * race with the selector, which ends the connection without a push when it reads the reset first.
 */
@Timeout(20)
class FailedPushTest {

    private static final long BOOT_ID = 5;

    @TempDir
    Path directory;

    private KernelSessions kernels;
    private ClosingOnPush closing;
    private BridgeServer server;
    private UnixDomainSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        DeviceKeys keys = sid -> Optional.ofNullable(Map.of(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A).get(sid));
        FaultPlan quickConnect = FaultPlan.builder().connectDelay(Duration.ofMillis(20)).latency(Duration.ZERO).build();
        kernels = new KernelSessions(new InMemoryItemDirectory(), ClockChoice.WALL, quickConnect);
        closing = new ClosingOnPush(kernels);
        server = BridgeServer.create(keys, closing);
        Path socket = directory.resolve("bridge.sock");
        server.listenUnix(socket);
        address = UnixDomainSocketAddress.of(socket);
    }

    @AfterEach
    void stop() {
        server.close();
        kernels.close();
    }

    @Test
    void unpushedFramesLeadNextConnection() throws Exception {
        List<Frame> unpushed = pushIntoClosedSocket();
        List<Frame> reply;
        try (BridgeClient again = connect()) {
            reply = exchange(again, request(3, Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000)));
        }

        assertThat(unpushed).as("frames of the failed push").hasSizeGreaterThanOrEqualTo(2);
        assertThat(reply).as("frames of the next connection's first reply").hasSizeGreaterThan(unpushed.size());
        assertThat(reply.subList(0, unpushed.size())).as("first frames of that reply")
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(unpushed);
        assertThat(response(reply).status()).as("mvGetMicroseconds").isZero();
    }

    @Test
    void failedPushIsCounted() throws Exception {
        pushIntoClosedSocket();

        assertThat(server.stats().pushedFrames()).as("pushes counted, the failed one included").isEqualTo(1);
    }

    /**
     * Connects a device that requests the network, and closes its socket when the connect delay
     * ends and the server pushes what that produced. Returns the frames of that push once the server
     * has ended the connection and kept the device's kernel.
     */
    private List<Frame> pushIntoClosedSocket() throws Exception {
        BridgeClient first = connect();
        List<Frame> setup = exchange(first, request(1, Opcode.MV_SETUP_NOTIFICATIONS, Field.Pointer.at(0x3000),
                new Field.U32(41), Field.Pointer.at(0x2000_0000L), new Field.U32(8 * 16), Field.Pointer.at(0x3100)));
        long centre = ((Field.U64) response(setup).outputs().get(0)).value();
        exchange(first, request(2, Opcode.MV_REQUEST_NETWORK, Field.Pointer.at(0x3200), new Field.U32(1),
                new Field.U64(centre), new Field.U32(7), Field.Pointer.at(0x3300)));
        closing.closeAtNextPush(first);

        List<Frame> unpushed = decodeEach(closing.pushed.get(10, TimeUnit.SECONDS));
        awaitKeptKernels();
        return unpushed;
    }

    private BridgeClient connect() throws Exception {
        return BridgeClient.connect(address, BridgeFixture.DEVICE_A, BridgeFixture.KEY_A, ClockChoice.WALL, BOOT_ID, 0);
    }

    private static Frame.Request request(int sequence, Opcode opcode, Field... arguments) {
        return new Frame.Request(sequence, opcode, true, List.of(arguments));
    }

    private static List<Frame> exchange(BridgeClient device, Frame.Request request) throws Exception {
        return FrameCodec.decodeAll(device.exchange(FrameCodec.encode(request)));
    }

    private static Frame.Response response(List<Frame> reply) {
        return (Frame.Response) reply.get(reply.size() - 1);
    }

    private static List<Frame> decodeEach(List<byte[]> frames) throws Exception {
        List<Frame> decoded = new ArrayList<>();
        for (byte[] frame : frames) {
            decoded.add(FrameCodec.decode(frame));
        }
        return decoded;
    }

    /** Waits, within a bound, until the server has kept the kernel of the failed connection. */
    private void awaitKeptKernels() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (kernels.keptKernels() != 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(kernels.keptKernels()).as("kept kernels").isEqualTo(1);
    }

    /**
     * Opens real kernel sessions, and closes the device's socket when a session returns the first
     * non-empty {@code pollDue}, which the server calls on its selector thread just before it pushes
     * those frames.
     */
    private static final class ClosingOnPush implements BridgeSessionFactory {

        private final KernelSessions kernels;
        private final CountDownLatch handedOver = new CountDownLatch(1);
        private volatile BridgeClient device;
        /** The frames of the push that met the closed socket. */
        final CompletableFuture<List<byte[]>> pushed = new CompletableFuture<>();

        ClosingOnPush(KernelSessions kernels) {
            this.kernels = kernels;
        }

        /**
         * Hands over the device to close. A push that falls due earlier waits for it, so the test
         * thread never reads from a socket that the selector thread closes.
         */
        void closeAtNextPush(BridgeClient client) {
            device = client;
            handedOver.countDown();
        }

        @Override
        public BridgeSession open(String deviceSid, ClockChoice clock) {
            return open(new SessionRequest(deviceSid, clock, 0, 0));
        }

        @Override
        public BridgeSession open(SessionRequest request) {
            return new ClosingSession(kernels.open(request));
        }

        private void closeDeviceBefore(List<byte[]> due) {
            try {
                if (!handedOver.await(10, TimeUnit.SECONDS)) {
                    pushed.completeExceptionally(new AssertionError("no device to close was handed over within 10 s"));
                    return;
                }
                device.close();
                pushed.complete(due);
            } catch (IOException | InterruptedException failure) {
                pushed.completeExceptionally(failure);
            }
        }

        /** A kernel session that closes the device's socket at its first push and otherwise delegates. */
        private final class ClosingSession implements BridgeSession {

            private final BridgeSession session;

            ClosingSession(BridgeSession session) {
                this.session = session;
            }

            @Override
            public List<byte[]> pollDue() {
                List<byte[]> due = session.pollDue();
                if (!due.isEmpty() && !pushed.isDone()) {
                    closeDeviceBefore(due);
                }
                return due;
            }

            @Override
            public byte[] exchange(byte[] frame) {
                return session.exchange(frame);
            }

            @Override
            public byte[] exchange(Frame decoded, byte[] frameBytes) {
                return session.exchange(decoded, frameBytes);
            }

            @Override
            public boolean wallClock() {
                return session.wallClock();
            }

            @Override
            public long microsUntilDue() {
                return session.microsUntilDue();
            }

            @Override
            public void rememberReply(int sequence, int opcode, byte[] reply) {
                session.rememberReply(sequence, opcode, reply);
            }

            @Override
            public byte[] rememberedReply(int sequence, int opcode) {
                return session.rememberedReply(sequence, opcode);
            }

            @Override
            public void keepForNextReply(List<byte[]> frames) {
                session.keepForNextReply(frames);
            }

            @Override
            public void close() {
                session.close();
            }
        }
    }
}
