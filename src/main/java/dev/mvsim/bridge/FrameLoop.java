package dev.mvsim.bridge;

import java.io.IOException;

/**
 * Serves one authenticated device over a blocking link, such as a serial line, on the caller's
 * thread. {@link SessionFrames} decides each reply.
 */
final class FrameLoop {

    private final SessionFrames frames;
    private final PacketLink link;

    FrameLoop(String deviceSid, String peer, BridgeSession session, PacketLink link, BridgeStats stats) {
        this.frames = new SessionFrames(deviceSid, peer, session, stats);
        this.link = link;
    }

    /**
     * Serves frames until the peer closes the link or starts a new handshake.
     *
     * @return the packet that starts the new handshake, or null when the link closed
     */
    byte[] run() throws IOException {
        byte[] packet;
        while ((packet = link.read()) != null) {
            if (HandshakeMessage.isHandshake(packet)) {
                return packet;
            }
            byte[] reply = frames.serve(packet);
            if (reply != null) {
                link.write(reply);
            }
        }
        return null;
    }
}
