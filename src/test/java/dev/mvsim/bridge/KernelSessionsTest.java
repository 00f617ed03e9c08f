package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.kernel.AppBuffer;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvChannelType;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvNotificationSetup;
import dev.mvsim.kernel.MvOpenChannelParams;
import dev.mvsim.kernel.MvRequestNetworkParams;
import dev.mvsim.kernel.MvSizedString;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.Out;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.InMemoryItemDirectory;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.Opcode;
import dev.mvsim.wire.StateOpcode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which kernel a device gets when it connects again: its own kept one, or a fresh one at its time. */
class KernelSessionsTest {

    private static final String DEVICE = BridgeFixture.DEVICE_A;
    private static final String OTHER_DEVICE = BridgeFixture.DEVICE_B;

    private KernelSessions sessions = new KernelSessions(new InMemoryItemDirectory(), ClockChoice.VIRTUAL,
            FaultPlan.none());

    @AfterEach
    void stop() {
        sessions.close();
    }

    private static long sleep(BridgeSession session, long micros) throws Exception {
        return clockOutput(session.exchange(FrameCodec.encode(new Frame.Control(1, Opcode.HARNESS_SLEEP,
                List.of(new Field.U64(micros))))));
    }

    private static long now(BridgeSession session) throws Exception {
        return clockOutput(session.exchange(FrameCodec.encode(new Frame.Control(2, Opcode.HARNESS_NOW, List.of()))));
    }

    private static long clockOutput(byte[] reply) throws Exception {
        List<Frame> frames = FrameCodec.decodeAll(reply);
        Frame.Response response = (Frame.Response) frames.get(frames.size() - 1);
        return ((Field.U64) response.outputs().get(0)).value();
    }

    private BridgeSession open(String sid, long bootId, long deviceTimeMicros) {
        return sessions.open(new SessionRequest(sid, ClockChoice.SERVER_DEFAULT, bootId, deviceTimeMicros));
    }

    @Test
    void sameBootGetsKeptKernel() throws Exception {
        BridgeSession first = open(DEVICE, 7, 0);
        sleep(first, 5_000_000);
        first.close();
        assertThat(sessions.keptKernels()).isEqualTo(1);

        BridgeSession again = open(DEVICE, 7, 0);

        assertThat(now(again)).isEqualTo(5_000_000);
        assertThat(sessions.keptKernels()).isZero();
    }

    @Test
    void divergencesAddUpOverDevices() throws Exception {
        BridgeSession first = open(DEVICE, 7, 0);
        BridgeSession second = open(OTHER_DEVICE, 8, 0);
        // Each device claims a sleep of 500 µs ended at 400 µs, which its kernel does not confirm.
        Frame.Report wrongSleep = new Frame.Report(3, Opcode.HARNESS_SLEEP, List.of(new Field.U64(500)), 0,
                List.of(new Field.U64(400)));
        now(first);
        now(second);

        first.exchange(FrameCodec.encode(wrongSleep));
        second.exchange(FrameCodec.encode(wrongSleep));

        assertThat(sessions.divergences()).isEqualTo(2);
    }

    @Test
    void freshKernelSkipsCallsMadeAgainstLostOne() throws Exception {
        BridgeSession restarted = open(DEVICE, 7, 0);
        // A close libmvhost replied to itself against the kernel the simulator had before it restarted.
        byte[] staleClose = FrameCodec.encode(new Frame.Report(2, Opcode.MV_CLOSE_NOTIFICATIONS,
                List.of(Field.Pointer.at(0x3100), new Field.U64(0x77)), MvStatus.OKAY.code(), List.of(new Field.U64(0))));

        restarted.exchange(staleClose);
        now(restarted);
        restarted.exchange(staleClose);

        assertThat(KernelSessions.sessionOf(restarted).staleReportsSkipped()).isEqualTo(1);
        assertThat(sessions.divergences()).as("only the one after the first reply runs").isEqualTo(1);
    }

