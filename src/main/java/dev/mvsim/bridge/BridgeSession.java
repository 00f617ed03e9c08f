package dev.mvsim.bridge;

/**
 * One device's kernel as the bridge sees it: frame bytes in, frame bytes out. The bridge opens one
 * per authenticated connection and calls it from that connection's thread only.
 */
public interface BridgeSession extends AutoCloseable {

    /**
     * Handles one REQUEST or CONTROL frame, already checked by the frame codec, and returns the
     * notification frames that fell due followed by the RESPONSE or ERROR frame. For a request
     * sent without wanting a reply it may return only notification frames.
     */
    byte[] exchange(byte[] frame);

    /** Releases the kernel; the bridge calls it once, when the connection ends. */
    @Override
    void close();
}
