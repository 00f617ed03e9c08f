package dev.mvsim.host;

import static dev.mvsim.host.SessionFixture.DEVICE_SID;
import static dev.mvsim.host.SessionFixture.decodeAll;
import static dev.mvsim.host.SessionFixture.states;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvsim.kernel.DeviceKernel;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** QUIET states: the kernel's next event time ahead of each RESPONSE, and SLEEP and WAIT replayed from REPORTs. */
class QuietWindowTest {

    private static final long START_MICROS = 1_000;

    @RegisterExtension
    final SessionFixture fixture = new SessionFixture(START_MICROS);
    private final DeviceKernel kernel = fixture.kernel;
    private final DeviceSession session = fixture.session;

    @Test
    void sessionNotOfferingWindowsSendsNoQuietState() {
        List<Frame> reply = fixture.exchange(fixture.control(Opcode.HARNESS_NOW));

        assertThat(states(reply, StateOpcode.QUIET)).isEmpty();
    }

    @Test
    void idleKernelIsQuietForever() {
        session.offerQuietWindows();

        List<Frame> reply = fixture.exchange(fixture.control(Opcode.HARNESS_NOW));

        assertThat(quietUntil(reply)).isEqualTo(Long.MAX_VALUE);
        assertThat(reply.indexOf(states(reply, StateOpcode.QUIET).get(0))).as("state ahead of the response")
                .isEqualTo(reply.size() - 2);
    }

    @Test
    void windowEndsAtTheScheduledConnect() {
        session.offerQuietWindows();

        List<Frame> reply = fixture.requestNetwork(fixture.setUpNotifications());

        Duration connectDelay = kernel.faultPlan().connectDelay();
        assertThat(quietUntil(reply)).isEqualTo(START_MICROS + connectDelay.toNanos() / 1_000);
    }

    @Test
    void windowEndsWithTheDownWindowCoveringNow() {
        FaultPlan plan = FaultPlan.builder().downBetween(Duration.ZERO, Duration.ofMillis(30)).build();
        try (SessionFixture down = new SessionFixture(DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory())
                .clock(new VirtualClock(START_MICROS)).faultPlan(plan).build())) {
            down.session.offerQuietWindows();

            List<Frame> reply = down.exchange(down.control(Opcode.HARNESS_NOW));

            assertThat(quietUntil(reply)).as("a request after the window ends connects sooner").isEqualTo(30_000);
        }
    }

    @Test
    void sleepReportMovesKernelClock() {
        session.offerQuietWindows();

        fixture.exchange(clockReport(Opcode.HARNESS_SLEEP, List.of(new Field.U64(500)), START_MICROS + 500));

        assertThat(kernel.clock().nowMicros()).isEqualTo(START_MICROS + 500);
        assertThat(session.divergences()).isZero();
    }

    @Test
    void waitReportMovesWholeLength() {
        session.offerQuietWindows();

        fixture.exchange(clockReport(Opcode.HARNESS_WAIT, List.of(new Field.U64(3_000), new Field.U64(1_000)),
                START_MICROS + 3_000));

        assertThat(kernel.clock().nowMicros()).isEqualTo(START_MICROS + 3_000);
        assertThat(session.divergences()).isZero();
    }

    @Test
    void sleepReportOverAnEventDiverges() {
        session.offerQuietWindows();
        fixture.requestNetwork(fixture.setUpNotifications());
        long connectAt = kernel.nextDueMicros();

        // The app slept up to the connect without an exchange, so it never saw the connect's notification.
        fixture.exchange(clockReport(Opcode.HARNESS_SLEEP, List.of(new Field.U64(connectAt - START_MICROS)), connectAt));

        assertThat(session.divergences()).isEqualTo(1);
        assertThat(session.divergenceDescriptions()).singleElement().asString().contains("mvhost_clock_sleep_us")
                .contains("moved the clock to " + connectAt + " µs by itself, past the kernel's next event at "
                        + connectAt + " µs");
    }

    @Test
    void sleepReportWithAnotherEndDiverges() {
        session.offerQuietWindows();

        fixture.exchange(clockReport(Opcode.HARNESS_SLEEP, List.of(new Field.U64(500)), START_MICROS + 400));

        assertThat(session.divergenceDescriptions()).singleElement().asString()
                .contains("libmvhost moved the clock to " + (START_MICROS + 400) + " µs, the kernel to "
                        + (START_MICROS + 500) + " µs");
    }

    @Test
    void javaAdvanceTakesWindowBack() {
        session.offerQuietWindows();
        List<byte[]> pushed = new ArrayList<>();
        session.setNotificationSink(pushed::add);
        fixture.exchange(fixture.control(Opcode.HARNESS_NOW));

        kernel.advanceMicros(10);

        assertThat(states(decodeAll(pushed), StateOpcode.QUIET)).isNotEmpty()
                .allSatisfy(state -> assertThat(state.fields()).containsExactly(new Field.U64(QuietWindow.NONE)));
    }

    @Test
    void wallClockSendsNoQuietState() {
        try (SessionFixture wall = new SessionFixture(DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory())
                .clock(new WallClock()).build())) {
            wall.session.offerQuietWindows();

            List<Frame> reply = wall.exchange(wall.control(Opcode.HARNESS_NOW));

            assertThat(states(reply, StateOpcode.QUIET)).isEmpty();
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

    /** A REPORT of a SLEEP or WAIT that libmvhost ran itself and that ended at {@code reachedMicros}. */
    private Frame.Report clockReport(Opcode opcode, List<Field> arguments, long reachedMicros) {
        return fixture.report(opcode, arguments, 0, List.of(new Field.U64(reachedMicros)));
    }

    private static long quietUntil(List<Frame> reply) {
        List<Frame.State> quiet = states(reply, StateOpcode.QUIET);
        assertThat(quiet).as("QUIET states in the reply").hasSize(1);
        return ((Field.U64) quiet.get(0).fields().get(0)).value();
    }
}