    @Test
    void reportsSentAgainAfterReconnectRunOnce() throws Exception {
        BridgeSession first = open(DEVICE, 7, 0);
        List<Frame> setup = FrameCodec.decodeAll(first.exchange(FrameCodec.encode(new Frame.Request(1,
                Opcode.MV_SETUP_NOTIFICATIONS, true, List.of(Field.Pointer.at(0x3000), new Field.U32(41),
                        Field.Pointer.at(0x2000_0000L), new Field.U32(8 * 16), Field.Pointer.at(0x3100))))));
        long centre = ((Field.U64) ((Frame.Response) setup.get(setup.size() - 1)).outputs().get(0)).value();
        // A close libmvhost answered itself: running it a second time would get INVALIDHANDLE, a divergence.
        byte[] close = FrameCodec.encode(new Frame.Report(2, Opcode.MV_CLOSE_NOTIFICATIONS,
                List.of(Field.Pointer.at(0x3100), new Field.U64(centre)), MvStatus.OKAY.code(), List.of(new Field.U64(0))));
        first.exchange(close);
        first.close();

        // The link broke after the server read the REPORT, so libmvhost sends it again, then a newer one.
        BridgeSession again = open(DEVICE, 7, 0);
        again.exchange(close);
        again.exchange(FrameCodec.encode(new Frame.Report(3, Opcode.MV_CLOSE_NOTIFICATIONS,
                List.of(Field.Pointer.at(0x3100), new Field.U64(centre)), MvStatus.OKAY.code(), List.of(new Field.U64(0)))));

        assertThat(KernelSessions.sessionOf(again).repeatedReportsSkipped()).isEqualTo(1);
        assertThat(sessions.divergences()).as("only the newer close, of a centre closed already").isEqualTo(1);
    }

    @Test
    void reconnectBeforeOldConnectionEndsTakesKernelOver() throws Exception {
        BridgeSession first = open(DEVICE, 7, 0);
        DeviceKernel kernel = KernelSessions.kernelOf(first);
        long network = connectedNetwork(kernel);

        // The device gave the old connection up, but the server has not read its end yet.
        BridgeSession second = open(DEVICE, 7, 0);

        assertThat(KernelSessions.kernelOf(second)).as("the device's own kernel, with its handles").isSameAs(kernel);
        assertThat(first.exchange(FrameCodec.encode(new Frame.Control(5, Opcode.HARNESS_NOW, List.of()))))
                .as("the old connection reaches the kernel no more").isEmpty();
        first.close();
        assertThat(sessions.keptKernels()).as("the old connection's end keeps nothing").isZero();
        assertThat(now(second)).as("the same clock, past the connect delay").isEqualTo(200_000);
        assertThat(networkStatus(kernel, network)).as("the loss was applied at the first call")
                .isEqualTo(MvNetworkStatus.CONNECTING);
    }

    @Test
    void resumeResendsLostReply() throws Exception {
        SessionFrames before = framesOf(open(DEVICE, 7, 0));
        byte[] setup = before.serve(setupRequest(11));
        before.session().close();

        SessionFrames after = framesOf(open(DEVICE, 7, 0));

        assertThat(after.serve(resume(11, Opcode.MV_SETUP_NOTIFICATIONS))).isEqualTo(setup);
        assertThat(KernelSessions.kernelOf(after.session()).stats().liveHandles())
                .as("the setup ran once").isEqualTo(1);
    }

    @Test
    void resumeOfRequestThatNeverRanSaysSo() throws Exception {
        SessionFrames after = framesAfterSetupAndLoss(7);

        assertThat(lastFrame(after.serve(resume(12, Opcode.MV_SETUP_NOTIFICATIONS)))).isEqualTo(neverRan(12, true));
        assertThat(lastFrame(after.serve(resume(11, Opcode.MV_OPEN_CHANNEL)))).isEqualTo(neverRan(11, true));
    }

