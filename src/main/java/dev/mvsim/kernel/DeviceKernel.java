package dev.mvsim.kernel;

import dev.mvsim.link.Durations;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.ItemDirectory;
import dev.mvsim.link.Link;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model of Microvisor for one simulated device: the system calls in scope, named after the C
 * calls, plus the calls a harness needs to move time and read what happened.
 *
 * <p>Every system call returns an {@link MvStatus} and never throws: a null argument is a
 * NULL pointer and gets the documented status, and an unexpected exception becomes
 * {@link MvStatus#INTERNALERROR} and is logged. Each call first delivers the events that became
 * due on the clock. All methods are thread-safe; notifications reach the
 * {@link NotificationListener} outside the kernel's lock, in the order they were written.
 */
public final class DeviceKernel {

    private static final Logger log = LoggerFactory.getLogger(DeviceKernel.class);

    /**
     * The latest time a clock move reaches, 2^63 - 2 µs: one below {@link Long#MAX_VALUE}, which
     * {@code runUntilTime} takes as "until no event is left" and which leaves the clock where it is.
     */
    static final long LATEST_TIME = Long.MAX_VALUE - 1;

    private static final Pattern DEVICE_SID = Pattern.compile("UV[0-9a-fA-F]{32}");
    /** Bound on events {@link #runUntilIdle} runs, so that a scenario that never settles fails instead of hanging. */
    static final int MAX_EVENTS_PER_RUN = 1_000_000;

    @FunctionalInterface
    private interface Syscall {
        MvStatus run();
    }

    private final Object lock = new Object();
    /** Names of unmodelled calls already logged, so each is logged once per kernel. */
    private final Set<String> unmodelledCallsSeen = new HashSet<>();
    private final Object dispatchLock = new Object();
    private final KernelState state;
    private final Notifications notifications;
    private final Network network;
    private final Channels channels;
    private final ConfigFetch configFetch;
    private final Logs logs;
    private final byte[] deviceId;
    private volatile NotificationListener listener;
    private volatile Runnable beforeTimeMove;
    private volatile Runnable afterLinkMove;

    private DeviceKernel(Builder builder) {
        Link link = new Link(builder.directory, builder.faultPlan);
        this.state = new KernelState(builder.deviceSid, builder.seed, builder.config, builder.clock, link);
        this.notifications = new Notifications(state);
        this.channels = new Channels(state);
        this.logs = new Logs(state);
        this.network = new Network(state, channels, logs);
        this.channels.attach(network);
        this.logs.attach(network);
        this.configFetch = new ConfigFetch(state);
        this.deviceId = builder.deviceSid.getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts a kernel for the device with this SID that fetches items from the directory. */
    public static Builder builder(String deviceSid, ItemDirectory directory) {
        return new Builder(deviceSid, directory);
    }

    // ---- clocks and identity ----

    /** Writes the device clock. Written out without {@link #call} because firmware polls it in tight loops. */
    public MvStatus mvGetMicroseconds(Out.U64 microseconds) {
        MvStatus status;
        synchronized (lock) {
            try {
                state.scheduler.runDue(state.now());
                if (microseconds == null) {
                    status = MvStatus.PARAMETERFAULT;
                } else {
                    microseconds.value = state.now();
                    status = MvStatus.OKAY;
                }
            } catch (RuntimeException e) {
                status = internalError("mvGetMicroseconds", e);
            }
            state.record("mvGetMicroseconds", status);
        }
        dispatch();
        return status;
    }

    public MvStatus mvGetWallTime(Out.U64 microseconds) {
        return call("mvGetWallTime", () -> network.getWallTime(microseconds));
    }

    /**
     * Writes the 34-byte device SID into {@code target} from index 0, with no terminator. The app
     * buffer must be exactly 34 bytes.
     */
    public MvStatus mvGetDeviceId(AppBuffer buffer, byte[] target) {
        return call("mvGetDeviceId", () -> {
            if (buffer == null || buffer.isNull() || buffer.wrapsAround()) {
                return MvStatus.PARAMETERFAULT;
            }
            if (buffer.unsignedSize() != deviceId.length) {
                return MvStatus.INVALIDBUFFERSIZE;
            }
            if (target == null || target.length < deviceId.length) {
                throw new IllegalArgumentException("target byte array must hold 34 bytes, got "
                        + (target == null ? "null" : target.length + " bytes"));
            }
            System.arraycopy(deviceId, 0, target, 0, deviceId.length);
            return MvStatus.OKAY;
        });
    }

    // ---- notifications ----

    public MvStatus mvSetupNotifications(MvNotificationSetup setup, Out.Handle handleOut) {
        return call("mvSetupNotifications", () -> notifications.setup(setup, handleOut));
    }

    public MvStatus mvCloseNotifications(Out.Handle handleInOut) {
        return call("mvCloseNotifications", () -> notifications.close(handleInOut));
    }

    // ---- network ----

    public MvStatus mvRequestNetwork(MvRequestNetworkParams params, Out.Handle handleOut) {
        return call("mvRequestNetwork", () -> network.request(params, handleOut));
    }

    public MvStatus mvReleaseNetwork(Out.Handle handleInOut) {
        return call("mvReleaseNetwork", () -> network.release(handleInOut));
    }

    public MvStatus mvGetNetworkStatus(long handle, Out.Value<MvNetworkStatus> statusOut) {
        return call("mvGetNetworkStatus", () -> network.getStatus(handle, statusOut));
    }

    /**
     * Returns a number that changes whenever a network request is made or released or the network
     * status changes, so a caller can skip {@link #networkRequestStatuses} when nothing changed.
     * Records no trace entry.
     */
    public long networkRevision() {
        synchronized (lock) {
            return network.revision();
        }
    }

    /**
     * Returns the status {@code mvGetNetworkStatus} would write now for each live network request
     * handle. Unlike the syscall it runs no due events and records no trace entry.
     */
    public Map<Long, MvNetworkStatus> networkRequestStatuses() {
        synchronized (lock) {
            return network.requestStatuses();
        }
    }

    /**
     * Returns the status {@code mvGetNetworkStatus} would return for a network request made now,
     * in a call at the same clock time, assuming the events due now have run. Records no trace
     * entry.
     */
    public MvNetworkStatus networkStatusOfNewRequest() {
        synchronized (lock) {
            return network.statusOfNewRequest(state.now());
        }
    }

    /**
     * Returns true when {@link #networkStatusOfNewRequest} stays the same if the app first
     * releases every network request, which takes the device offline. Records no trace entry.
     */
    public boolean networkStatusOfNewRequestSurvivesRelease() {
        synchronized (lock) {
            long now = state.now();
            return network.statusOfNewRequest(now) == network.statusOfRequestWhileOffline(now);
        }
    }

    /**
     * Returns the clock time, in microseconds, before which moving the clock only moves the clock:
     * no scheduled event falls due, and no down window of the fault plan ends (which changes what
     * a new network request reports). {@link Long#MAX_VALUE} when neither comes.
     */
    public long quietUntilMicros() {
        synchronized (lock) {
            return Math.min(state.scheduler.nextDue(), network.downWindowEnd(state.now()));
        }
    }

    /** Writes the {@link MvNetworkReason} bits and the number of live network requests. */
    public MvStatus mvGetNetworkReasons(Out.U32 reasonsOut, Out.U32 requestCountOut) {
        return call("mvGetNetworkReasons", () -> network.getReasons(reasonsOut, requestCountOut));
    }

    // ---- channels ----

    public MvStatus mvOpenChannel(MvOpenChannelParams params, Out.Handle handleOut) {
        return call("mvOpenChannel", () -> channels.open(params, handleOut));
    }

    public MvStatus mvCloseChannel(Out.Handle handleInOut) {
        return call("mvCloseChannel", () -> channels.close(handleInOut));
    }

    public MvStatus mvGetChannelClosureReason(long handle, Out.Value<MvClosureReason> reasonOut) {
        return call("mvGetChannelClosureReason", () -> channels.closureReason(handle, reasonOut));
    }

    /**
     * Returns what the channel limit and the rate limit of {@code mvOpenChannel} allow now. Unlike
     * the syscall it records no trace entry and changes no state.
     */
    public ChannelOpenBudget channelOpenBudget() {
        synchronized (lock) {
            return channels.openBudget(state.now());
        }
    }

    // ---- config fetch ----

    public MvStatus mvSendConfigFetchRequest(long handle, MvConfigKeyFetchParams request) {
        return call("mvSendConfigFetchRequest", () -> configFetch.send(handle, request));
    }

    public MvStatus mvReadConfigFetchResponseData(long handle, MvConfigResponseData responseOut) {
        return call("mvReadConfigFetchResponseData", () -> configFetch.readResponseData(handle, responseOut));
    }

    public MvStatus mvReadConfigResponseItem(long handle, MvConfigResponseReadItemParams params) {
        return call("mvReadConfigResponseItem", () -> configFetch.readItem(handle, params));
    }

    /**
     * Returns the config fetch responses that have arrived on open channels notifying
     * {@code centreHandle} with {@code tag}, as the two read calls would return them. This is not
     * a syscall: it is not traced and runs no due events. A front end sends it with the
     * CHANNELDATAREADABLE record so that libmvhost can answer the reads itself.
     */
    public List<ArrivedConfigResponse> arrivedConfigResponses(long centreHandle, int tag) {
        synchronized (lock) {
            return configFetch.arrived(centreHandle, tag);
        }
    }

    // ---- logging ----

    public MvStatus mvServerLoggingInit(AppBuffer buffer) {
        return call("mvServerLoggingInit", () -> logs.serverInit(buffer));
    }

    /** Logs {@code lengthBytes} bytes of {@code message}; the length is a C {@code uint16_t}, so only its low 16 bits count. */
    public MvStatus mvServerLog(byte[] message, int lengthBytes) {
        return call("mvServerLog", () -> logs.serverLog(message, lengthBytes));
    }

    public MvStatus mvTestLoggingInit(AppBuffer buffer) {
        return call("mvTestLoggingInit", () -> logs.testInit(buffer));
    }

    /** Logs {@code lengthBytes} bytes of {@code message}; the length is a C {@code uint16_t}, so only its low 16 bits count. */
    public MvStatus mvTestLog(byte[] message, int lengthBytes) {
        return call("mvTestLog", () -> logs.testLog(message, lengthBytes));
    }

    public MvStatus mvTestingComplete(int status) {
        return call("mvTestingComplete", () -> logs.testingComplete(status));
    }

    // ---- calls outside the model ----

    /**
     * Returns UNAVAILABLE for a syscall that mvsim does not model (MQTT, HTTP, raw channel I/O,
     * power, flash, Wi-Fi, fast interrupts, the bus clocks). No argument is read, NULL pointers
     * included, because an absent feature cannot fault on its arguments. The call goes into the
     * trace, and the first call of each name is logged, so a developer sees why the firmware got
     * that status.
     */
    public MvStatus unmodelledCall(String name) {
        Objects.requireNonNull(name, "name");
        boolean firstCallOfName;
        synchronized (lock) {
            firstCallOfName = unmodelledCallsSeen.add(name);
            state.record(name, MvStatus.UNAVAILABLE);
        }
        if (firstCallOfName) {
            log.info("device {} called {}, which mvsim does not simulate; returning MV_STATUS_UNAVAILABLE. "
                    + "Stub this call in the firmware's test build if the test needs another status", state.deviceSid, name);
        }
        return MvStatus.UNAVAILABLE;
    }

    // ---- harness support ----

    /**
     * Returns the handles of the notification centres and channels whose rings and buffers the
     * kernel uses, or null while a logging buffer is in use too. Once the app has closed every
     * one of them (at once when the list is empty), {@code mvSetupNotifications} with a valid ring
     * and an interrupt the app may use returns OKAY. Records no trace entry.
     */
    public List<Long> appBufferHolders() {
        synchronized (lock) {
            return state.appBufferHolders();
        }
    }

    /**
     * Returns the app's live centres, network requests and channels, with their buffers. A
     * front end that reattaches the app to this kernel after a lost connection sends them, because
     * the app's side forgot them. Records no trace entry.
     */
    public LiveHandles liveHandles() {
        synchronized (lock) {
            List<LiveHandles.Centre> centres = new ArrayList<>(state.centres.size());
            for (NotificationCentre centre : state.centres.values()) {
                centres.add(new LiveHandles.Centre(centre.handle, centre.ring));
            }
            List<LiveHandles.Channel> open = new ArrayList<>(state.channels.size());
            for (Channel channel : state.channels.values()) {
                open.add(new LiveHandles.Channel(channel.handle, channel.notificationHandle, channel.tag,
                        channel.networkHandle, channel.receiveBuffer, channel.sendBuffer,
                        channel.fetchState == Channel.FetchState.PENDING));
            }
            return new LiveHandles(centres, network.requestHandles(), open);
        }
    }

    /**
     * Recreates the app's notification centres, network requests and channels under the handles
     * the app holds, for a front end whose app used another kernel before (a simulator restarted
     * while the device was connected). Centres go through the checks of {@code mvSetupNotifications}.
     * A network request needs its centre, and the device connects again as after a lost connection,
     * with no record for the drop. Channels come back closed with NETWORKDISCONNECTED and keep their
     * buffers. An object whose handle is 0, above 32 bits, live or reserved, or whose checks fail, is
     * skipped with a log line, and the app's calls on it then return INVALIDHANDLE. Records one trace
     * entry.
     *
     * @return the number of objects recreated
     */
    public int restore(RestoredObjects objects) {
        int restored = 0;
        synchronized (lock) {
            state.scheduler.runDue(state.now());
            for (RestoredObjects.Centre centre : objects.centres()) {
                MvStatus status = handleTaken(centre.handle()) ? MvStatus.INVALIDHANDLE : restoreCentre(centre);
                restored += countRestored("notification centre", centre.handle(), status);
            }
            for (RestoredObjects.NetworkRequest request : objects.networkRequests()) {
                MvStatus status = handleTaken(request.handle()) ? MvStatus.INVALIDHANDLE
                        : network.restore(request.handle(), request.notificationHandle(), request.tag());
                restored += countRestored("network request", request.handle(), status);
            }
            for (RestoredObjects.Channel channel : objects.channels()) {
                MvStatus status = handleTaken(channel.handle()) ? MvStatus.INVALIDHANDLE
                        : channels.restoreClosed(channel.handle(), channel.notificationHandle(), channel.tag(),
                                channel.networkHandle(), channel.receiveBuffer(), channel.sendBuffer());
                restored += countRestored("channel", channel.handle(), status);
            }
            state.record("restore", restored == objects.size() ? MvStatus.OKAY : MvStatus.INVALIDHANDLE);
        }
        dispatch();
        return restored;
    }

    private boolean handleTaken(long handle) {
        return !state.handles.isFree(handle) || state.reservedHandles.containsKey(handle);
    }

    private MvStatus restoreCentre(RestoredObjects.Centre centre) {
        state.presetHandle = centre.handle();
        state.presetOwner = Thread.currentThread();
        try {
            return notifications.setup(new MvNotificationSetup(centre.irq(), centre.ring()), new Out.Handle());
        } finally {
            state.presetHandle = 0;
            state.presetOwner = null;
        }
    }

    private int countRestored(String kind, long handle, MvStatus status) {
        if (status == MvStatus.OKAY) {
            return 1;
        }
        log.warn("device {}: cannot recreate {} 0x{} in its fresh kernel ({}); the app's calls on it return"
                + " INVALIDHANDLE", state.deviceSid, kind, Long.toHexString(handle), status);
        return 0;
    }

    /**
     * Draws a handle that no call has issued and none will, for a front end that gives it out
     * ahead (libmvhost answering {@code mvSetupNotifications}, {@code mvRequestNetwork} or
     * {@code mvOpenChannel} itself).
     * {@link #withReservedHandle} later binds it.
     */
    public long reserveHandle() {
        synchronized (lock) {
            long handle = state.handles.newHandle();
            state.reservedHandles.put(handle, Boolean.TRUE);
            return handle;
        }
    }

    /**
     * Runs {@code call} on this thread so that the notification centre, network request or channel
     * it creates gets {@code reservedHandle}. A call that creates none leaves the handle reserved.
     *
     * @throws IllegalArgumentException if {@link #reserveHandle} did not return the handle or it was bound since
     */
    public <T> T withReservedHandle(long reservedHandle, Supplier<T> call) {
        synchronized (lock) {
            if (!state.reservedHandles.containsKey(reservedHandle)) {
                throw new IllegalArgumentException("handle 0x" + Long.toHexString(reservedHandle)
                        + " is not reserved in this kernel; pass a handle from reserveHandle that no call bound yet");
            }
            state.presetHandle = reservedHandle;
            state.presetOwner = Thread.currentThread();
        }
        try {
            return call.get();
        } finally {
            synchronized (lock) {
                if (state.presetOwner == Thread.currentThread()) {
                    state.presetHandle = 0;
                    state.presetOwner = null;
                }
            }
        }
    }

    /** Registers the front end's listener, replacing any earlier one; null removes it. */
    public void setNotificationListener(NotificationListener listener) {
        synchronized (lock) {
            this.listener = listener;
            state.hasListener = listener != null;
        }
    }

    /** Delivers the events that are due now, without moving the clock. */
    public void poll() {
        synchronized (lock) {
            state.scheduler.runDue(state.now());
        }
        dispatch();
    }

    /**
     * Returns the clock time, in microseconds, of the earliest scheduled event, or
     * {@link Long#MAX_VALUE} when none is scheduled. A transport that pushes events on the wall
     * clock waits until then and calls {@link #poll}.
     */
    public long nextDueMicros() {
        synchronized (lock) {
            return state.scheduler.nextDue();
        }
    }

    /**
     * Sets what runs, outside the kernel's lock, before {@link #advanceMicros},
     * {@link #advanceMicrosUntil} or {@link #holdLinkDown} changes the kernel's time or link, or
     * null for nothing. A front end uses it to deliver the calls the app made but has not yet
     * reported, so the kernel checks them in the state the app saw.
     */
    public void setBeforeTimeMove(Runnable hook) {
        this.beforeTimeMove = hook;
    }

    /**
     * Sets what runs, outside the kernel's lock, after {@link #holdLinkDown} or
     * {@link #holdLinkDownUnannounced} changed the link, or null for nothing. A front end uses it to
     * tell the app of network statuses that changed without a notification record.
     */
    public void setAfterLinkMove(Runnable hook) {
        this.afterLinkMove = hook;
    }

    private void runAfterLinkMove() {
        Runnable hook = afterLinkMove;
        if (hook != null) {
            hook.run();
        }
    }

    private void runBeforeTimeMove() {
        Runnable hook = beforeTimeMove;
        if (hook != null) {
            hook.run();
        }
    }

    /**
     * Holds the device's link to the cloud down, as an open-ended down window, or lets it come back
     * up. Going down drops a connected network to CONNECTING and closes its channels; coming back
     * up connects after the fault plan's connect delay. The bridge keeps a device's link down while
     * its connection to the simulator is lost.
     */
    public void holdLinkDown(boolean down) {
        runBeforeTimeMove();
        synchronized (lock) {
            state.scheduler.runDue(state.now());
            network.holdDown(down, state.now());
        }
        dispatch();
        runAfterLinkMove();
    }

    /**
     * Holds the link down as {@link #holdLinkDown} does, but writes no notification record for the
     * loss. For a front end whose app wrote its own (libmvhost over a bridge link that broke): the
     * kernel's records as well would reach the app's rings a second time, in slots it has read.
     */
    public void holdLinkDownUnannounced() {
        runBeforeTimeMove();
        synchronized (lock) {
            state.scheduler.runDue(state.now());
            state.postingSuppressed = true;
            try {
                network.holdDown(true, state.now());
            } finally {
                state.postingSuppressed = false;
            }
        }
        dispatch();
        runAfterLinkMove();
    }

    /**
     * Moves the clock forward by {@code micros} and delivers each event at its own time, as
     * {@code HAL_Delay} does on the device. On the wall clock this sleeps.
     */
    public void advanceMicros(long micros) {
        if (micros < 0) {
            throw new IllegalArgumentException("cannot move the clock backwards by " + micros + " µs");
        }
        runBeforeTimeMove();
        long target;
        synchronized (lock) {
            target = latestTimeAfter(state.now(), micros);
        }
        runUntilTime(target, () -> false);
    }

    /**
     * Returns {@code now + micros}, or {@link #LATEST_TIME} when that is later: a move of hundreds
     * of thousands of years stops there instead of wrapping around to the past.
     */
    private static long latestTimeAfter(long now, long micros) {
        return micros >= LATEST_TIME - now ? LATEST_TIME : now + micros;
    }

    public void advance(Duration duration) {
        advanceMicros(Durations.toMicros(duration));
    }

    /**
     * Moves the clock forward as {@code HAL_Delay} does in steps of {@code stepMicros}, but with
     * one call: it stops at the end of the first step in which {@code stop} became true (the front
     * end's test for "a notification was written"), or after {@code micros}, whichever comes
     * first. Events due up to there are delivered, as they would be in that step. Returns the
     * clock after.
     */
    public long advanceMicrosUntil(long micros, long stepMicros, BooleanSupplier stop) {
        if (micros < 0 || stepMicros <= 0) {
            throw new IllegalArgumentException("invalid wait of " + micros + " µs in steps of " + stepMicros
                    + " µs; the duration must not be negative and the step must be positive");
        }
        runBeforeTimeMove();
        long start;
        synchronized (lock) {
            start = state.now();
        }
        long deadline = latestTimeAfter(start, micros);

        if (runUntilTime(deadline, stop)) {
            long reached = state.now();
            long steps = Math.max(1, (reached - start + stepMicros - 1) / stepMicros);
            long stepEnd = steps > (deadline - start) / stepMicros ? deadline : start + steps * stepMicros;
            if (stepEnd > reached) {
                runUntilTime(stepEnd, () -> false);
            }
        }
        return state.now();
    }

    /** Moves the clock to each scheduled event in turn until none is left. */
    public void runUntilIdle() {
        runUntilTime(Long.MAX_VALUE, () -> false);
    }

    /**
     * Moves the clock event by event until the condition holds or {@code timeout} of device time
     * has passed, and returns whether the condition holds. The condition is checked outside the
     * kernel's lock and may make system calls.
     */
    public boolean runUntil(BooleanSupplier condition, Duration timeout) {
        long deadline;
        synchronized (lock) {
            deadline = state.now() + Durations.toMicros(timeout);
        }
        return runUntilTime(deadline, condition);
    }

    private boolean runUntilTime(long target, BooleanSupplier condition) {
        try {
            for (int events = 0; events < MAX_EVENTS_PER_RUN; events++) {
                if (condition.getAsBoolean()) {
                    return true;
                }
                long next;
                synchronized (lock) {
                    next = state.scheduler.nextDue();
                }
                if (next == Long.MAX_VALUE || next > target) {
                    if (target != Long.MAX_VALUE) {
                        state.clock.advanceTo(target);
                    }
                    poll();
                    return condition.getAsBoolean();
                }
                state.clock.advanceTo(next);
                poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return condition.getAsBoolean();
        }
        throw new IllegalStateException("device " + state.deviceSid + " ran " + MAX_EVENTS_PER_RUN
                + " events without settling (seed " + state.seed + "); check the fault plan for endless drops");
    }

    /**
     * Returns the records written into the centre's ring that the Java side has not taken yet, and
     * marks them handled. Returns an empty list for a handle that names no centre.
     */
    public List<MvNotification> takeNotifications(long centreHandle) {
        synchronized (lock) {
            NotificationCentre centre = state.handles.get(centreHandle, NotificationCentre.class);
            return centre == null ? List.of() : centre.take();
        }
    }

    /** Marks a ring slot handled, for front ends whose app cleared the record in its own memory. */
    public void acknowledgeNotification(long centreHandle, int slot) {
        synchronized (lock) {
            NotificationCentre centre = state.handles.get(centreHandle, NotificationCentre.class);
            if (centre != null && slot >= 0 && slot < centre.slots()) {
                centre.acknowledge(slot);
            }
        }
    }

    /** Returns how many records overwrote one that was not handled yet, or -1 for a handle that names no centre. */
    public long notificationOverruns(long centreHandle) {
        synchronized (lock) {
            NotificationCentre centre = state.handles.get(centreHandle, NotificationCentre.class);
            return centre == null ? -1 : centre.overruns();
        }
    }

    /** Returns the latest system calls, oldest first, up to the configured trace capacity. */
    public List<TraceEntry> trace() {
        synchronized (lock) {
            return List.copyOf(state.trace);
        }
    }

    /** Returns the trace as text, one call per line, headed by the device SID and the seed. */
    public String formatTrace() {
        StringBuilder text = new StringBuilder("syscalls of device ").append(state.deviceSid)
                .append(" (seed ").append(state.seed).append("):");
        for (TraceEntry entry : trace()) {
            text.append(System.lineSeparator()).append("  ").append(entry);
        }
        return text.toString();
    }

    public List<String> serverLog() {
        synchronized (lock) {
            return logs.serverMessages();
        }
    }

    /** Returns the bytes that waiting server log messages take in the log buffer. */
    public long queuedServerLogBytes() {
        synchronized (lock) {
            return logs.queuedBytes();
        }
    }

    public List<String> testLog() {
        synchronized (lock) {
            return logs.testMessages();
        }
    }

    /** Returns the status passed to {@code mvTestingComplete}, or null when it was not called. */
    public Integer testingCompleteStatus() {
        synchronized (lock) {
            return logs.testingCompleteStatus();
        }
    }

    public KernelStats stats() {
        synchronized (lock) {
            long pending = state.fetchesSent - state.fetchesArrived - state.fetchesFailed - state.fetchesAbandoned;
            return new KernelStats(state.fetchesSent, state.fetchesArrived, state.fetchesFailed,
                    state.fetchesAbandoned, pending, state.handles.liveCount(), state.notificationsWithoutCentre);
        }
    }

    public String deviceSid() {
        return state.deviceSid;
    }

    public long seed() {
        return state.seed;
    }

    public Clock clock() {
        return state.clock;
    }

    public FaultPlan faultPlan() {
        return state.link.plan();
    }

    public KernelConfig config() {
        return state.config;
    }

    @Override
    public String toString() {
        return "DeviceKernel[" + state.deviceSid + ", seed " + state.seed + "]";
    }

    private MvStatus call(String name, Syscall syscall) {
        MvStatus status;
        synchronized (lock) {
            try {
                state.scheduler.runDue(state.now());
                status = syscall.run();
            } catch (RuntimeException e) {
                status = internalError(name, e);
            }
            state.record(name, status);
        }
        dispatch();
        return status;
    }

    private MvStatus internalError(String call, RuntimeException e) {
        log.error("{} on device {} failed unexpectedly (seed {}); returning INTERNALERROR",
                call, state.deviceSid, state.seed, e);
        return MvStatus.INTERNALERROR;
    }

    /** Hands queued records to the listener outside the kernel's lock, one thread at a time so that order holds. */
    private void dispatch() {
        NotificationListener current = listener;
        // Most calls post nothing. A record another thread is posting now is dispatched by that thread's own call.
        if (current == null || state.queuedDeliveries == 0) {
            return;
        }
        synchronized (dispatchLock) {
            while (true) {
                NotificationDelivery delivery;
                synchronized (lock) {
                    delivery = state.outbox.pollFirst();
                    state.queuedDeliveries = state.outbox.size();
                }
                if (delivery == null) {
                    return;
                }
                try {
                    current.onNotification(delivery);
                } catch (RuntimeException e) {
                    log.warn("notification listener of device {} failed on {}", state.deviceSid, delivery, e);
                }
            }
        }
    }

    /** Configures a kernel; every setting but the SID and directory has a default. */
    public static final class Builder {
        private final String deviceSid;
        private final ItemDirectory directory;
        private FaultPlan faultPlan = FaultPlan.none();
        private Clock clock;
        private long seed = 1;
        private KernelConfig config = KernelConfig.DEFAULTS;

        private Builder(String deviceSid, ItemDirectory directory) {
            Objects.requireNonNull(deviceSid, "deviceSid");
            if (!DEVICE_SID.matcher(deviceSid).matches()) {
                throw new IllegalArgumentException("device SID must be UV followed by 32 hex digits, got \""
                        + deviceSid + "\"");
            }
            this.deviceSid = deviceSid;
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        public Builder faultPlan(FaultPlan faultPlan) {
            this.faultPlan = Objects.requireNonNull(faultPlan, "faultPlan");
            return this;
        }

        /** Sets the clock; without one the kernel gets its own {@link VirtualClock} at 0. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sets the seed of the generator behind handles and latencies; the default is 1. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder config(KernelConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        public DeviceKernel build() {
            if (clock == null) {
                clock = new VirtualClock();
            }
            return new DeviceKernel(this);
        }
    }
}
