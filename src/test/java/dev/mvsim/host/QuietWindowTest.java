package dev.mvsim.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.kernel.WallClock;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.InMemoryItemDirectory;
import dev.mvsim.wire.ErrorCode;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.FrameFormatException;
import dev.mvsim.wire.Opcode;
import dev.mvsim.wire.StateOpcode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** QUIET states: the kernel's next event time ahead of each RESPONSE, and SLEEP and WAIT replayed from REPORTs. */
class QuietWindowTest {

    private static final String DEVICE_SID = "UV0123456789abcdef0123456789abcdef";
    private static final long START_MICROS = 1_000;
    private static final long RING_ADDRESS = 0x2000_0000L;

    private final DeviceKernel kernel = DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory())
            .clock(new VirtualClock(START_MICROS)).build();
    private final DeviceSession session = new DeviceSession(kernel);
    private int sequence;

    @AfterEach
    void closeSession() {
        session.close();
    }

    @Test
    void sessionNotOfferingWindowsSendsNoQuietState() {
        List<Frame> reply = exchange(now());

        assertThat(quietStates(reply)).isEmpty();
    }

    @Test
    void idleKernelIsQuietForever() {
        session.offerQuietWindows();

        List<Frame> reply = exchange(now());

        assertThat(quietUntil(reply)).isEqualTo(Long.MAX_VALUE);
        assertThat(reply.indexOf(quietStates(reply).get(0))).as("state ahead of the response").isEqualTo(reply.size() - 2);
    }

    @Test
    void windowEndsAtTheScheduledConnect() {
        session.offerQuietWindows();
        long centre = setUpNotifications();

        List<Frame> reply = exchange(request(Opcode.MV_REQUEST_NETWORK, Field.Pointer.at(0x3200), new Field.U32(1),
                new Field.U64(centre), new Field.U32(7), Field.Pointer.at(0x3300)));

        Duration connectDelay = kernel.faultPlan().connectDelay();
        assertThat(quietUntil(reply)).isEqualTo(START_MICROS + connectDelay.toNanos() / 1_000);
    }

    @Test
    void windowEndsWithTheDownWindowCoveringNow() {
        FaultPlan plan = FaultPlan.builder().downBetween(Duration.ZERO, Duration.ofMillis(30)).build();
        DeviceKernel downKernel = DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory())
                .clock(new VirtualClock(START_MICROS)).faultPlan(plan).build();
        try (DeviceSession down = new DeviceSession(downKernel)) {
            down.offerQuietWindows();
            List<Frame> reply = new ArrayList<>();

            down.handle(FrameCodec.encode(now()), bytes -> reply.add(decode(bytes)));

            assertThat(quietUntil(reply)).as("a request after the window ends connects sooner").isEqualTo(30_000);
        }
    }

    @Test
    void sleepReportMovesKernelClock() {
        session.offerQuietWindows();

        exchange(new Frame.Report(++sequence, Opcode.HARNESS_SLEEP, List.of(new Field.U64(500)), 0,
                List.of(new Field.U64(START_MICROS + 500))));

        assertThat(kernel.clock().nowMicros()).isEqualTo(START_MICROS + 500);
        assertThat(session.divergences()).isZero();
    }

    @Test
    void waitReportMovesWholeLength() {
        session.offerQuietWindows();

        exchange(new Frame.Report(++sequence, Opcode.HARNESS_WAIT, List.of(new Field.U64(3_000), new Field.U64(1_000)), 0,
                List.of(new Field.U64(START_MICROS + 3_000))));

        assertThat(kernel.clock().nowMicros()).isEqualTo(START_MICROS + 3_000);
        assertThat(session.divergences()).isZero();
    }

    @Test
    void sleepReportOverAnEventDiverges() {
        session.offerQuietWindows();
        long centre = setUpNotifications();
        exchange(request(Opcode.MV_REQUEST_NETWORK, Field.Pointer.at(0x3200), new Field.U32(1), new Field.U64(centre),
                new Field.U32(7), Field.Pointer.at(0x3300)));
        long connectAt = kernel.nextDueMicros();

        // The app slept up to the connect without an exchange, so it never saw the connect's notification.
        exchange(new Frame.Report(++sequence, Opcode.HARNESS_SLEEP, List.of(new Field.U64(connectAt - START_MICROS)), 0,
                List.of(new Field.U64(connectAt))));

        assertThat(session.divergences()).isEqualTo(1);
        assertThat(session.divergenceDescriptions()).singleElement().asString().contains("mvhost_clock_sleep_us")
                .contains("moved the clock to " + connectAt + " µs by itself, past the kernel's next event at "
                        + connectAt + " µs");
    }

    @Test
    void sleepReportWithAnotherEndDiverges() {
        session.offerQuietWindows();

        exchange(new Frame.Report(++sequence, Opcode.HARNESS_SLEEP, List.of(new Field.U64(500)), 0,
                List.of(new Field.U64(START_MICROS + 400))));

        assertThat(session.divergenceDescriptions()).singleElement().asString()
                .contains("libmvhost moved the clock to " + (START_MICROS + 400) + " µs, the kernel to "
                        + (START_MICROS + 500) + " µs");
    }

    @Test
    void javaAdvanceTakesWindowBack() {
        session.offerQuietWindows();
        List<byte[]> pushed = new ArrayList<>();
        session.setNotificationSink(pushed::add);
        exchange(now());

        kernel.advanceMicros(10);

        List<Frame> frames = new ArrayList<>();
        for (byte[] frame : pushed) {
            frames.add(decode(frame));
        }
        assertThat(quietStates(frames)).isNotEmpty()
                .allSatisfy(state -> assertThat(state.fields()).containsExactly(new Field.U64(QuietWindow.NONE)));
    }

    @Test
    void wallClockSendsNoQuietState() {
        DeviceKernel wallKernel = DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory()).clock(new WallClock()).build();
        try (DeviceSession wall = new DeviceSession(wallKernel)) {
            wall.offerQuietWindows();
            List<Frame> reply = new ArrayList<>();

            wall.handle(FrameCodec.encode(now()), bytes -> reply.add(decode(bytes)));

            assertThat(quietStates(reply)).isEmpty();
        }
    }

    @Test
    void onlySleepAndWaitControlsCanBeReported() {
        assertThatThrownBy(() -> new Frame.Report(1, Opcode.HARNESS_NOW, List.of(), 0, List.of(new Field.U64(0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be reported");

        byte[] sleepReport = FrameCodec.encode(new Frame.Report(1, Opcode.HARNESS_SLEEP, List.of(new Field.U64(5)), 0,
                List.of(new Field.U64(5))));
        // The same bytes with the opcode of POLL (0x0103) instead of SLEEP (0x0102).
        sleepReport[4] = 0x03;
        assertThatThrownBy(() -> FrameCodec.decode(sleepReport)).isInstanceOfSatisfying(FrameFormatException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_OPCODE));
    }

    private long setUpNotifications() {
        Frame.Response setup = response(exchange(request(Opcode.MV_SETUP_NOTIFICATIONS, Field.Pointer.at(0x3000),
                new Field.U32(41), Field.Pointer.at(RING_ADDRESS), new Field.U32(8 * 16), Field.Pointer.at(0x3100))));
        assertThat(setup.status()).isEqualTo(MvStatus.OKAY.code());
        return ((Field.U64) setup.outputs().get(0)).value();
    }

    private Frame.Control now() {
        return new Frame.Control(++sequence, Opcode.HARNESS_NOW, List.of());
    }

    private Frame.Request request(Opcode opcode, Field... arguments) {
        return new Frame.Request(++sequence, opcode, true, List.of(arguments));
    }

    private List<Frame> exchange(Frame frame) {
        List<Frame> frames = new ArrayList<>();
        session.handle(FrameCodec.encode(frame), bytes -> frames.add(decode(bytes)));
        return frames;
    }

    private static Frame decode(byte[] bytes) {
        try {
            return FrameCodec.decode(bytes);
        } catch (FrameFormatException e) {
            throw new AssertionError("session sent an invalid frame", e);
        }
    }

    private static Frame.Response response(List<Frame> reply) {
        assertThat(reply).last().isInstanceOf(Frame.Response.class);
        return (Frame.Response) reply.get(reply.size() - 1);
    }

    private static List<Frame.State> quietStates(List<Frame> frames) {
        List<Frame.State> states = new ArrayList<>();
        for (Frame frame : frames) {
            if (frame instanceof Frame.State state && state.opcode() == StateOpcode.QUIET) {
                states.add(state);
            }
        }
        return states;
    }

    private static long quietUntil(List<Frame> reply) {
        List<Frame.State> states = quietStates(reply);
        assertThat(states).as("QUIET states in the reply").hasSize(1);
        return ((Field.U64) states.get(0).fields().get(0)).value();
    }
}
