package dev.mvsim.host;

import dev.mvsim.kernel.ArrivedConfigResponse;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvEventType;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.NotificationDelivery;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.wire.ErrorCode;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.FrameFormatException;
import dev.mvsim.wire.FrameKind;
import dev.mvsim.wire.Opcode;
import dev.mvsim.wire.StateOpcode;
import dev.mvsim.wire.WireLimits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One app's connection to a {@link DeviceKernel}, independent of the transport: it takes request
 * and control frames, calls the kernel, and sends back the response with the notifications that
 * became due before it.
 *
 * <p>Notification records reach the app in one of two ways. Records written while a thread is
 * inside {@link #handle} travel in that reply, before the response frame, as the synchronous mode
 * of the wire protocol expects. Records written at any other time (a test moving the kernel's
 * clock from Java, a wall-clock poll) go to the asynchronous sink set with
 * {@link #setNotificationSink}; without one they wait and lead the next reply. On a wall clock,
 * {@link #pollEvery} makes the kernel deliver due events while the app makes no syscall.
 *
 * <p>libmvhost caches the kernel's clock from CLOCK state frames and reads it without an
 * exchange. The session sends one before its first reply, and again before a reply or with a
 * push whenever a virtual clock moved by anything other than the app's own sleep (a test calling
 * {@code kernel.advance}, say). A wall clock's time runs on at the host's rate, so one CLOCK is
 * enough.
 *
 * <p>libmvhost also caches each network request's status from NETWORK state frames. The session
 * sends one for every live request whose status differs from the last one sent: before the
 * RESPONSE that created the request, before any reply whose call changed a status, and ahead of a
 * pushed notification. A request released from Java, behind the app's back, is not announced, so
 * libmvhost's next local answer for it shows up as a divergence.
 *
 * <p>Every RESPONSE is led by a RESERVED_HANDLES state: handles reserved in the kernel that
 * libmvhost gives out when it answers {@code mvSetupNotifications}, {@code mvRequestNetwork} or
 * {@code mvOpenChannel} itself, with the facts that make those answers certain. A REPORT of such a call binds the handle
 * it names ({@link HandleReservations}). Before a test moves the kernel's time or link from Java,
 * the session pushes a state without handles that takes back the status of a new network request
 * until the next reply. An OPEN_BUDGET state before it says how many channels the kernel's limits
 * let the app open ({@link OpenBudget}), so that libmvhost can answer {@code mvOpenChannel} with a
 * reserved handle too.
 *
 * <p>After {@link #prepareForReconnect}, the next RESPONSE is also led by a LIVE_HANDLES state: the
 * app's live centres, network requests and channels, which a reconnected libmvhost tracks again
 * ({@link LiveHandlesState}).
 *
 * <p>A session that offers quiet windows ({@link #offerQuietWindows}) also leads every RESPONSE on a virtual clock
 * with a QUIET state: the time of the kernel's next event, before which libmvhost lets time pass
 * by itself ({@link QuietWindow}). It replays each such SLEEP or WAIT from its REPORT. Before a
 * test moves the kernel's time or link from Java, the session pushes a state that takes the
 * window back.
 *
 * <p>{@link #handle} does not throw on a bad frame: a frame that cannot be decoded, or one of a
 * kind the session does not accept, gets an ERROR frame and a log line. Only an exception from
 * the caller's own {@link FrameSink} reaches the caller. The session registers
 * itself as the kernel's notification listener, replacing any earlier one, and {@link #close}
 * removes it.
 */
public final class DeviceSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeviceSession.class);

    /** Status of a harness-control call with an invalid argument, as the C side's MVHOST_EREJECTED reports it. */
    private static final int INVALID_ARGUMENT = 1;

    /** Name this side gives in handshake frames. */
    public static final String PEER_NAME = "mvsim-kernel";

    private final DeviceKernel kernel;
    private final SyscallDispatcher syscalls;
    private final ReportChecker reports;
    private final HandleReservations reservations;
    private final OpenBudget openBudget;
    private final QuietWindow quiet;
    private final RepeatedReports repeatedReports = new RepeatedReports();
    private volatile boolean quietWindows;
    /** Set by a front end that opens a fresh kernel for a device that may have run on another one. */
    private volatile boolean skipReportsBeforeFirstReply;
    private volatile boolean replied;
    /** Set at a reattachment until a RESPONSE carried the LIVE_HANDLES state. */
    private volatile boolean liveHandlesDue;
    private long staleReportsSkipped;
    private final ThreadLocal<ReplyFrames> replyInProgress = ThreadLocal.withInitial(ReplyFrames::new);
    private final ConcurrentLinkedQueue<byte[]> waitingNotifications = new ConcurrentLinkedQueue<>();
    private final AtomicInteger notificationSequence = new AtomicInteger();
    private final List<ScheduledExecutorService> pollers = new CopyOnWriteArrayList<>();
    private volatile FrameSink notificationSink;
    private volatile Runnable reportFlusher;

    private final Object clockLock = new Object();
    /** Kernel time in µs that libmvhost last learned, or -1 before the first CLOCK state. */
    private long reportedMicros = -1;
    private final int clockKind;
    private final LongConsumer clockListener = this::onClockMoved;

    private final Object networkLock = new Object();
    /** Kernel network revision that {@link #sentNetworkStatuses} reflects, or -1 before the first NETWORK check. */
    private long sentNetworkRevision = -1;
    private final Map<Long, MvNetworkStatus> sentNetworkStatuses = new HashMap<>();

    public DeviceSession(DeviceKernel kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.syscalls = new SyscallDispatcher(kernel);
        if (kernel.clock() instanceof VirtualClock virtual) {
            clockKind = StateOpcode.CLOCK_VIRTUAL;
            virtual.addListener(clockListener);
        } else {
            clockKind = StateOpcode.CLOCK_WALL;
        }
        this.reservations = new HandleReservations(kernel, clockKind == StateOpcode.CLOCK_VIRTUAL);
        this.reports = new ReportChecker(syscalls, kernel, reservations);
        this.openBudget = new OpenBudget(kernel);
        this.quiet = new QuietWindow(kernel);
        kernel.setNotificationListener(this::onNotification);
        kernel.setBeforeTimeMove(this::flushReportsBeforeTimeMove);
        kernel.setAfterLinkMove(this::onLinkMoved);
    }

    public DeviceKernel kernel() {
        return kernel;
    }

    /**
     * Sets where notifications written outside {@link #handle} go, or null to hold them for the
     * next reply. The sink runs on the thread whose kernel call delivered them, so it must not
     * block for long.
     */
    public void setNotificationSink(FrameSink sink) {
        this.notificationSink = sink;
        if (sink != null) {
            byte[] frame;
            while ((frame = waitingNotifications.poll()) != null) {
                sink.send(frame);
            }
        }
    }

    /**
     * Sets what sends libmvhost's queued REPORT frames to this session (in process:
     * {@code mvhost_flush}), or null. The session runs it before a test moves the kernel's time or
     * link from Java, because a local answer checked after that move would be compared with a
     * kernel that moved on and count as a divergence. It never runs inside {@link #handle}.
     */
    public void setReportFlusher(Runnable flusher) {
        this.reportFlusher = flusher;
    }

    /**
     * Makes every RESPONSE on a virtual clock carry a QUIET state, so that libmvhost answers a
     * SLEEP or WAIT that ends before the kernel's next event by itself. The kernel then learns of
     * that time only when the REPORT arrives with libmvhost's next exchange. The bridge offers it,
     * since a firmware process reaches the kernel only through its own calls. In process a Java test
     * reads the kernel right after the app's call returns and must see the time it slept, so
     * {@code InProcessHost} does not.
     */
    public void offerQuietWindows() {
        this.quietWindows = true;
    }

    /**
     * Makes this session skip the REPORTs that arrive before its first reply. libmvhost replies
     * to a call itself only from a state some kernel sent in a reply, so such REPORTs were made
     * against another kernel, which a restarted simulator has lost. Run on this fresh kernel, each
     * would count a divergence for a handle it never issued.
     */
    public void skipReportsBeforeFirstReply() {
        this.skipReportsBeforeFirstReply = true;
    }

    /** Returns how many REPORTs this session skipped because they were made against another kernel. */
    public long staleReportsSkipped() {
        return staleReportsSkipped;
    }

    /**
     * Returns how many calls libmvhost answered itself differently from the kernel. Each one is
     * logged at ERROR; {@link #divergenceDescriptions} says which calls they were.
     */
    public long divergences() {
        return reports.divergences();
    }

    /**
     * Counts every later divergence of this session in {@code total} too, so that a front end
     * serving many devices can tell whether any local answer went wrong.
     */
    public void countDivergencesIn(LongAdder total) {
        reports.alsoCountIn(Objects.requireNonNull(total, "total"));
    }

    /** Describes the first divergences: the call, both statuses and value lengths, never the values. */
    public List<String> divergenceDescriptions() {
        return reports.descriptions();
    }

    /**
     * Decodes the frames in {@code frameBytes} (one, or REPORT frames of locally answered calls
     * followed by one more), runs each against the kernel and sends the reply to {@code out}: the
     * waiting and newly due notification and STATE frames first, then the response, handshake or
     * error of the frames that get one. A REPORT, or a request sent without wanting a reply, gets
     * none. Events that fell due at the kernel's current time are run before the reply is sent,
     * so the app sees them when this exchange returns and not one call later.
     */
    public void handle(byte[] frameBytes, FrameSink out) {
        handleFrames(null, frameBytes, out);
    }

    /**
     * Handles one frame as {@link #handle(byte[], FrameSink)} does, for a caller that has decoded
     * it from {@code frameBytes} already, such as the bridge, so that it is not decoded twice.
     */
    public void handle(Frame decoded, byte[] frameBytes, FrameSink out) {
        handleFrames(Objects.requireNonNull(decoded, "decoded"), frameBytes, out);
    }

    /** Runs the frames, {@code decoded} or else those in {@code frameBytes}, and sends the reply. */
    private void handleFrames(Frame decoded, byte[] frameBytes, FrameSink out) {
        Objects.requireNonNull(out, "out");
        ReplyFrames reply = replyInProgress.get();
        reply.open();
        List<byte[]> answers;
        try {
            if (decoded == null) {
                answers = new ArrayList<>(1);
                answerAll(frameBytes, answers);
            } else {
                byte[] answer = answer(decoded, frameBytes, 0);
                answers = answer == null ? List.of() : List.of(answer);
            }
            kernel.poll();
        } finally {
            reply.close();
        }

        // Only a RESPONSE is led by a CLOCK: libmvhost reads states in replies to its own calls.
        byte[] last = answers.isEmpty() ? null : answers.get(answers.size() - 1);
        boolean leadsResponse = last != null && last[3] == FrameKind.RESPONSE.code();
        byte[] clock = leadsResponse ? clockStateIfMoved() : null;
        if (clock != null) {
            out.send(clock);
        }
        byte[] waiting;
        while ((waiting = waitingNotifications.poll()) != null) {
            out.send(waiting);
        }
        for (byte[] notification : reply.frames) {
            out.send(notification);
        }
        reply.frames.clear();
        if (leadsResponse) {
            if (liveHandlesDue) {
                sendLiveHandles(out);
            }
            for (byte[] network : networkStatesIfChanged()) {
                out.send(network);
            }
            out.send(openBudget.stateFrame(notificationSequence::incrementAndGet));
            out.send(reservations.stateFrame(notificationSequence::incrementAndGet));
            if (quietWindows && clockKind == StateOpcode.CLOCK_VIRTUAL) {
                out.send(quiet.stateFrame(notificationSequence::incrementAndGet));
            }
        }
        for (byte[] answer : answers) {
            out.send(answer);
        }
    }

    /**
     * Polls the kernel every {@code interval} on a daemon thread, so that events falling due on a
     * wall clock reach the notification sink while the app makes no syscall. Closing the returned
     * handle, or this session, stops the polling.
     */
    public AutoCloseable pollEvery(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, got " + interval);
        }
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mvsim-poll-" + kernel.deviceSid());
            thread.setDaemon(true);
            return thread;
        });
        long micros = TimeUnit.NANOSECONDS.toMicros(interval.toNanos());
        poller.scheduleWithFixedDelay(this::pollOnce, micros, micros, TimeUnit.MICROSECONDS);
        pollers.add(poller);
        return () -> {
            poller.shutdownNow();
            pollers.remove(poller);
        };
    }

    /** Returns how many REPORTs arrived again after a reconnect and were skipped, because they had run. */
    public long repeatedReportsSkipped() {
        return repeatedReports.skipped();
    }

    /**
     * Prepares this session for the same device's next connection, for a front end that keeps the
     * kernel while the device is away: it resends the states ({@link #resendClock}), lists the
     * app's live handles in a LIVE_HANDLES state ahead of the next RESPONSE, and skips the
     * REPORTs libmvhost sends again that this session already ran ({@link RepeatedReports}).
     */
    public void prepareForReconnect() {
        repeatedReports.expectRepeats();
        resendClock();
        liveHandlesDue = true;
    }

    /**
     * Sends the LIVE_HANDLES state. A reconnected libmvhost forgot every handle, since the server
     * could have opened a fresh kernel, and tracks again only what this state lists. It goes out
     * ahead of a RESPONSE only, because by then the kernel ran every REPORT sent before the
     * request. The bridge also applied the lost connection before it (channels closed, the network
     * connecting again), so the list is what the app's next calls meet.
     */
    private void sendLiveHandles(FrameSink out) {
        liveHandlesDue = false;
        byte[] frame = LiveHandlesState.frame(kernel.liveHandles(), notificationSequence::incrementAndGet);
        if (frame != null) {
            out.send(frame);
        } else {
            log.warn("device {} has more than {} live handles of one kind, too many for a LIVE_HANDLES state, so"
                    + " libmvhost sends every call on the handles it got before the reconnect to the kernel",
                    kernel.deviceSid(), WireLimits.MAX_LIST_ELEMENTS);
        }
    }

    /**
     * Makes the next reply start with a CLOCK state and carry a NETWORK state for each live
     * request again, for a front end that attaches this session to a new connection: a reconnected
     * libmvhost has forgotten the states it cached.
     */
    public void resendClock() {
        synchronized (clockLock) {
            reportedMicros = -1;
        }
        synchronized (networkLock) {
            sentNetworkRevision = -1;
            sentNetworkStatuses.clear();
        }
    }

    /** Stops listening to the kernel and stops any polling; frames handled after this see no notifications. */
    @Override
    public void close() {
        kernel.setNotificationListener(null);
        kernel.setBeforeTimeMove(null);
        kernel.setAfterLinkMove(null);
        if (kernel.clock() instanceof VirtualClock virtual) {
            virtual.removeListener(clockListener);
        }
        for (ScheduledExecutorService poller : pollers) {
            poller.shutdownNow();
        }
        pollers.clear();
    }

    private void flushReportsBeforeTimeMove() {
        // Inside a reply the app's own SLEEP or WAIT moves the time, and its REPORTs came in that batch.
        if (replyInProgress.get().isOpen()) {
            return;
        }
        Runnable flusher = reportFlusher;
        if (flusher != null) {
            flusher.run();
        }
        takeBackTimedPredictions(this::send);
    }

    /**
     * Sends the states that take back what a move of the kernel's time or link can change until
     * the next reply: the status of a new network request, and the quiet window, because the move
     * can bring an event forward.
     */
    private void takeBackTimedPredictions(FrameSink target) {
        target.send(HandleReservations.statusRevokeFrame(notificationSequence.incrementAndGet()));
        if (quietWindows) {
            target.send(QuietWindow.revokeFrame(notificationSequence.incrementAndGet()));
        }
    }

    private void pollOnce() {
        try {
            kernel.poll();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again, so the failure is logged and polling goes on.
            log.error("polling device {} failed", kernel.deviceSid(), e);
        }
    }

    /**
     * Runs the frames in order. A frame that cannot be decoded gets an ERROR frame and ends the
     * batch, because the next frame's start cannot be trusted.
     */
    private void answerAll(byte[] bytes, List<byte[]> answers) {
        int offset = 0;
        while (offset < bytes.length) {
            FrameCodec.Decoded decoded;
            try {
                decoded = FrameCodec.decodeAt(bytes, offset);
            } catch (FrameFormatException e) {
                log.warn("rejected a frame at offset {} of {} bytes for device {}: {}", offset, bytes.length,
                        kernel.deviceSid(), e.getMessage());
                answers.add(encodeError(sequenceOf(bytes, offset), opcodeOf(bytes, offset), e.code(), e.getMessage()));
                return;
            }
            byte[] answer = answer(decoded.frame(), bytes, offset);
            if (answer != null) {
                answers.add(answer);
            }
            offset += decoded.length();
        }
    }

    private void skipStaleReport(Frame.Report report) {
        if (staleReportsSkipped++ == 0) {
            log.info("device {}: skipping the calls it made against the simulator's earlier kernel, which is gone"
                    + " (first: REPORT {} of {})", kernel.deviceSid(), Integer.toUnsignedString(report.sequence()),
                    report.opcode().cName());
        }
    }

    private byte[] answer(Frame frame, byte[] frameBytes, int offset) {
        try {
            if (frame instanceof Frame.Report report) {
                if (skipReportsBeforeFirstReply && !replied) {
                    skipStaleReport(report);
                    return null;
                }
                if (repeatedReports.isRepeat(report.sequence())) {
                    log.debug("device {}: skipped REPORT {} of {}, which ran before the reconnect", kernel.deviceSid(),
                            Integer.toUnsignedString(report.sequence()), report.opcode().cName());
                    return null;
                }
                if (report.opcode().isHarnessControl()) {
                    // A SLEEP or WAIT libmvhost ran in a quiet window: the replay moves the kernel's clock the same way,
                    // and the move must have ended inside the window the QUIET state offered.
                    long windowEnd = kernel.quietUntilMicros();
                    reports.checkQuietTime(report, windowEnd, controlResponse(report.control()));
                } else {
                    reports.check(report);
                }
                return null;
            }
            if (frame instanceof Frame.Request request) {
                Frame.Response response = syscalls.dispatch(request);
                replied |= request.replyExpected();
                return request.replyExpected() ? FrameCodec.encode(response) : null;
            }
            if (frame instanceof Frame.Control control) {
                replied = true;
                return FrameCodec.encode(controlResponse(control));
            }
            if (frame instanceof Frame.Handshake handshake) {
                return FrameCodec.encode(handshakeReply(handshake));
            }
        } catch (RuntimeException e) {
            // DeviceKernel catches its own exceptions and returns INTERNALERROR, so this is a fault of the host.
            log.error("failed to process a {} frame (sequence {}) for device {}", frame.kind(), frame.sequence(),
                    kernel.deviceSid(), e);
            return encodeError(frame.sequence(), opcodeOf(frameBytes, offset), ErrorCode.UNAVAILABLE,
                    "the kernel host failed on this frame: " + e.getClass().getSimpleName());
        }
        log.warn("rejected a {} frame (sequence {}) for device {}: the kernel accepts only REQUEST, CONTROL,"
                + " REPORT and HANDSHAKE frames", frame.kind(), frame.sequence(), kernel.deviceSid());
        return encodeError(frame.sequence(), opcodeOf(frameBytes, offset), ErrorCode.UNAVAILABLE,
                frame.kind() + " frames are not accepted by the kernel; send REQUEST, CONTROL, REPORT or HANDSHAKE frames");
    }

    private Frame.Response controlResponse(Frame.Control control) {
        Opcode opcode = control.opcode();
        switch (opcode) {
            case HARNESS_NOW -> {
                return clockResponse(control);
            }
            case HARNESS_SLEEP -> {
                long micros = ((Field.U64) control.arguments().get(0)).value();
                // The wire value is unsigned; the kernel stops a move beyond Long.MAX_VALUE µs at its latest time.
                kernel.advanceMicros(micros < 0 ? Long.MAX_VALUE : micros);
                return clockResponse(control);
            }
            case HARNESS_WAIT -> {
                long micros = ((Field.U64) control.arguments().get(0)).value();
                long step = ((Field.U64) control.arguments().get(1)).value();
                if (step <= 0) {
                    return new Frame.Response(control.sequence(), opcode, INVALID_ARGUMENT, List.of(Field.None.INSTANCE));
                }
                List<byte[]> reply = replyInProgress.get().frames;
                int before = reply.size();
                kernel.advanceMicrosUntil(micros < 0 ? Long.MAX_VALUE : micros, step, () -> reply.size() > before);
                return clockResponse(control);
            }
            case HARNESS_POLL -> {
                kernel.poll();
                return new Frame.Response(control.sequence(), opcode, 0, List.of());
            }
            case BRIDGE_RESUME -> {
                // Replies travel in process without loss, so no request ever ran unseen, and the kernel stays the same.
                return new Frame.Response(control.sequence(), opcode, 0, List.of(new Field.U32(1)));
            }
            case BRIDGE_RESTORE -> {
                // A LIVE_HANDLES state lists the recreated objects, so libmvhost replies to calls on them itself again.
                int restored = kernel.restore(RestoreArguments.objects(control.arguments()));
                log.info("device {}: recreated {} of the app's objects in its fresh kernel under the handles the app"
                        + " holds", kernel.deviceSid(), restored);
                liveHandlesDue = true;
                return new Frame.Response(control.sequence(), opcode, 0, List.of(new Field.U32(restored)));
            }
            default -> throw new IllegalStateException("control opcode " + opcode + " has no handler");
        }
    }

    /** Returns a response with the kernel time, which libmvhost stores as its clock, so no CLOCK state needs to follow. */
    private Frame.Response clockResponse(Frame.Control control) {
        long now = kernel.clock().nowMicros();
        synchronized (clockLock) {
            if (reportedMicros >= 0) {
                reportedMicros = now;
            }
        }
        return new Frame.Response(control.sequence(), control.opcode(), 0, List.of(new Field.U64(now)));
    }

    /**
     * Returns a CLOCK state frame if libmvhost has none yet or a virtual clock moved since the
     * last one, else null, and records the time sent.
     */
    private byte[] clockStateIfMoved() {
        long now = kernel.clock().nowMicros();
        synchronized (clockLock) {
            boolean moved = clockKind == StateOpcode.CLOCK_VIRTUAL && now != reportedMicros;
            if (reportedMicros >= 0 && !moved) {
                return null;
            }
            reportedMicros = now;
        }
        return FrameCodec.encode(Frame.State.clock(notificationSequence.incrementAndGet(), clockKind, now));
    }

    /** Pushes the new time of a virtual clock moved outside this session's own replies. */
    private void onClockMoved(long micros) {
        FrameSink sink = notificationSink;
        if (replyInProgress.get().isOpen() || sink == null) {
            // Inside a reply the clock check before the response covers it; without a sink the next reply does.
            return;
        }
        byte[] clock = clockStateIfMoved();
        if (clock != null) {
            sink.send(clock);
            takeBackTimedPredictions(sink);
        }
        for (byte[] network : networkStatesIfChanged()) {
            sink.send(network);
        }
    }

    /**
     * Pushes the NETWORK states a link move changed. A move that writes no record (the bridge's
     * lost connection, or a test's {@code holdLinkDownUnannounced}) pushes no notification, which
     * would carry them, and libmvhost would go on opening channels on a network it thinks connected.
     */
    private void onLinkMoved() {
        FrameSink sink = notificationSink;
        if (replyInProgress.get().isOpen() || sink == null) {
            // Inside a reply the network check before the response covers it; without a sink the next reply does.
            return;
        }
        for (byte[] network : networkStatesIfChanged()) {
            sink.send(network);
        }
    }

    /**
     * Returns a NETWORK state frame for each live request whose status differs from the last one
     * sent, and records what was sent. When the kernel's network revision has not moved it only
     * compares that number.
     */
    private List<byte[]> networkStatesIfChanged() {
        long revision = kernel.networkRevision();
        synchronized (networkLock) {
            if (revision == sentNetworkRevision) {
                return List.of();
            }
            // A change made between the two reads leaves a newer revision behind, so the next check compares again.
            Map<Long, MvNetworkStatus> statuses = kernel.networkRequestStatuses();
            sentNetworkStatuses.keySet().retainAll(statuses.keySet());
            List<byte[]> frames = new ArrayList<>(statuses.size());
            for (Map.Entry<Long, MvNetworkStatus> entry : statuses.entrySet()) {
                if (sentNetworkStatuses.put(entry.getKey(), entry.getValue()) != entry.getValue()) {
                    frames.add(FrameCodec.encode(networkState(entry.getKey(), entry.getValue())));
                }
            }
            sentNetworkRevision = revision;
            return frames;
        }
    }

    private Frame.State networkState(long networkHandle, MvNetworkStatus status) {
        return new Frame.State(notificationSequence.incrementAndGet(), StateOpcode.NETWORK,
                List.of(new Field.U64(networkHandle), new Field.U32(status.code())));
    }

    private static Frame.Handshake handshakeReply(Frame.Handshake request) {
        return new Frame.Handshake(request.sequence(), WireLimits.VERSION, WireLimits.VERSION,
                WireLimits.MAX_FRAME_BYTES, PEER_NAME);
    }

    private void onNotification(NotificationDelivery delivery) {
        // States go first, so libmvhost has them when the app's handler runs.
        for (byte[] network : networkStatesIfChanged()) {
            send(network);
        }
        if (delivery.record().eventType() == MvEventType.CHANNELDATAREADABLE) {
            for (ArrivedConfigResponse response : kernel.arrivedConfigResponses(delivery.centreHandle(),
                    delivery.record().tag())) {
                send(FrameCodec.encode(configResponseState(response)));
            }
        }

        Frame.Notification frame = new Frame.Notification(notificationSequence.incrementAndGet(),
                delivery.centreHandle(), delivery.ringAddress(), delivery.slot(), delivery.record().microseconds(),
                delivery.record().eventType().code(), delivery.record().tag(), delivery.irq(),
                new Field.Bytes(new byte[0]));
        send(FrameCodec.encode(frame));
    }

    /** Sends a frame the kernel produced on its own: into the reply in progress, to the sink, or to wait. */
    private void send(byte[] encoded) {
        ReplyFrames reply = replyInProgress.get();
        if (reply.isOpen()) {
            reply.frames.add(encoded);
            return;
        }
        FrameSink sink = notificationSink;
        if (sink != null) {
            sink.send(encoded);
        } else {
            waitingNotifications.add(encoded);
        }
    }

    private Frame.State configResponseState(ArrivedConfigResponse response) {
        List<List<Field>> items = new ArrayList<>(response.items().size());
        for (ArrivedConfigResponse.Item item : response.items()) {
            items.add(List.of(new Field.U32(item.result().code()), new Field.Bytes(item.value())));
        }
        return new Frame.State(notificationSequence.incrementAndGet(), StateOpcode.CONFIG_RESPONSE,
                List.of(new Field.U64(response.channelHandle()), new Field.U32(response.result().code()),
                        new Field.FieldList(items)));
    }

    private static byte[] encodeError(int sequence, int opcodeCode, ErrorCode code, String message) {
        return FrameCodec.encode(new Frame.Error(sequence, opcodeCode, code, truncate(message)));
    }

    private static String truncate(String message) {
        // The ERROR frame's message is limited in UTF-8 bytes; codec messages are ASCII, so characters suffice.
        int maximum = WireLimits.MAX_ERROR_MESSAGE_BYTES / 4;
        return message.length() <= maximum ? message : message.substring(0, maximum);
    }

    /** Reads the sequence number from a frame header that failed to decode, or 0 when it is too short. */
    private static int sequenceOf(byte[] bytes, int offset) {
        if (bytes.length - offset < 12) {
            return 0;
        }
        return (bytes[offset + 8] & 0xFF) | (bytes[offset + 9] & 0xFF) << 8 | (bytes[offset + 10] & 0xFF) << 16
                | (bytes[offset + 11] & 0xFF) << 24;
    }

    private static int opcodeOf(byte[] bytes, int offset) {
        if (bytes.length - offset < 6) {
            return 0;
        }
        return (bytes[offset + 4] & 0xFF) | (bytes[offset + 5] & 0xFF) << 8;
    }

    /**
     * The frames the kernel writes while one thread runs {@link #handle}, to lead that reply. Each
     * thread keeps one and reuses it for every reply. Removing a thread-local value calls into the
     * JVM ({@code Reference.clear}), which took about 1.5 % of a bridge selector thread's CPU in a
     * perf profile when every frame did it. A thread that serves many sessions keeps one small
     * entry per session in its thread-local map until the session is garbage collected.
     */
    private static final class ReplyFrames {
        final ArrayList<byte[]> frames = new ArrayList<>();
        private boolean open;

        void open() {
            frames.clear();
            open = true;
        }

        void close() {
            open = false;
        }

        boolean isOpen() {
            return open;
        }
    }
}
