package dev.mvsim.bridge;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's life: handshake, frames, and a new handshake whenever the device restarts one
 * (a serial line outlives the firmware runs on it). Runs on its own thread until the link closes.
 */
final class BridgeConnection implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(BridgeConnection.class);

    private final String peer;
    private final PacketLink link;
    private final ServerHandshake handshake;
    private final BridgeSessionFactory sessions;
    private final BridgeStats stats;
    private final boolean serialLine;

    /**
     * @param serialLine true for a serial line, which stays open after a rejected handshake because
     *     the next device run on it has no other way in. A socket closes instead.
     */
    BridgeConnection(String peer, PacketLink link, ServerHandshake handshake, BridgeSessionFactory sessions,
                     BridgeStats stats, boolean serialLine) {
        this.serialLine = serialLine;
        this.peer = peer;
        this.link = link;
        this.handshake = handshake;
        this.sessions = sessions;
        this.stats = stats;
    }

    @Override
    public void run() {
        stats.connections.increment();
        try (link) {
            byte[] packet = link.read();
            while (packet != null) {
                if (!HandshakeMessage.isHandshake(packet)) {
                    packet = rejectFrameBeforeHandshake();
                    continue;
                }
                packet = authenticateAndServe(packet);
            }
            log.debug("bridge peer {} closed the connection", peer);
        } catch (java.nio.channels.ClosedChannelException closed) {
            log.debug("bridge connection to {} closed by the server", peer);
        } catch (IOException failure) {
            log.info("bridge connection to {} ended: {}", peer, failure.toString());
        } finally {
            stats.droppedPackets.add(link.droppedPackets());
        }
    }

    /** Returns the packet that follows: the next handshake, or null when the link closed. */
    private byte[] authenticateAndServe(byte[] helloPacket) throws IOException {
        ServerHandshake.Authenticated device;
        try {
            device = handshake.run(helloPacket, link);
        } catch (HandshakeException rejected) {
            stats.rejectedHandshakes.increment();
            log.warn("bridge rejected the handshake from {}: {} ({})", peer, rejected.getMessage(), rejected.reason());
            link.write(new HandshakeMessage.Reject(rejected.reason(), rejected.deviceMessage()).encode());
            return serialLine ? link.read() : null;
        }

        String sid = device.hello().deviceSid();
        BridgeSession session;
        try {
            session = sessions.open(SessionRequest.ofSerialLine(device.hello()));
        } catch (RuntimeException failure) {
            stats.rejectedHandshakes.increment();
            log.error("bridge could not open a session for device {} at {}", sid, peer, failure);
            link.write(new HandshakeMessage.Reject(RejectReason.SESSION_FAILED,
                    "the simulator could not open a session for " + sid + ": " + failure.getMessage()).encode());
            return serialLine ? link.read() : null;
        }

        try (session) {
            ServerHandshake.welcome(device, link);
            stats.authenticated.increment();
            log.info("bridge device {} connected from {} (clock {}, bridge version {})", sid, peer, session.clockName(),
                    device.version());
            byte[] next = new FrameLoop(sid, peer, session, link, stats).run();
            log.info("bridge device {} at {} {}", sid, peer, next == null ? "disconnected" : "started a new handshake");
            return next;
        }
    }

    /** Rejects a frame that arrived before any handshake, as after a server restart, with a REJECT that asks for a HELLO. */
    private byte[] rejectFrameBeforeHandshake() throws IOException {
        stats.rejectedFrames.increment();
        log.warn("bridge peer {} sent a frame before authenticating; sending REJECT so that it starts a handshake", peer);
        link.write(new HandshakeMessage.Reject(RejectReason.NO_SESSION,
                "no session: send HELLO to start a handshake before any frame").encode());
        return link.read();
    }
}
