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
    final LongAdder pushedFrames = new LongAdder();
    final LongAdder timedOutHandshakes = new LongAdder();

    /** Snapshot of the counters. */
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
