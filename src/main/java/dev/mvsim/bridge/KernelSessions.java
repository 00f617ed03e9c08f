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
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>A device keeps one connection per boot, so a HELLO with the SID and boot id of a connection
 * the server still counts as live means that connection is gone, and the new one takes its kernel
 * over. Each kernel remembers the reply to its device's last request across connections, for a
 * device that lost it with the connection (see {@link SessionFrames}).
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

    /** The empty reply, which a connection's session also returns once another connection has its kernel. */
    private static final byte[] NO_FRAMES = new byte[0];

    private final ItemDirectory directory;
    private final ClockChoice defaultClock;
    private final FaultPlan faultPlan;
    private final DetachedKernels detached;
    /** Sessions with a live connection, by SID and boot id; a device with boot id 0 is never listed. */
    private final Map<String, KernelSession> live = new ConcurrentHashMap<>();
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
            KeptDevice kept = takeOverLiveConnection(request);
            if (kept == null) {
                kept = detached.take(sid, request.bootId());
            }
            if (kept != null) {
                return reattach(kept, request);
            }
        }
        warnAboutFreshKernel(request);
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
        // After a server restart, libmvhost sends the calls it made against the lost kernel first.
        session.skipReportsBeforeFirstReply();
        session.countDivergencesIn(divergences);
        return new KernelSession(new KeptDevice(session), request, kernelClock instanceof WallClock, false);
    }

    /**
     * Detaches the kernel of a live connection with the same SID and boot id and returns it, or
     * returns null when there is none. A loaded server may read a device's new HELLO before the end
     * of its old connection, and a second kernel would know none of the app's handles.
     */
    private KeptDevice takeOverLiveConnection(SessionRequest request) {
        KernelSession old = live.get(liveKey(request.deviceSid(), request.bootId()));
        KeptDevice device = old == null ? null : old.handOver();
        if (device != null) {
            log.info("bridge device {} connected again before the server saw its last connection end; the new"
                    + " connection takes its kernel over", request.deviceSid());
        }
        return device;
    }

    /**
     * Logs why a device gets a fresh kernel when that may surprise: another process is connected
     * under the same SID, or the boot has run before (its HELLO carries a device time) but no kernel
     * is kept for it.
     */
    private void warnAboutFreshKernel(SessionRequest request) {
        String sid = request.deviceSid();
        String otherBoot = null;
        boolean otherOnSerialLine = false;
        for (Map.Entry<String, KernelSession> entry : live.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(sid + "/") && !key.equals(liveKey(sid, request.bootId()))) {
                otherBoot = key.substring(sid.length() + 1);
                otherOnSerialLine = entry.getValue().serialLine;
            }
        }
        if (otherOnSerialLine) {
            // The firmware that ran on the line has most likely exited. A line never ends by itself.
            log.info("bridge device {} connected with boot id {} while its serial line still counts boot id {} as"
                    + " live, since a serial line's connection ends only at the line's next HELLO", sid,
                    Long.toUnsignedString(request.bootId(), 16), otherBoot);
        } else if (otherBoot != null) {
            log.warn("bridge device {} connected with boot id {} while a connection with boot id {} is live: two"
                    + " firmware processes share this device, and each new boot closes the kernel kept for the"
                    + " other. Register a device for each process", sid,
                    Long.toUnsignedString(request.bootId(), 16), otherBoot);
        } else if (request.bootId() != 0 && request.deviceTimeMicros() > 0) {
            // A firmware process that started before the simulator lands here too, so this is no warning.
            log.info("bridge device {} gets a fresh kernel at {} µs of device time (boot id {}): none is kept for"
                    + " it. If this boot was connected before, the simulator restarted or dropped its kernel, and"
                    + " libmvhost asks the new one to recreate the firmware's objects under the handles it holds", sid,
                    request.deviceTimeMicros(), Long.toUnsignedString(request.bootId(), 16));
        }
    }

    private static String liveKey(String deviceSid, long bootId) {
        return deviceSid + "/" + Long.toUnsignedString(bootId, 16);
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

    private KernelSession reattach(KeptDevice device, SessionRequest request) {
        DeviceSession session = device.session();
        DeviceKernel kernel = session.kernel();
        boolean wall = kernel.clock() instanceof WallClock;
        if (wall) {
            kernel.holdLinkDown(false);
        }
        session.prepareForReconnect();
        log.info("bridge reattached device {} to its kernel (boot id {}), at {} µs of device time",
                request.deviceSid(), Long.toUnsignedString(request.bootId(), 16),
                wall ? kernel.clock().nowMicros() : request.deviceTimeMicros());
        KernelSession reattached = new KernelSession(device, request, wall, true);
        if (!wall) {
            reattached.settleLossAtFirstCall(request.deviceTimeMicros());
        }
        return reattached;
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

        private final KeptDevice device;
        private final DeviceSession session;
        private final String liveKey;
        private final long bootId;
        private final boolean serialLine;
        private final boolean wallClock;
        private final boolean reattached;
        /** Set once this connection wrote a reply, which the device's next frame proves it read. */
        private boolean replied;
        /** Set once the connection ended or a newer one took the kernel over; the session then does nothing. */
        private boolean ended;
        /** The HELLO's device time while the loss of a virtual-clock device's last connection waits, else -1. */
        private long settleAtMicros = -1;
        private final ByteArrayOutputStream reply = new ByteArrayOutputStream();
        private final FrameSink replySink = reply::writeBytes;
        private final List<byte[]> emitted = new ArrayList<>();

        KernelSession(KeptDevice device, SessionRequest request, boolean wallClock, boolean reattached) {
            this.device = device;
            this.session = device.session();
            this.liveKey = liveKey(request.deviceSid(), request.bootId());
            this.bootId = request.bootId();
            this.serialLine = request.serialLine();
            this.wallClock = wallClock;
            this.reattached = reattached;
            emitted.addAll(device.takeUnsent());
            session.setNotificationSink(this::emit);
            if (bootId != 0) {
                live.put(liveKey, this);
            }
        }

        /**
         * Detaches the kernel for a newer connection of the same boot, as a lost connection would,
         * and returns it, or returns null when this connection has ended already. The lock makes it
         * wait for an exchange in progress, so the kernel either ran a request and stored its
         * reply, or never sees it.
         */
        synchronized KeptDevice handOver() {
            if (ended || !live.remove(liveKey, this)) {
                return null;
            }
            detach();
            return device;
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

        /**
         * Makes the first frame other than a REPORT apply the loss of the last connection to this
         * virtual-clock kernel, then move its clock to {@code deviceTimeMicros} and let its link
         * connect again. Until then the kernel is as the device left it: the REPORTs libmvhost kept
         * over the loss come first, and they describe calls the app made before it. Run after the
         * loss, a local open that got OKAY would meet a network that is not connected.
         */
        void settleLossAtFirstCall(long deviceTimeMicros) {
            settleAtMicros = Math.max(0, deviceTimeMicros);
        }

        private void settleLossBefore(boolean report) {
            if (settleAtMicros < 0 || report) {
                return;
            }
            DeviceKernel kernel = session.kernel();
            // libmvhost writes the lost link's records into the rings itself, so the kernel writes none.
            kernel.holdLinkDownUnannounced();
            // A virtual clock stood still while the device was away; the device's own clock did not.
            long behind = settleAtMicros - kernel.clock().nowMicros();
            if (behind > 0) {
                kernel.advanceMicros(behind);
            }
            kernel.holdLinkDown(false);
            settleAtMicros = -1;
        }

        @Override
        public synchronized byte[] exchange(byte[] frame) {
            if (ended) {
                return NO_FRAMES;
            }
            settleLossBefore(frame.length > 3 && (frame[3] & 0xFF) == SessionFrames.REPORT_KIND);
            startReply();
            session.handle(frame, replySink);
            return replyBytes();
        }

        @Override
        public synchronized byte[] exchange(Frame decoded, byte[] frameBytes) {
            if (ended) {
                return NO_FRAMES;
            }
            settleLossBefore(decoded instanceof Frame.Report);
            startReply();
            session.handle(decoded, frameBytes, replySink);
            return replyBytes();
        }

        /** Returns the reply gathered, without a new array when it is empty, as it is after most REPORTs. */
        private byte[] replyBytes() {
            return reply.size() == 0 ? NO_FRAMES : reply.toByteArray();
        }

        @Override
        public synchronized void keepForNextReply(List<byte[]> frames) {
            if (ended) {
                device.keepUnsent(frames);
            } else {
                emitted.addAll(0, frames);
            }
        }

        @Override
        public synchronized void rememberReply(int sequence, int opcode, byte[] reply) {
            if (!ended) {
                device.rememberReply(sequence, opcode, reply);
                device.replyWritten();
                replied = true;
            }
        }

        @Override
        public synchronized void deviceFrameArrived() {
            // A frame on a new connection proves nothing about the replies the last one wrote.
            if (!ended && replied) {
                device.confirmPushesBeforeReply();
            }
        }

        @Override
        public synchronized void pushWritten(byte[] packet) {
            if (!ended) {
                device.pushWritten(packet);
            }
        }

        @Override
        public boolean reattached() {
            return reattached;
        }

        @Override
        public synchronized KeptDevice.MissedPushes takeMissedPushes(Integer lastRead, boolean lostReplyFollows) {
            if (ended) {
                return new KeptDevice.MissedPushes(List.of(), List.of());
            }
            // The caller writes the reply that carries them, which the device's next frame confirms.
            replied = true;
            return device.takeMissedPushes(lastRead, lostReplyFollows);
        }

        @Override
        public synchronized byte[] rememberedReply(int sequence, int opcode) {
            return ended ? null : device.replyTo(sequence, opcode);
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
        public synchronized List<byte[]> pollDue() {
            if (ended) {
                return List.of();
            }
            session.kernel().poll();
            return takeEmitted();
        }

        @Override
        public synchronized void close() {
            if (ended) {
                return;
            }
            if (bootId == 0) {
                ended = true;
                session.setNotificationSink(null);
                session.close();
                return;
            }
            live.remove(liveKey, this);
            detach();
            detached.keep(session.kernel().deviceSid(), bootId, device);
        }

        /** Ends this connection's use of the kernel; on the wall clock it also holds the link down at once. */
        private void detach() {
            ended = true;
            // From now on frames wait in the host session for the first reply after a reattachment, after these.
            session.setNotificationSink(null);
            device.keepUnsent(takeEmitted());
            // A virtual clock does not move until the device is back, so its loss waits for the next connection.
            if (wallClock) {
                // libmvhost writes the lost link's records into the rings itself, so the kernel writes none.
                session.kernel().holdLinkDownUnannounced();
            }
        }
    }
}
