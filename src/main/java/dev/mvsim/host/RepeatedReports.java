package dev.mvsim.host;

/**
 * Tells REPORTs that arrive a second time after a reconnect from new ones. libmvhost keeps every
 * REPORT that met a broken link, because it cannot tell whether the server read it first, and
 * sends them again after the next handshake. A kernel kept for the reconnect ran the ones the
 * server did read, and must not run them twice.
 *
 * <p>libmvhost numbers frames in order and sends kept REPORTs in that order, so after a
 * reconnect every REPORT up to the last one run is a repeat, and the first newer one ends them.
 */
final class RepeatedReports {

    /** Sequence number of the last REPORT run; valid once {@link #anyRun}. */
    private int lastRunSequence;
    private boolean anyRun;
    private boolean skipping;
    private long skipped;

    /** From now on, takes REPORTs up to the last one run as repeats, until a newer one arrives. */
    synchronized void expectRepeats() {
        skipping = anyRun;
    }

    /** Returns true for a repeat, which must not run; otherwise records the REPORT as the last one run. */
    synchronized boolean isRepeat(int sequence) {
        // Serial number arithmetic: sequence numbers wrap around after 2^32 frames.
        if (skipping && lastRunSequence - sequence >= 0) {
            skipped++;
            return true;
        }
        skipping = false;
        anyRun = true;
        lastRunSequence = sequence;
        return false;
    }

    /** Returns how many repeats were skipped. */
    synchronized long skipped() {
        return skipped;
    }
}