    @Test
    void takeoverKeepsLastReply() throws Exception {
        SessionFrames stale = framesOf(open(DEVICE, 7, 0));
        byte[] setup = stale.serve(setupRequest(11));

        SessionFrames fresh = framesOf(open(DEVICE, 7, 0));
        // A request the old connection reads after the takeover never runs, and is not remembered.
        stale.serve(FrameCodec.encode(new Frame.Control(12, Opcode.HARNESS_NOW, List.of())));

        assertThat(fresh.serve(resume(11, Opcode.MV_SETUP_NOTIFICATIONS))).isEqualTo(setup);
    }

    @Test
    void freshKernelHasNoReplyToResume() throws Exception {
        SessionFrames rebooted = framesAfterSetupAndLoss(8);

        assertThat(lastFrame(rebooted.serve(resume(11, Opcode.MV_SETUP_NOTIFICATIONS)))).isEqualTo(neverRan(11, false));
    }

    @Test
    void resumeResendsPushesAfterLastRead() throws Exception {
        SessionFrames before = framesOf(open(DEVICE, 7, 0));
        before.serve(setupRequest(11));
        before.session().pushWritten(ScriptedSession.notification(100, 1));
        before.session().pushWritten(ScriptedSession.notification(101, 2));
        before.session().close();
        SessionFrames after = framesOf(open(DEVICE, 7, 0));

        List<Frame> reply = FrameCodec.decodeAll(after.serve(resume(0, 0, 100)));

        assertThat(reply).hasSize(2);
        assertThat(reply.get(0).sequence()).as("only the push after the last one read").isEqualTo(101);
        assertThat(reply.get(1)).isEqualTo(neverRan(0, true));
    }

    @Test
    void resumeComparesWrappedSequences() throws Exception {
        SessionFrames before = framesOf(open(DEVICE, 7, 0));
        before.serve(setupRequest(11));
        // The kernel's counter passes 2^32 - 1 and starts again at 0.
        before.session().pushWritten(ScriptedSession.notification(-2, 1));
        before.session().pushWritten(ScriptedSession.notification(-1, 2));
        before.session().pushWritten(ScriptedSession.notification(1, 3));
        before.session().close();
        SessionFrames after = framesOf(open(DEVICE, 7, 0));

        List<Frame> reply = FrameCodec.decodeAll(after.serve(resume(0, 0, -2)));

        assertThat(reply.stream().map(Frame::sequence).toList()).containsExactly(-1, 1, 0);
    }

    @Test
    void resumeResendsPushesAroundLostReply() throws Exception {
        SessionFrames before = framesOf(open(DEVICE, 7, 0));
        before.serve(setupRequest(11));
        before.session().pushWritten(ScriptedSession.notification(100, 1));
        byte[] lost = before.serve(now(12));
        before.session().pushWritten(ScriptedSession.notification(200, 2));
        before.session().close();
        SessionFrames after = framesOf(open(DEVICE, 7, 0));

        byte[] resumed = after.serve(resume(12, Opcode.HARNESS_NOW.code(), 99));
        List<Frame> next = FrameCodec.decodeAll(after.serve(now(13)));

        // The push written before the lost reply leads it, and the one written after it leads the next reply.
        assertThat(FrameCodec.decodeAll(resumed).get(0).sequence()).isEqualTo(100);
        assertThat(Arrays.copyOfRange(resumed, resumed.length - lost.length, resumed.length)).isEqualTo(lost);
        assertThat(next.get(0).sequence()).isEqualTo(200);
    }

    @Test
    void pushBeforeReadReplyIsNotResent() throws Exception {
        SessionFrames before = framesOf(open(DEVICE, 7, 0));
        before.serve(setupRequest(11));
        before.session().pushWritten(ScriptedSession.notification(100, 1));
        before.serve(now(12));
        // Request 13 proves that the device read the reply to 12, and push 100 before it.
        before.serve(now(13));
        before.session().close();
        SessionFrames after = framesOf(open(DEVICE, 7, 0));

        List<Frame> reply = FrameCodec.decodeAll(after.serve(resume(0, 0, null)));

        assertThat(reply).containsExactly(neverRan(0, true));
    }

