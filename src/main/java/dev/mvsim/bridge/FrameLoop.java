package dev.mvsim.bridge;

import dev.mvsim.wire.ErrorCode;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.FrameFormatException;
import dev.mvsim.wire.WireLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one authenticated device: each packet holds one REQUEST or CONTROL frame, and each reply
 * packet holds the notification frames that fell due followed by the RESPONSE. Keeping a reply in
 * one packet makes it all-or-nothing on a lossy line.
 *
 * <p>The last request and its reply are remembered. A retry of that request (same sequence number,
 * same bytes), sent because the reply was lost, gets the remembered reply again without running the
 * syscall twice.
 */
final class FrameLoop {

    private static final Logger log = LoggerFactory.getLogger(FrameLoop.class);

    /** Bad frames logged one by one per connection; after that every {@link #BAD_FRAME_LOG_EVERY}th. */
    private static final int BAD_FRAME_LOG_FIRST = 10;
    private static final int BAD_FRAME_LOG_EVERY = 1000;

    private final String deviceSid;
    private final String peer;
    private final BridgeSession session;
    private final PacketLink link;
    private final BridgeStats stats;

    private byte[] lastRequest;
    private byte[] lastReply;
    private final ByteArrayOutputStream deferredNotifications = new ByteArrayOutputStream();
    private long badFrames;

    FrameLoop(String deviceSid, String peer, BridgeSession session, PacketLink link, BridgeStats stats) {
        this.deviceSid = deviceSid;
        this.peer = peer;
        this.session = session;
        this.link = link;
        this.stats = stats;
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
            serve(packet);
        }
        return null;
    }

    private void serve(byte[] packet) throws IOException {
        if (lastRequest != null && Arrays.equals(packet, lastRequest)) {
            stats.retransmittedReplies.increment();
            log.debug("device {} at {} repeated its last request; sending the stored reply again", deviceSid, peer);
            link.write(lastReply);
            return;
        }

        Frame frame;
        try {
            frame = FrameCodec.decode(packet);
        } catch (FrameFormatException invalid) {
            rejectFrame(packet, invalid.code(), invalid.getMessage());
            return;
        }
        boolean replyWanted;
        if (frame instanceof Frame.Request request) {
            replyWanted = request.replyExpected();
        } else if (frame instanceof Frame.Control) {
            replyWanted = true;
        } else {
            rejectFrame(packet, ErrorCode.MALFORMED, "a device may send REQUEST and CONTROL frames only, not " + frame.kind());
            return;
        }

        byte[] result;
        try {
            result = session.exchange(packet);
        } catch (RuntimeException failure) {
            log.error("device {} at {}: the kernel failed on sequence {}", deviceSid, peer, frame.sequence(), failure);
            result = errorFrame(frame.sequence(), opcodeOf(packet), ErrorCode.UNAVAILABLE,
                    "the simulator failed on this request: " + failure.getClass().getSimpleName());
        }
        stats.frames.increment();

        if (!replyWanted) {
            defer(result);
            return;
        }
        byte[] reply = withDeferred(result);
        lastRequest = packet;
        lastReply = reply;
        link.write(reply);
    }

    /** Keeps notifications from a request that wanted no reply, to travel with the next reply. */
    private void defer(byte[] frames) {
        if (deferredNotifications.size() + frames.length > WireLimits.MAX_FRAME_BYTES) {
            log.warn("device {} at {}: {} bytes of notifications wait for a reply; dropping them. "
                    + "Send a request that wants a reply sooner", deviceSid, peer, deferredNotifications.size());
            deferredNotifications.reset();
        }
        deferredNotifications.writeBytes(frames);
    }

    private byte[] withDeferred(byte[] reply) {
        if (deferredNotifications.size() == 0) {
            return reply;
        }
        deferredNotifications.writeBytes(reply);
        byte[] joined = deferredNotifications.toByteArray();
        deferredNotifications.reset();
        return joined;
    }

    private void rejectFrame(byte[] packet, ErrorCode code, String reason) throws IOException {
        badFrames++;
        stats.rejectedFrames.increment();
        if (badFrames <= BAD_FRAME_LOG_FIRST || badFrames % BAD_FRAME_LOG_EVERY == 0) {
            log.warn("device {} at {}: rejected a {}-byte frame ({} so far on this connection): {}", deviceSid, peer,
                    packet.length, badFrames, reason);
        }
        link.write(errorFrame(sequenceOf(packet), opcodeOf(packet), code, reason));
    }

    static byte[] errorFrame(int sequence, int opcode, ErrorCode code, String reason) {
        String message = reason.length() > 512 ? reason.substring(0, 512) : reason;
        return FrameCodec.encode(new Frame.Error(sequence, opcode, code, message));
    }

    /** Reads the sequence number from a frame header, or 0 when the packet is too short to have one. */
    private static int sequenceOf(byte[] packet) {
        if (packet.length < 12) {
            return 0;
        }
        return (packet[8] & 0xFF) | (packet[9] & 0xFF) << 8 | (packet[10] & 0xFF) << 16 | (packet[11] & 0xFF) << 24;
    }

    private static int opcodeOf(byte[] packet) {
        if (packet.length < 6) {
            return 0;
        }
        return (packet[4] & 0xFF) | (packet[5] & 0xFF) << 8;
    }
}
