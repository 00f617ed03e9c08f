package dev.mvsim.bridge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the damaged packets of one connection: the first few one by one, then every thousandth with
 * the running count, so that a peer sending garbage cannot fill the log.
 */
final class DamagedPacketLog implements PacketReader.DropListener {

    private static final Logger log = LoggerFactory.getLogger(DamagedPacketLog.class);

    static final int LOG_FIRST = 10;
    static final int LOG_EVERY = 1000;

    private final String peer;
    private long dropped;

    DamagedPacketLog(String peer) {
        this.peer = peer;
    }

    @Override
    public void dropped(String reason) {
        dropped++;
        if (wouldLog(dropped)) {
            log.warn("bridge dropped a damaged packet from {} ({} so far on this connection): {}", peer, dropped,
                    reason);
        }
    }

    /** Returns whether the {@code count}th damaged packet of a connection gets a log line. */
    static boolean wouldLog(long count) {
        return count <= LOG_FIRST || count % LOG_EVERY == 0;
    }

    long dropped() {
        return dropped;
    }
}