    private static byte[] now(int sequence) {
        return FrameCodec.encode(new Frame.Control(sequence, Opcode.HARNESS_NOW, List.of()));
    }

    /** Runs a setup as request 11 on boot 7, ends the connection, and connects again with {@code bootId}. */
    private SessionFrames framesAfterSetupAndLoss(long bootId) {
        SessionFrames before = framesOf(open(DEVICE, 7, 0));
        before.serve(setupRequest(11));
        before.session().close();
        return framesOf(open(DEVICE, bootId, 0));
    }

    private static Frame lastFrame(byte[] reply) throws Exception {
        List<Frame> frames = FrameCodec.decodeAll(reply);
        return frames.get(frames.size() - 1);
    }

    /** Returns the reply to a BRIDGE_RESUME whose request never reached the kernel, which was {@code kept}. */
    private static Frame.Response neverRan(int sequence, boolean kept) {
        return new Frame.Response(sequence, Opcode.BRIDGE_RESUME, 0, List.of(new Field.U32(kept ? 1 : 0)));
    }

    private static SessionFrames framesOf(BridgeSession session) {
        return new SessionFrames(DEVICE, "test peer", session, new BridgeStats());
    }

    private static byte[] setupRequest(int sequence) {
        return FrameCodec.encode(new Frame.Request(sequence, Opcode.MV_SETUP_NOTIFICATIONS, true,
                List.of(Field.Pointer.at(0x3000), new Field.U32(41), Field.Pointer.at(0x2000_0000L),
                        new Field.U32(8 * 16), Field.Pointer.at(0x3100))));
    }

    private static byte[] resume(int sequence, Opcode lost) {
        return resume(sequence, lost.code(), null);
    }

    /** Returns a BRIDGE_RESUME for the lost request's opcode (0 for none) after the notification {@code lastRead}, or none read. */
    private static byte[] resume(int sequence, int lostOpcode, Integer lastRead) {
        return FrameCodec.encode(new Frame.Control(sequence, Opcode.BRIDGE_RESUME, List.of(new Field.U32(lostOpcode),
                new Field.U32(lastRead == null ? 0 : 1), new Field.U32(lastRead == null ? 0 : lastRead))));
    }

    @Test
    void bridgeKernelKeepsNoTrace() throws Exception {
        BridgeSession session = open(DEVICE, 7, 0);

        session.exchange(FrameCodec.encode(new Frame.Request(1, Opcode.MV_GET_MICROSECONDS, true,
                List.of(Field.Pointer.at(0x1000)))));

        assertThat(KernelSessions.kernelOf(session).trace()).isEmpty();
    }

    @Test
    void quietWindowIsOffered() throws Exception {
        BridgeSession session = open(DEVICE, 7, 0);

        List<Frame> reply = FrameCodec.decodeAll(session.exchange(FrameCodec.encode(
                new Frame.Control(1, Opcode.HARNESS_NOW, List.of()))));

        assertThat(reply).anySatisfy(frame -> assertThat(frame).isInstanceOfSatisfying(Frame.State.class,
                state -> assertThat(state.opcode()).isEqualTo(StateOpcode.QUIET)));
    }

    @Test
    void reattachMovesVirtualClockToDeviceTime() throws Exception {
        BridgeSession first = open(DEVICE, 7, 0);
        sleep(first, 1_000_000);
        first.close();

        BridgeSession again = open(DEVICE, 7, 3_000_000);

        assertThat(now(again)).isEqualTo(3_000_000);
    }

    @Test
    void newBootGetsFreshKernelAtDeviceTime() throws Exception {
        BridgeSession first = open(DEVICE, 7, 0);
        sleep(first, 5_000_000);
        first.close();

        BridgeSession rebooted = open(DEVICE, 8, 1_000);

        assertThat(now(rebooted)).isEqualTo(1_000);
        assertThat(sessions.keptKernels()).as("kernel of the old boot").isZero();
    }

    @Test
    void bootIdZeroIsNeverKept() throws Exception {
        BridgeSession first = open(DEVICE, 0, 0);
        sleep(first, 5_000_000);
        first.close();

        assertThat(sessions.keptKernels()).isZero();
        assertThat(now(open(DEVICE, 0, 0))).isZero();
    }

