package dev.mvsim.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvEventType;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.TraceEntry;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.kernel.WallClock;
import dev.mvsim.link.InMemoryItemDirectory;
import dev.mvsim.wire.ErrorCode;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.FrameFormatException;
import dev.mvsim.wire.FrameKind;
import dev.mvsim.wire.StateOpcode;
import dev.mvsim.wire.Opcode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeviceSessionTest {

    private static final String DEVICE_SID = "UV0123456789abcdef0123456789abcdef";
    private static final long RING_ADDRESS = 0x2000_0000L;
    private static final int IRQ = 41;

    private final VirtualClock clock = new VirtualClock(1_000);
    private final DeviceKernel kernel = DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory())
            .clock(clock).build();
    private final DeviceSession session = new DeviceSession(kernel);
    private int sequence;

    @AfterEach
    void closeSession() {
        session.close();
    }

    @Test
    void getMicrosecondsReturnsKernelClock() throws Exception {
        Frame.Response response = call(Opcode.MV_GET_MICROSECONDS, Field.Pointer.at(0x1000));

        assertThat(response.status()).isEqualTo(MvStatus.OKAY.code());
        assertThat(response.outputs()).containsExactly(new Field.U64(1_000));
    }

    @Test
    void absentPointerGetsParameterFaultAndNoOutput() throws Exception {
        Frame.Response response = call(Opcode.MV_GET_MICROSECONDS, Field.Pointer.ABSENT);

        assertThat(response.status()).isEqualTo(MvStatus.PARAMETERFAULT.code());
        assertThat(response.outputs()).containsExactly(Field.None.INSTANCE);
    }

    @Test
    void deviceIdTravelsAsBytes() throws Exception {
        Frame.Response response = call(Opcode.MV_GET_DEVICE_ID, Field.Pointer.at(0x1000), new Field.U32(34));

        assertThat(response.status()).isEqualTo(MvStatus.OKAY.code());
        assertThat(response.outputs()).containsExactly(new Field.Bytes(DEVICE_SID.getBytes()));
    }

    @Test
    void outOfScopeSyscallIsUnavailable() throws Exception {
        Frame.Response response = call(Opcode.MV_GET_SYS_CLK, Field.Pointer.at(0x1000));

        assertThat(response.status()).isEqualTo(MvStatus.UNAVAILABLE.code());
        assertThat(response.outputs()).containsExactly(Field.None.INSTANCE);
        assertThat(session.kernel().trace()).last().extracting(TraceEntry::call, TraceEntry::status)
                .containsExactly("mvGetSysClk", MvStatus.UNAVAILABLE);
    }

    @Test
    void outOfScopeSyscallWithNullPointerIsStillUnavailable() throws Exception {
        Frame.Response response = call(Opcode.MV_GET_SYS_CLK, Field.Pointer.ABSENT);

        assertThat(response.status()).isEqualTo(MvStatus.UNAVAILABLE.code());
    }

    @Test
    void replyCarriesDueNotificationsBeforeResponse() throws Exception {
        long centre = setupCentre();
        requestNetwork(centre);

        List<Frame> reply = exchange(new Frame.Control(++sequence, Opcode.HARNESS_SLEEP, List.of(new Field.U64(5_000_000))));

        List<Frame> leading = reply.subList(0, reply.size() - 1);
        assertThat(reply).last().isInstanceOf(Frame.Response.class);
        assertThat(leading).filteredOn(frame -> !(frame instanceof Frame.Notification))
                .as("frames other than notifications").allSatisfy(frame ->
                        assertThat(((Frame.State) frame).opcode()).isEqualTo(StateOpcode.NETWORK));
        assertThat(leading).filteredOn(Frame.Notification.class::isInstance).isNotEmpty().allSatisfy(frame -> {
            Frame.Notification notification = (Frame.Notification) frame;
            assertThat(notification.centreHandle()).isEqualTo(centre);
            assertThat(notification.ringAddress()).isEqualTo(RING_ADDRESS);
            assertThat(notification.irq()).isEqualTo(IRQ);
            assertThat(notification.eventType()).isEqualTo(MvEventType.NETWORKSTATUSCHANGED.code());
            assertThat(notification.tag()).isEqualTo(7);
        });
        assertThat(((Frame.Response) reply.get(reply.size() - 1)).outputs())
                .containsExactly(new Field.U64(5_001_000));
    }

    @Test
    void notificationsOutsideHandleLeadNextReply() throws Exception {
        long centre = setupCentre();
        requestNetwork(centre);

        kernel.advanceMicros(5_000_000);
        List<Frame> reply = exchange(new Frame.Control(++sequence, Opcode.HARNESS_POLL, List.of()));

        assertThat(reply).hasSizeGreaterThan(3);
        assertThat(reply.get(0)).isInstanceOf(Frame.State.class);
        assertThat(reply.get(1)).as("NETWORK state ahead of the notification").isInstanceOf(Frame.State.class);
        assertThat(reply.get(2)).isInstanceOf(Frame.Notification.class);
        assertThat(reply).last().isInstanceOf(Frame.Response.class);
    }

    @Test
    void notificationsOutsideHandleGoToSink() throws Exception {
        List<byte[]> pushed = new ArrayList<>();
        session.setNotificationSink(collectingOtherThanReservations(pushed));
        long centre = setupCentre();
        requestNetwork(centre);

        kernel.advanceMicros(5_000_000);

        assertThat(pushed).hasSizeGreaterThan(2);
        assertThat(FrameCodec.decode(pushed.get(0))).isInstanceOf(Frame.State.class);
        assertThat(FrameCodec.decode(pushed.get(1))).as("NETWORK state ahead of the notification")
                .isInstanceOf(Frame.State.class);
        assertThat(FrameCodec.decode(pushed.get(2))).isInstanceOf(Frame.Notification.class);
    }

    @Test
    void pollerDeliversEventsToSink() throws Exception {
        CountDownLatch delivered = new CountDownLatch(1);
        session.setNotificationSink(frame -> {
            if (frame[3] == FrameKind.NOTIFICATION.code()) {
                delivered.countDown();
            }
        });
        long centre = setupCentre();
        requestNetwork(centre);

        // The clock moves without a kernel call, as a wall clock does; only the poller can deliver.
        clock.advanceTo(10_000_000);
        try (AutoCloseable poller = session.pollEvery(Duration.ofMillis(1))) {
            assertThat(delivered.await(10, TimeUnit.SECONDS)).as("notification within 10 s").isTrue();
        }
    }

    @Test
    void firstReplyStartsWithClockState() throws Exception {
        List<Frame> reply = exchange(new Frame.Control(++sequence, Opcode.HARNESS_POLL, List.of()));

        assertThat(reply).hasSize(2);
        assertThat(reply.get(0)).isInstanceOfSatisfying(Frame.State.class, state ->
                assertThat(state).isEqualTo(Frame.State.clock(state.sequence(), StateOpcode.CLOCK_VIRTUAL, 1_000)));
        assertThat(reply.get(1)).isInstanceOf(Frame.Response.class);
    }

    @Test
    void stillClockSendsNoSecondState() throws Exception {
        exchange(new Frame.Control(++sequence, Opcode.HARNESS_POLL, List.of()));

        List<Frame> reply = exchange(new Frame.Control(++sequence, Opcode.HARNESS_POLL, List.of()));

        assertThat(reply).singleElement().isInstanceOf(Frame.Response.class);
    }

    @Test
    void ownSleepSendsNoClockState() throws Exception {
        exchange(new Frame.Control(++sequence, Opcode.HARNESS_POLL, List.of()));

        List<Frame> sleep = exchange(new Frame.Control(++sequence, Opcode.HARNESS_SLEEP, List.of(new Field.U64(2_000))));
        List<Frame> poll = exchange(new Frame.Control(++sequence, Opcode.HARNESS_POLL, List.of()));

        assertThat(sleep).singleElement().isEqualTo(new Frame.Response(sequence - 1, Opcode.HARNESS_SLEEP, 0,
                List.of(new Field.U64(3_000))));
        assertThat(poll).singleElement().isInstanceOf(Frame.Response.class);
    }

    @Test
    void javaAdvanceSendsClockBeforeNextReply() throws Exception {
        exchange(new Frame.Control(++sequence, Opcode.HARNESS_POLL, List.of()));

        kernel.advanceMicros(250);
        List<Frame> reply = exchange(new Frame.Control(++sequence, Opcode.HARNESS_POLL, List.of()));

        assertThat(reply).hasSize(2);
        assertThat(((Frame.State) reply.get(0)).fields()).containsExactly(new Field.U32(StateOpcode.CLOCK_VIRTUAL),
                new Field.U64(1_250));
    }

    @Test
    void clockMovePushesStateToSink() throws Exception {
        List<byte[]> pushed = new ArrayList<>();
        session.setNotificationSink(collectingOtherThanReservations(pushed));

        clock.advanceTo(7_000);

        assertThat(pushed).hasSize(1);
        Frame.State state = (Frame.State) FrameCodec.decode(pushed.get(0));
        assertThat(state.fields()).containsExactly(new Field.U32(StateOpcode.CLOCK_VIRTUAL), new Field.U64(7_000));
    }

    @Test
    void closedSessionPushesNoClock() {
        List<byte[]> pushed = new ArrayList<>();
        session.setNotificationSink(pushed::add);
        session.close();

        clock.advanceTo(7_000);

        assertThat(pushed).isEmpty();
    }

    @Test
    void wallClockSendsOneWallState() throws Exception {
        DeviceKernel wallKernel = DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory()).clock(new WallClock()).build();
        try (DeviceSession wall = new DeviceSession(wallKernel)) {
            List<Frame> first = new ArrayList<>();
            List<Frame> second = new ArrayList<>();
            byte[] poll = FrameCodec.encode(new Frame.Control(1, Opcode.HARNESS_POLL, List.of()));
            wall.handle(poll, bytes -> first.add(decodeQuietly(bytes)));
            wall.handle(poll, bytes -> second.add(decodeQuietly(bytes)));
            first.removeIf(DeviceSessionTest::isReservation);
            second.removeIf(DeviceSessionTest::isReservation);

            assertThat(first).hasSize(2);
            assertThat(((Frame.State) first.get(0)).fields().get(0)).isEqualTo(new Field.U32(StateOpcode.CLOCK_WALL));
            assertThat(second).singleElement().isInstanceOf(Frame.Response.class);
        }
    }

    @Test
    void resendClockLeadsNextReplyWithClock() throws Exception {
        exchange(new Frame.Control(++sequence, Opcode.HARNESS_POLL, List.of()));

        session.resendClock();
        List<Frame> reply = exchange(new Frame.Control(++sequence, Opcode.HARNESS_POLL, List.of()));

        assertThat(reply).hasSize(2);
        assertThat(reply.get(0)).isInstanceOf(Frame.State.class);
    }

    @Test
    void waitOnWallClockLetsTimePass() throws Exception {
        DeviceKernel wallKernel = DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory()).clock(new WallClock()).build();
        try (DeviceSession wall = new DeviceSession(wallKernel)) {
            List<Frame> reply = new ArrayList<>();
            long before = wallKernel.clock().nowMicros();
            byte[] wait = FrameCodec.encode(new Frame.Control(1, Opcode.HARNESS_WAIT,
                    List.of(new Field.U64(3_000), new Field.U64(1_000))));

            wall.handle(wait, bytes -> reply.add(decodeQuietly(bytes)));

            long after = ((Field.U64) ((Frame.Response) reply.get(reply.size() - 1)).outputs().get(0)).value();
            assertThat(after - before).isGreaterThanOrEqualTo(3_000);
        }
    }

    @Test
    void waitWithoutEventsRunsFullDuration() throws Exception {
        List<Frame> reply = exchange(new Frame.Control(++sequence, Opcode.HARNESS_WAIT,
                List.of(new Field.U64(10_500), new Field.U64(1_000))));

        assertThat(reply).last().isEqualTo(new Frame.Response(sequence, Opcode.HARNESS_WAIT, 0,
                List.of(new Field.U64(11_500))));
    }

    @Test
    void waitStopsAtStepOfFirstNotification() throws Exception {
        long centre = setupCentre();
        requestNetwork(centre);
        long start = clock.nowMicros();

        List<Frame> reply = exchange(new Frame.Control(++sequence, Opcode.HARNESS_WAIT,
                List.of(new Field.U64(60_000_000), new Field.U64(1_000))));

        Frame.Notification first = (Frame.Notification) reply.stream()
                .filter(Frame.Notification.class::isInstance).findFirst().orElseThrow();
        long stopped = ((Field.U64) ((Frame.Response) reply.get(reply.size() - 1)).outputs().get(0)).value();
        assertThat(stopped).isLessThan(start + 60_000_000);
        assertThat((stopped - start) % 1_000).isZero();
        assertThat(stopped).isGreaterThanOrEqualTo(first.microseconds());
        assertThat(stopped - first.microseconds()).isLessThanOrEqualTo(1_000);
    }

    @Test
    void waitWithZeroStepIsRejected() throws Exception {
        List<Frame> reply = exchange(new Frame.Control(++sequence, Opcode.HARNESS_WAIT,
                List.of(new Field.U64(1_000), new Field.U64(0))));

        assertThat(((Frame.Response) reply.get(reply.size() - 1)).status()).isNotZero();
        assertThat(clock.nowMicros()).isEqualTo(1_000);
    }

    @Test
    void requestWithoutReplyWantedGetsNoResponse() throws Exception {
        List<Frame> reply = exchange(new Frame.Request(++sequence, Opcode.MV_GET_MICROSECONDS, false,
                List.of(Field.Pointer.at(0x1000))));

        assertThat(reply).isEmpty();
    }

    @Test
    void malformedFrameGetsErrorFrame() throws Exception {
        List<Frame> reply = exchange(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});

        assertThat(reply).singleElement().isInstanceOfSatisfying(Frame.Error.class,
                error -> assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED));
    }

    @Test
    void responseFrameFromAppIsRejected() throws Exception {
        List<Frame> reply = exchange(new Frame.Response(++sequence, Opcode.MV_NO_OP, 0, List.of()));

        assertThat(reply).singleElement().isInstanceOfSatisfying(Frame.Error.class, error -> {
            assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(error.sequence()).isEqualTo(sequence);
        });
    }

    @Test
    void handshakeGetsHandshake() throws Exception {
        List<Frame> reply = exchange(new Frame.Handshake(++sequence, 1, 1, 4096, "test"));

        assertThat(reply).singleElement().isInstanceOfSatisfying(Frame.Handshake.class,
                handshake -> assertThat(handshake.peerName()).isEqualTo(DeviceSession.PEER_NAME));
    }

    @Test
    void matchingReportGetsNoReply() throws Exception {
        Frame.Report report = new Frame.Report(++sequence, Opcode.MV_GET_MICROSECONDS, List.of(Field.Pointer.at(0x1000)),
                MvStatus.OKAY.code(), List.of(new Field.U64(1_000)));

        assertThat(exchange(report)).isEmpty();
        assertThat(session.divergences()).isZero();
    }

    @Test
    void differingReportIsDivergence() throws Exception {
        Frame.Report report = new Frame.Report(++sequence, Opcode.MV_GET_MICROSECONDS, List.of(Field.Pointer.ABSENT),
                MvStatus.OKAY.code(), List.of(new Field.U64(1_000)));

        exchange(report);

        assertThat(session.divergences()).isEqualTo(1);
        assertThat(session.divergenceDescriptions()).singleElement().asString()
                .contains("mvGetMicroseconds").contains("libmvhost answered OKAY").contains("the kernel PARAMETERFAULT");
    }

    @Test
    void reportsBeforeRequestRunInOrder() throws Exception {
        long centre = setupCentre();
        Frame.Report close = new Frame.Report(++sequence, Opcode.MV_CLOSE_NOTIFICATIONS,
                List.of(Field.Pointer.at(0x3100), new Field.U64(centre)), MvStatus.OKAY.code(), List.of(new Field.U64(0)));
        Frame.Request closeAgain = new Frame.Request(++sequence, Opcode.MV_CLOSE_NOTIFICATIONS, true,
                List.of(Field.Pointer.at(0x3100), new Field.U64(centre)));
        byte[] first = FrameCodec.encode(close);
        byte[] second = FrameCodec.encode(closeAgain);
        byte[] batch = new byte[first.length + second.length];
        System.arraycopy(first, 0, batch, 0, first.length);
        System.arraycopy(second, 0, batch, first.length, second.length);

        List<Frame> reply = exchange(batch);

        assertThat(reply).singleElement().isInstanceOf(Frame.Response.class);
        assertThat(((Frame.Response) reply.get(0)).status()).isEqualTo(MvStatus.INVALIDHANDLE.code());
        assertThat(session.divergences()).isZero();
    }

    private long setupCentre() throws FrameFormatException {
        Frame.Response response = call(Opcode.MV_SETUP_NOTIFICATIONS, Field.Pointer.at(0x3000), new Field.U32(IRQ),
                Field.Pointer.at(RING_ADDRESS), new Field.U32(8 * 16), Field.Pointer.at(0x3100));
        assertThat(response.status()).as("mvSetupNotifications").isEqualTo(MvStatus.OKAY.code());
        return ((Field.U64) response.outputs().get(0)).value();
    }

    private void requestNetwork(long centre) throws FrameFormatException {
        Frame.Response response = call(Opcode.MV_REQUEST_NETWORK, Field.Pointer.at(0x3200), new Field.U32(1),
                new Field.U64(centre), new Field.U32(7), Field.Pointer.at(0x3300));
        assertThat(response.status()).as("mvRequestNetwork").isEqualTo(MvStatus.OKAY.code());
    }

    /**
     * RESERVED_HANDLES and OPEN_BUDGET states lead every reply, and their own tests are in
     * HandleReservationsTest and OpenBudgetTest.
     */
    private static boolean isReservation(Frame frame) {
        return frame instanceof Frame.State state
                && (state.opcode() == StateOpcode.RESERVED_HANDLES || state.opcode() == StateOpcode.OPEN_BUDGET);
    }

    /** Returns a sink that collects pushed frames other than RESERVED_HANDLES and OPEN_BUDGET states into {@code frames}. */
    private static FrameSink collectingOtherThanReservations(List<byte[]> frames) {
        return encoded -> {
            if (!isReservation(decodeQuietly(encoded))) {
                frames.add(encoded);
            }
        };
    }

    private static Frame decodeQuietly(byte[] bytes) {
        try {
            return FrameCodec.decode(bytes);
        } catch (FrameFormatException e) {
            throw new AssertionError("session sent an invalid frame", e);
        }
    }

    private Frame.Response call(Opcode opcode, Field... arguments) throws FrameFormatException {
        List<Frame> reply = exchange(new Frame.Request(++sequence, opcode, true, List.of(arguments)));
        assertThat(reply).last().isInstanceOf(Frame.Response.class);
        return (Frame.Response) reply.get(reply.size() - 1);
    }

    private List<Frame> exchange(Frame frame) throws FrameFormatException {
        return exchange(FrameCodec.encode(frame));
    }

    private List<Frame> exchange(byte[] bytes) throws FrameFormatException {
        List<Frame> frames = new ArrayList<>();
        List<FrameFormatException> faults = new ArrayList<>();
        session.handle(bytes, encoded -> {
            try {
                Frame frame = FrameCodec.decode(encoded);
                if (!isReservation(frame)) {
                    frames.add(frame);
                }
            } catch (FrameFormatException e) {
                faults.add(e);
            }
        });
        if (!faults.isEmpty()) {
            throw faults.get(0);
        }
        return frames;
    }
}
