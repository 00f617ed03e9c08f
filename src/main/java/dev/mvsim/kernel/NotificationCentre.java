package dev.mvsim.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's model of one notification ring. The kernel writes records in order from slot 0,
 * wrapping after the last slot, and never waits for the app: a record written over one the app has
 * not handled yet replaces it and counts as an overrun. The kernel keeps its own copy of the ring
 * so that Java callers can read records; front ends that write the real ring in app memory report
 * the app's handling through {@link DeviceKernel#acknowledgeNotification}.
 */
final class NotificationCentre {

    final long handle;
    final int irq;
    final AppBuffer ring;

    private final long[] microseconds;
    private final int[] eventTypes;
    private final int[] tags;
    private int writeIndex;
    private int readIndex;
    private long written;
    private long overruns;

    NotificationCentre(long handle, int irq, AppBuffer ring, int slots) {
        this.handle = handle;
        this.irq = irq;
        this.ring = ring;
        this.microseconds = new long[slots];
        this.eventTypes = new int[slots];
        this.tags = new int[slots];
    }

    int slots() {
        return eventTypes.length;
    }

    /** Writes the record into the next slot and returns that slot's index. */
    int write(long micros, MvEventType type, int tag) {
        int slot = writeIndex;
        if (eventTypes[slot] != MvEventType.NOEVENT.code()) {
            overruns++;
        }
        microseconds[slot] = micros;
        eventTypes[slot] = type.code();
        tags[slot] = tag;
        writeIndex = (writeIndex + 1) % eventTypes.length;
        written++;
        return slot;
    }

    /** Marks the slot handled, as an app does by writing NOEVENT into its event type. */
    void acknowledge(int slot) {
        eventTypes[slot] = MvEventType.NOEVENT.code();
    }

    /**
     * Returns the unhandled records from the reader's position onwards and marks them handled,
     * the way a firmware handler walks the ring with its own read index.
     */
    List<MvNotification> take() {
        List<MvNotification> records = new ArrayList<>();
        while (eventTypes[readIndex] != MvEventType.NOEVENT.code()) {
            records.add(new MvNotification(microseconds[readIndex], MvEventType.fromCode(eventTypes[readIndex]),
                    tags[readIndex]));
            eventTypes[readIndex] = MvEventType.NOEVENT.code();
            readIndex = (readIndex + 1) % eventTypes.length;
        }
        return records;
    }

    long written() {
        return written;
    }

    long overruns() {
        return overruns;
    }
}