    @Test
    void keptKernelsAreBounded() throws Exception {
        sessions.close();
        sessions = new KernelSessions(new InMemoryItemDirectory(), ClockChoice.VIRTUAL, FaultPlan.none(), 1,
                Duration.ofMinutes(10));
        BridgeSession first = open(DEVICE, 7, 0);
        sleep(first, 5_000_000);
        first.close();
        open(OTHER_DEVICE, 9, 0).close();

        assertThat(sessions.keptKernels()).isEqualTo(1);
        assertThat(now(open(DEVICE, 7, 0))).as("clock of a kernel that was dropped").isZero();
    }

    @Test
    void expiredKernelIsDropped() throws Exception {
        sessions.close();
        sessions = new KernelSessions(new InMemoryItemDirectory(), ClockChoice.VIRTUAL, FaultPlan.none(), 10,
                Duration.ZERO);
        BridgeSession first = open(DEVICE, 7, 0);
        sleep(first, 5_000_000);
        first.close();
        // A kept kernel expires once more than its age has passed; any nanosecond will do.
        long detached = System.nanoTime();
        while (System.nanoTime() == detached) {
            Thread.onSpinWait();
        }

        assertThat(now(open(DEVICE, 7, 0))).isZero();
    }

    @Test
    void virtualKernelTakesLossAfterKeptReports() throws Exception {
        BridgeSession first = open(DEVICE, 7, 0);
        DeviceKernel kernel = KernelSessions.kernelOf(first);
        long network = connectedNetwork(kernel);
        first.close();
        assertThat(networkStatus(kernel, network)).as("while detached: nothing happens on a stopped clock")
                .isEqualTo(MvNetworkStatus.CONNECTED);

        BridgeSession again = open(DEVICE, 7, 5_000_000);
        // A REPORT kept over the loss runs first, against the kernel as the app saw it.
        again.exchange(FrameCodec.encode(new Frame.Report(9, Opcode.MV_GET_MICROSECONDS, List.of(Field.Pointer.at(0x1000)),
                MvStatus.OKAY.code(), List.of(new Field.U64(0)))));
        assertThat(networkStatus(kernel, network)).as("after a kept REPORT").isEqualTo(MvNetworkStatus.CONNECTED);

        assertThat(now(again)).as("the first call moves the clock to the HELLO's device time").isEqualTo(5_000_000);
        assertThat(networkStatus(kernel, network)).as("and applies the loss").isEqualTo(MvNetworkStatus.CONNECTING);
        kernel.runUntilIdle();
        assertThat(networkStatus(kernel, network)).as("then the link comes back").isEqualTo(MvNetworkStatus.CONNECTED);
        assertThat(sessions.divergences()).isZero();
    }

    @Test
    void wallKernelTakesLossAtOnce() throws Exception {
        BridgeSession first = sessions.open(new SessionRequest(DEVICE, ClockChoice.WALL, 7, 0));
        DeviceKernel kernel = KernelSessions.kernelOf(first);
        long network = connectedNetwork(kernel);

        first.close();

        assertThat(networkStatus(kernel, network)).as("events go on while detached").isEqualTo(MvNetworkStatus.CONNECTING);
    }

    @Test
    void detachWritesNoRecordForTheLoss() throws Exception {
        BridgeSession first = open(DEVICE, 7, 0);
        DeviceKernel kernel = KernelSessions.kernelOf(first);
        long network = connectedNetwork(kernel);
        now(first);

        first.close();
        BridgeSession again = open(DEVICE, 7, 0);
        List<Frame> reply = FrameCodec.decodeAll(again.exchange(FrameCodec.encode(
                new Frame.Control(1, Opcode.HARNESS_NOW, List.of()))));

        // libmvhost wrote the loss's NETWORKSTATUSCHANGED itself; a second one would land in a slot the app read.
        assertThat(reply).noneMatch(frame -> frame instanceof Frame.Notification);
        assertThat(networkStatus(kernel, network)).isEqualTo(MvNetworkStatus.CONNECTING);
        kernel.runUntilIdle();
        List<Frame> later = FrameCodec.decodeAll(again.exchange(FrameCodec.encode(
                new Frame.Control(2, Opcode.HARNESS_NOW, List.of()))));
        assertThat(later).as("the reconnect is announced").anyMatch(frame -> frame instanceof Frame.Notification);
    }

