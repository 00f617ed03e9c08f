package dev.mvsim.kernel;

import dev.mvsim.link.Link;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The data of one device kernel, shared by the parts that implement the system calls. Only
 * {@link DeviceKernel} touches it, always under its lock.
 */
final class KernelState {

    final String deviceSid;
    final long seed;
    final KernelConfig config;
    final Clock clock;
    final Link link;
    final SplittableRandom random;
    final HandleTable handles;
    final Scheduler scheduler = new Scheduler();

    final Map<Long, NotificationCentre> centres = new LinkedHashMap<>();
    final Map<Long, Channel> channels = new LinkedHashMap<>();
    final ArrayDeque<TraceEntry> trace = new ArrayDeque<>();
    final ArrayDeque<NotificationDelivery> outbox = new ArrayDeque<>();
    /**
     * The size of {@link #outbox}, written under the kernel's lock and readable without it, so that
     * a call that posted nothing skips the dispatch locks.
     */
    volatile int queuedDeliveries;
    boolean hasListener;

    /** While set, {@link #post} writes nothing: the app's side announced the event itself. */
    boolean postingSuppressed;
    AppBuffer serverLogBuffer;
    AppBuffer testLogBuffer;

    /** Handles drawn ahead for a front end to give out, not yet bound to any object. */
    final LongHashMap<Boolean> reservedHandles = new LongHashMap<>();
    /** A reserved handle that the next {@link #newAppHandle} on {@link #presetOwner} takes, or 0. */
    long presetHandle;
    Thread presetOwner;

    long fetchesSent;
    long fetchesArrived;
    long fetchesFailed;
    long fetchesAbandoned;
    long notificationsWithoutCentre;

    KernelState(String deviceSid, long seed, KernelConfig config, Clock clock, Link link) {
        this.deviceSid = deviceSid;
        this.seed = seed;
        this.config = config;
        this.clock = clock;
        this.link = link;
        this.random = new SplittableRandom(seed);
        this.handles = new HandleTable(random);
    }

    long now() {
        return clock.nowMicros();
    }

    /**
     * Draws the handle of a new notification centre, network request or channel: the preset
     * reserved handle when the calling thread set one, else a fresh one.
     */
    long newAppHandle() {
        if (presetHandle != 0 && presetOwner == Thread.currentThread()) {
            long handle = presetHandle;
            presetHandle = 0;
            presetOwner = null;
            reservedHandles.remove(handle);
            return handle;
        }
        return handles.newHandle();
    }

    /**
     * Returns the handles of the centres and channels whose rings and buffers the kernel uses, or
     * null while a logging buffer is in use too, since no handle stands for that one.
     */
    List<Long> appBufferHolders() {
        if (serverLogBuffer != null || testLogBuffer != null) {
            return null;
        }
        List<Long> holders = new ArrayList<>(centres.size() + channels.size());
        holders.addAll(centres.keySet());
        holders.addAll(channels.keySet());
        return holders;
    }

    /**
     * Writes a record into the centre's ring and queues it for the listener. A record for a centre
     * that was closed is dropped and counted, because its source lost its sink.
     */
    void post(long centreHandle, MvEventType type, int tag, long micros) {
        if (postingSuppressed) {
            return;
        }
        NotificationCentre centre = handles.get(centreHandle, NotificationCentre.class);
        if (centre == null) {
            notificationsWithoutCentre++;
            return;
        }
        int slot = centre.write(micros, type, tag);
        if (hasListener) {
            outbox.add(new NotificationDelivery(centre.handle, centre.ring.address(), slot,
                    new MvNotification(micros, type, tag), centre.irq));
            queuedDeliveries = outbox.size();
        }
    }

    /** Returns true when the buffer overlaps a ring, an open channel's buffer or a logging buffer. */
    boolean bufferInUse(AppBuffer buffer) {
        for (NotificationCentre centre : centres.values()) {
            if (centre.ring.overlaps(buffer)) {
                return true;
            }
        }
        for (Channel channel : channels.values()) {
            if (channel.receiveBuffer.overlaps(buffer) || channel.sendBuffer.overlaps(buffer)) {
                return true;
            }
        }
        return (serverLogBuffer != null && serverLogBuffer.overlaps(buffer))
                || (testLogBuffer != null && testLogBuffer.overlaps(buffer));
    }

    void record(String call, MvStatus status) {
        if (config.traceCapacity() == 0) {
            return;
        }
        if (trace.size() == config.traceCapacity()) {
            trace.removeFirst();
        }
        trace.addLast(new TraceEntry(now(), call, status));
    }
}
