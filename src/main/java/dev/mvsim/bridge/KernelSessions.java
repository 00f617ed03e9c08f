package dev.mvsim.bridge;

import dev.mvsim.host.DeviceSession;
import dev.mvsim.host.FrameSink;
import dev.mvsim.kernel.Clock;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.KernelConfig;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.kernel.WallClock;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.ItemDirectory;
import dev.mvsim.wire.Frame;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a {@link DeviceKernel} for each authenticated connection, on the clock the device asked
 * for, fetching items from the cloud's directory as that device.
 *
 * <p>When a connection ends, the kernel is kept, with its link to the cloud held down as on a
 * device that lost its connection. A HELLO with the same SID and boot id gets it back: a
 * reconnection, not a reboot. Any other HELLO gets a fresh kernel whose clock starts at the
 * device time the HELLO carries, and kernels kept for older boots of that device are closed. A
 * device that sends boot id 0 never gets a kernel back. Close this to release the kept kernels.
 */
public final class KernelSessions implements BridgeSessionFactory, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KernelSessions.class);

    /** Disconnected devices whose kernel is kept, when the caller sets no limit. */
    public static final int DEFAULT_KEPT_KERNELS = 1024;

    /** How long a disconnected device's kernel is kept, when the caller sets no limit. */
    public static final Duration DEFAULT_KEPT_FOR = Duration.ofMinutes(10);

    /**
     * Kernel settings of a bridge device: the defaults without a trace. Nothing outside the
     * process reads a bridge kernel's trace, and 1,000 devices keeping 1,024 calls each made the
     * collector copy and promote about 40 MB of entries that were dropped later.
     */
    static final KernelConfig BRIDGE_KERNEL_CONFIG = KernelConfig.DEFAULTS.withTraceCapacity(0);

    private static final byte[] NO_FRAMES = new byte[0];

    private final ItemDirectory directory;
    private final ClockChoice defaultClock;
    private final FaultPlan faultPlan;
    private final DetachedKernels detached;
    private final LongAdder divergences = new LongAdder();

    /**
     * @param defaultClock the clock of devices that leave the choice to the server; VIRTUAL or WALL
     */
    public KernelSessions(ItemDirectory directory, ClockChoice defaultClock, FaultPlan faultPlan) {
        this(directory, defaultClock, faultPlan, DEFAULT_KEPT_KERNELS, DEFAULT_KEPT_FOR);
    }

    /**
     * @param keptKernels how many disconnected devices' kernels to keep at most; 0 keeps none
     * @param keptFor how long to keep a disconnected device's kernel
     */
    public KernelSessions(ItemDirectory directory, ClockChoice defaultClock, FaultPlan faultPlan, int keptKernels,
                          Duration keptFor) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.faultPlan = Objects.requireNonNull(faultPlan, "faultPlan");
        if (defaultClock == ClockChoice.SERVER_DEFAULT) {
            throw new IllegalArgumentException("the default clock must be VIRTUAL or WALL, got " + defaultClock);
        }
        this.defaultClock = defaultClock;
        this.detached = new DetachedKernels(keptKernels, keptFor, System::nanoTime);
    }

    @Override
    public BridgeSession open(String deviceSid, ClockChoice clock) {
        return open(new SessionRequest(deviceSid, clock, 0, 0));
    }

    @Override
    public BridgeSession open(SessionRequest request) {
        String sid = request.deviceSid();
        if (request.bootId() != 0) {
            DeviceSession kept = detached.take(sid, request.bootId());
            if (kept != null) {
                return reattach(kept, request);
            }
        }
        detached.forget(sid);

        ClockChoice chosen = request.clock() == ClockChoice.SERVER_DEFAULT ? defaultClock : request.clock();
        long start = Math.max(0, request.deviceTimeMicros());
        Clock kernelClock = chosen == ClockChoice.WALL ? new WallClock(start) : new VirtualClock(start);
        DeviceKernel kernel = DeviceKernel.builder(sid, directory)
                .clock(kernelClock)
                .faultPlan(faultPlan)
                .config(BRIDGE_KERNEL_CONFIG)
                .build();
        DeviceSession session = new DeviceSession(kernel);
        // A firmware process reaches the kernel only through its own calls, so it may let quiet time pass by itself.
        session.offerQuietWindows();
        session.countDivergencesIn(divergences);
        return new KernelSession(session, request.bootId(), kernelClock instanceof WallClock);
    }

    /**
     * Returns how many calls libmvhost answered itself differently from the kernel, over every
     * device this factory served. Each one was logged at ERROR with the call's name.
     */
    public long divergences() {
        return divergences.sum();
    }

    /** Returns how many disconnected devices' kernels are kept now. */
    public int keptKernels() {
        return detached.size();
    }

    /** Returns the kernel behind a session this factory opened, for tests that inspect it. */
    static DeviceKernel kernelOf(BridgeSession session) {
        return sessionOf(session).kernel();
    }

    /** Returns the host session behind a session this factory opened, for tests that inspect it. */
    static DeviceSession sessionOf(BridgeSession session) {
        return ((KernelSession) session).session;
    }

    private KernelSession reattach(DeviceSession session, SessionRequest request) {
        DeviceKernel kernel = session.kernel();
        boolean wall = kernel.clock() instanceof WallClock;

        // A virtual clock stood still while the device was away; the device's own clock did not.
        long behind = request.deviceTimeMicros() - kernel.clock().nowMicros();
        if (!wall && behind > 0) {
            kernel.advanceMicros(behind);
        }
        kernel.holdLinkDown(false);
        session.prepareForReconnect();
        log.info("bridge reattached device {} to its kernel (boot id {}), at {} µs of device time",
                request.deviceSid(), Long.toUnsignedString(request.bootId(), 16), kernel.clock().nowMicros());
        return new KernelSession(session, request.bootId(), wall);
    }

    @Override
    public void close() {
        detached.close();
    }

    /**
     * Gathers the frames the host session emits for one request into one reply, and the frames it
     * emits between requests for the bridge to push.
     */
    private final class KernelSession implements BridgeSession {

        private final DeviceSession session;
        private final long bootId;
        private final boolean wallClock;
        private final ByteArrayOutputStream reply = new ByteArrayOutputStream();
        private final FrameSink replySink = reply::writeBytes;
        private final List<byte[]> emitted = new ArrayList<>();

        KernelSession(DeviceSession session, long bootId, boolean wallClock) {
            this.session = session;
            this.bootId = bootId;
            this.wallClock = wallClock;
            session.setNotificationSink(this::emit);
        }

        private synchronized void emit(byte[] frame) {
            emitted.add(frame);
        }

        private synchronized List<byte[]> takeEmitted() {
            // Usually nothing was emitted between two exchanges, and List.copyOf makes an array even then.
            if (emitted.isEmpty()) {
                return List.of();
            }
            List<byte[]> frames = List.copyOf(emitted);
            emitted.clear();
            return frames;
        }

        @Override
        public byte[] exchange(byte[] frame) {
            startReply();
            session.handle(frame, replySink);
            return replyBytes();
        }

        @Override
        public byte[] exchange(Frame decoded, byte[] frameBytes) {
            startReply();
            session.handle(decoded, frameBytes, replySink);
            return replyBytes();
        }

        /** Returns the reply gathered, without a new array when it is empty, as it is after most REPORTs. */
        private byte[] replyBytes() {
            return reply.size() == 0 ? NO_FRAMES : reply.toByteArray();
        }

        /** Starts the reply with the frames emitted since the last one. */
        private void startReply() {
            reply.reset();
            for (byte[] earlier : takeEmitted()) {
                reply.writeBytes(earlier);
            }
        }

        @Override
        public boolean wallClock() {
            return wallClock;
        }

        @Override
        public long microsUntilDue() {
            long due = session.kernel().nextDueMicros();
            if (due == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            return Math.max(0, due - session.kernel().clock().nowMicros());
        }

        @Override
        public List<byte[]> pollDue() {
            session.kernel().poll();
            return takeEmitted();
        }

        @Override
        public void close() {
            // From now on frames wait in the host session for the first reply after a reattachment.
            // Frames emitted but not pushed yet are lost with the connection, like packets in flight.
            session.setNotificationSink(null);
            List<byte[]> unsent = takeEmitted();
            if (bootId == 0) {
                session.close();
                return;
            }
            if (!unsent.isEmpty()) {
                log.debug("device {} lost its connection with {} frames unsent; they are dropped",
                        session.kernel().deviceSid(), unsent.size());
            }
            // libmvhost writes the lost link's records into the rings itself, so the kernel writes none.
            session.kernel().holdLinkDownUnannounced();
            detached.keep(session.kernel().deviceSid(), bootId, session);
        }
    }
}