    @Test
    void reattachedReplyListsLiveHandles() throws Exception {
        BridgeSession first = open(DEVICE, 7, 0);
        DeviceKernel kernel = KernelSessions.kernelOf(first);
        long network = connectedNetwork(kernel);
        long centre = kernel.liveHandles().centres().get(0).handle();
        Out.Handle channel = new Out.Handle();
        assertThat(kernel.mvOpenChannel(new MvOpenChannelParams(1, centre, 5, network, new AppBuffer(0x20001000L, 512),
                new AppBuffer(0x20001200L, 512), MvChannelType.CONFIGFETCH.code(), MvSizedString.EMPTY), channel))
                .isEqualTo(MvStatus.OKAY);
        first.close();

        BridgeSession again = open(DEVICE, 7, 0);
        List<Frame.State> firstReply = liveHandlesStates(nowReply(again, 1));
        List<Frame.State> secondReply = liveHandlesStates(nowReply(again, 2));

        assertThat(firstReply).as("LIVE_HANDLES states in the first reply").hasSize(1);
        assertThat(firstReply.get(0).fields()).containsExactly(
                new Field.FieldList(List.of(List.of(new Field.U64(centre), new Field.U64(0x20000000L),
                        new Field.U32(128)))),
                new Field.FieldList(List.of(List.of(new Field.U64(network)))),
                new Field.FieldList(List.of(List.of(new Field.U64(channel.value), new Field.U64(centre),
                        new Field.U32(5), new Field.U64(network), new Field.U64(0x20001000L), new Field.U32(512),
                        new Field.U64(0x20001200L), new Field.U32(512), new Field.U32(0)))));
        assertThat(secondReply).as("LIVE_HANDLES states in the second reply").isEmpty();
    }

    @Test
    void freshKernelListsNoHandles() throws Exception {
        BridgeSession first = open(DEVICE, 7, 0);
        connectedNetwork(KernelSessions.kernelOf(first));
        List<Frame.State> firstBoot = liveHandlesStates(nowReply(first, 1));
        first.close();

        BridgeSession rebooted = open(DEVICE, 8, 2_000_000);
        List<Frame.State> secondBoot = liveHandlesStates(nowReply(rebooted, 1));

        assertThat(firstBoot).as("LIVE_HANDLES states at the first connection").isEmpty();
        assertThat(secondBoot).as("LIVE_HANDLES states after a reboot").isEmpty();
    }

