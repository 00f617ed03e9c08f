package dev.mvsim.bridge;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one bridge server since it started. */
public final class BridgeStats {

    final LongAdder connections = new LongAdder();
    final LongAdder authenticated = new LongAdder();
    final LongAdder rejectedHandshakes = new LongAdder();
    final LongAdder frames = new LongAdder();
    final LongAdder rejectedFrames = new LongAdder();
    final LongAdder retransmittedReplies = new LongAdder();
    final LongAdder droppedPackets = new LongAdder();

    /**
     * Packets pushed to wall-clock devices outside any reply. Each is counted before its write, so
     * the count already includes every push a device has received, and a push whose write failed
     * is counted too. A packet is one due frame, or all the frames that requests sent without
     * wanting a reply left waiting.
     */
    final LongAdder pushedFrames = new LongAdder();

    final LongAdder timedOutHandshakes = new LongAdder();

    /**
     * Snapshot of the counters.
     *
     * @param pushedFrames packets the bridge began to push to wall-clock devices outside any reply.
     *     Each is counted before its write, so a push whose write failed is counted too.
     */
    public record Snapshot(long connections, long authenticated, long rejectedHandshakes, long frames,
                           long rejectedFrames, long retransmittedReplies, long droppedPackets, long pushedFrames,
                           long timedOutHandshakes) {
    }

    public Snapshot snapshot() {
        return new Snapshot(connections.sum(), authenticated.sum(), rejectedHandshakes.sum(), frames.sum(),
                rejectedFrames.sum(), retransmittedReplies.sum(), droppedPackets.sum(), pushedFrames.sum(),
                timedOutHandshakes.sum());
    }
}