    @Test
    void restartedServerRestoresHandles() throws Exception {
        BridgeSession first = open(DEVICE, 7, 0);
        DeviceKernel kernel = KernelSessions.kernelOf(first);
        long network = connectedNetwork(kernel);
        long centre = kernel.liveHandles().centres().get(0).handle();
        first.close();
        sessions.close();
        sessions = new KernelSessions(new InMemoryItemDirectory(), ClockChoice.VIRTUAL, FaultPlan.none());

        BridgeSession restarted = open(DEVICE, 7, 1_000);
        List<Field> channel = List.of(new Field.U64(0x3000_0001L), new Field.U64(centre), new Field.U32(5),
                new Field.U64(network), new Field.U64(0x20001000L), new Field.U32(512), new Field.U64(0x20001200L),
                new Field.U32(512));
        Frame.Control restore = new Frame.Control(9, Opcode.BRIDGE_RESTORE, List.of(
                new Field.FieldList(List.of(List.of(new Field.U64(centre), new Field.U64(0x20000000L),
                        new Field.U32(128), new Field.U32(41)))),
                new Field.FieldList(List.of(List.of(new Field.U64(network), new Field.U64(centre), new Field.U32(1)))),
                new Field.FieldList(List.of(channel))));
        List<Frame> reply = FrameCodec.decodeAll(restarted.exchange(FrameCodec.encode(restore)));

        assertThat(reply.get(reply.size() - 1)).as("final frame").isEqualTo(
                new Frame.Response(9, Opcode.BRIDGE_RESTORE, 0, List.of(new Field.U32(3))));
        List<Frame.State> live = liveHandlesStates(reply);
        assertThat(live).as("LIVE_HANDLES states in the reply").hasSize(1);
        assertThat(live.get(0).fields()).containsExactly(
                new Field.FieldList(List.of(List.of(new Field.U64(centre), new Field.U64(0x20000000L),
                        new Field.U32(128)))),
                new Field.FieldList(List.of(List.of(new Field.U64(network)))),
                new Field.FieldList(List.of(List.of(new Field.U64(0x3000_0001L), new Field.U64(centre),
                        new Field.U32(5), new Field.U64(network), new Field.U64(0x20001000L), new Field.U32(512),
                        new Field.U64(0x20001200L), new Field.U32(512), new Field.U32(0)))));
        assertThat(networkStatus(KernelSessions.kernelOf(restarted), network)).as("status of the old request")
                .isEqualTo(MvNetworkStatus.CONNECTING);
    }

    /** Sends a HARNESS_NOW with {@code sequence} and returns the reply's frames. */
    private static List<Frame> nowReply(BridgeSession session, int sequence) throws Exception {
        return FrameCodec.decodeAll(session.exchange(FrameCodec.encode(
                new Frame.Control(sequence, Opcode.HARNESS_NOW, List.of()))));
    }

    private static List<Frame.State> liveHandlesStates(List<Frame> reply) {
        return reply.stream()
                .filter(frame -> frame instanceof Frame.State state && state.opcode() == StateOpcode.LIVE_HANDLES)
                .map(Frame.State.class::cast)
                .toList();
    }

    /** Sets up a centre and a network request in the kernel, lets it connect, and returns the request. */
    private static long connectedNetwork(DeviceKernel kernel) {
        Out.Handle centre = new Out.Handle();
        Out.Handle network = new Out.Handle();
        assertThat(kernel.mvSetupNotifications(new MvNotificationSetup(41, new AppBuffer(0x20000000L, 128)), centre))
                .isEqualTo(MvStatus.OKAY);
        assertThat(kernel.mvRequestNetwork(new MvRequestNetworkParams(1, centre.value, 1), network))
                .isEqualTo(MvStatus.OKAY);
        kernel.runUntilIdle();
        return network.value;
    }

    private static MvNetworkStatus networkStatus(DeviceKernel kernel, long network) {
        Out.Value<MvNetworkStatus> status = new Out.Value<>();
        assertThat(kernel.mvGetNetworkStatus(network, status)).isEqualTo(MvStatus.OKAY);
        return status.value;
    }

    @Test
    void wallClockStartsAtDeviceTime() throws Exception {
        BridgeSession session = sessions.open(new SessionRequest(DEVICE, ClockChoice.WALL, 7, 60_000_000));

        assertThat(session.wallClock()).isTrue();
        assertThat(now(session)).isBetween(60_000_000L, 70_000_000L);
    }

    @Test
    void serverDefaultClockIsNamedAsChosen() {
        try (KernelSessions wallDefault = new KernelSessions(new InMemoryItemDirectory(), ClockChoice.WALL,
                FaultPlan.none())) {
            BridgeSession wall = wallDefault.open(new SessionRequest(DEVICE, ClockChoice.SERVER_DEFAULT, 0, 0));
            BridgeSession virtual = sessions.open(new SessionRequest(OTHER_DEVICE, ClockChoice.SERVER_DEFAULT, 0, 0));

            assertThat(wall.clockName()).isEqualTo("wall");
            assertThat(virtual.clockName()).isEqualTo("virtual");
            wall.close();
            virtual.close();
        }
    }
}
