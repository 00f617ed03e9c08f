package dev.mvsim.bridge;

import dev.mvsim.wire.ErrorCode;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.FrameFormatException;
import dev.mvsim.wire.FrameKind;
import dev.mvsim.wire.Opcode;
import dev.mvsim.wire.WireLimits;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames of one authenticated device, whatever the transport: each packet contains one frame,
 * which goes to the {@link BridgeSession}. Each reply packet contains the notification and state
 * frames that fell due followed by the RESPONSE, which makes a reply all-or-nothing on a lossy
 * line. A REQUEST sent without wanting a reply, and a REPORT, get no reply packet; the frames they
 * produced lead the next reply.
 *
 * <p>The last request and its reply are remembered. A retry of that request (same sequence number,
 * same bytes), sent because the reply was lost, gets the remembered reply again without running the
 * syscall twice. The session remembers the reply too, beyond this connection, for a device that requests
 * for it with BRIDGE_RESUME after reconnecting. Not thread-safe: one connection calls it from one
 * thread at a time.
 */
final class SessionFrames {

    private static final Logger log = LoggerFactory.getLogger(SessionFrames.class);

    /** Frame kind of a REPORT: a call that libmvhost returned locally, sent for the kernel to check. No reply follows. */
    static final int REPORT_KIND = 8;

    /** Bad frames logged one by one per connection; after that every {@link #BAD_FRAME_LOG_EVERY}th. */
    private static final int BAD_FRAME_LOG_FIRST = 10;
    private static final int BAD_FRAME_LOG_EVERY = 1000;

    private final String deviceSid;
    private final String peer;
    private final BridgeSession session;
    private final BridgeStats stats;

    private byte[] lastRequest;
    private byte[] lastReply;
    /** Set once a reply went out on this connection; pushes wait for it (see {@link #mayPush}). */
    private boolean replied;
    private final ByteArrayOutputStream deferredFrames = new ByteArrayOutputStream();
    private long badFrames;

    SessionFrames(String deviceSid, String peer, BridgeSession session, BridgeStats stats) {
        this.deviceSid = deviceSid;
        this.peer = peer;
        this.session = session;
        this.stats = stats;
    }

    BridgeSession session() {
        return session;
    }

    String deviceSid() {
        return deviceSid;
    }

    /**
     * Returns how long a wall-clock session would block on this packet: the duration of a
     * HARNESS_SLEEP control frame, in microseconds, or 0 for any other packet and on a virtual
     * clock. A caller that must not block waits that long itself and then calls
     * {@link #serveAfterSleep}.
     */
    long wallClockSleepMicros(byte[] packet) {
        if (!session.wallClock() || isRetry(packet) || frameKind(packet) != FrameKind.CONTROL.code()
                || opcodeOf(packet) != Opcode.HARNESS_SLEEP.code()) {
            return 0;
        }
        try {
            Frame.Control control = (Frame.Control) FrameCodec.decode(packet);
            long micros = ((Field.U64) control.arguments().get(0)).value();
            return micros < 0 ? Long.MAX_VALUE : micros;
        } catch (FrameFormatException | RuntimeException invalid) {
            // serve() rejects the frame with the codec's message.
            return 0;
        }
    }

    /**
     * Serves a HARNESS_SLEEP whose duration the caller has already waited: the session runs it as a
     * sleep of 0 µs, which delivers the events due by now, and the reply is stored for {@code packet}.
     */
    byte[] serveAfterSleep(byte[] packet) throws FrameFormatException {
        Frame.Control sleep = (Frame.Control) FrameCodec.decode(packet);
        Frame.Control elapsed = new Frame.Control(sleep.sequence(), Opcode.HARNESS_SLEEP, List.of(new Field.U64(0)));
        replied = true;
        return exchangeAndStore(packet, elapsed, FrameCodec.encode(elapsed), true);
    }

    /**
     * Returns true once this connection sent a reply, from when on the server may push. Until
     * libmvhost reads from the reply to its BRIDGE_RESUME whether the kernel is the one it used
     * before, a push would mix that kernel's notification sequence with another's.
     */
    boolean mayPush() {
        return replied;
    }

    /**
     * Serves one packet and returns the reply packet's payload, or null when the frame wants no
     * reply. Never throws on a bad frame: it gets an ERROR frame and a log line.
     */
    byte[] serve(byte[] packet) {
        session.deviceFrameArrived();
        byte[] reply = serveFrame(packet);
        replied |= reply != null;
        return reply;
    }

    private byte[] serveFrame(byte[] packet) {
        if (isRetry(packet)) {
            stats.retransmittedReplies.increment();
            log.debug("device {} at {} repeated its last request; sending the stored reply again", deviceSid, peer);
            return lastReply;
        }

        Frame frame;
        try {
            frame = FrameCodec.decode(packet);
        } catch (FrameFormatException invalid) {
            if (frameKind(packet) == REPORT_KIND) {
                return forwardReport(null, packet);
            }
            return rejectFrame(packet, invalid.code(), invalid.getMessage());
        }
        boolean replyWanted;
        if (frame instanceof Frame.Request request) {
            replyWanted = request.replyExpected();
        } else if (frame instanceof Frame.Control control) {
            if (control.opcode() == Opcode.BRIDGE_RESUME) {
                return resume(control, packet);
            }
            replyWanted = true;
        } else if (frame.kind().code() == REPORT_KIND) {
            return forwardReport(frame, packet);
        } else {
            return rejectFrame(packet, ErrorCode.MALFORMED,
                    "a device may send REQUEST, CONTROL and REPORT frames only, not " + frame.kind());
        }
        return exchangeAndStore(packet, frame, packet, replyWanted);
    }

    /**
     * Passes {@code frame}, decoded from {@code frameBytes}, to the session, and stores the reply for
     * a retry of {@code packet}.
     */
    private byte[] exchangeAndStore(byte[] packet, Frame frame, byte[] frameBytes, boolean replyWanted) {
        byte[] result = exchange(frame, frameBytes);
        if (!replyWanted) {
            defer(result);
            return null;
        }
        byte[] reply = withDeferred(result);
        lastRequest = packet;
        lastReply = reply;
        session.rememberReply(frame.sequence(), opcodeOf(packet), reply);
        return reply;
    }

    /**
     * Replies to a BRIDGE_RESUME, which libmvhost sends after every reconnection. It names the
     * request whose reply the lost connection may have dropped (opcode 0 when none), and the
     * sequence of the last notification libmvhost read from the kernel. The reply starts with the
     * notifications the server pushed after that one, which the connection may have lost unread.
     * When the kernel ran the lost request, the reply it sent follows unchanged, so that the
     * notifications in it reach the app's rings and libmvhost learns what the call did. The pushes
     * written after that reply then lead the next one. Otherwise a RESPONSE to the RESUME follows, with
     * 1 when this kernel is the one the device used before and 0 for a fresh kernel.
     */
    private byte[] resume(Frame.Control resume, byte[] packet) {
        List<Field> arguments = resume.arguments();
        int lostOpcode = ((Field.U32) arguments.get(0)).value();
        boolean readAny = ((Field.U32) arguments.get(1)).value() != 0;
        Integer lastRead = readAny ? ((Field.U32) arguments.get(2)).value() : null;
        byte[] remembered = lostOpcode == 0 ? null : session.rememberedReply(resume.sequence(), lostOpcode);
        KeptDevice.MissedPushes missed = session.takeMissedPushes(lastRead, remembered != null);
        int missedCount = missed.beforeReply().size() + missed.afterReply().size();
        if (missedCount > 0) {
            log.info("device {} at {}: sending again {} pushed notifications that its last connection may have lost"
                    + " unread", deviceSid, peer, missedCount);
        }

        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        missed.beforeReply().forEach(reply::writeBytes);
        if (remembered != null) {
            log.info("device {} at {} lost the reply to its request {} with its last connection; sending it again",
                    deviceSid, peer, Integer.toUnsignedString(resume.sequence()));
            reply.writeBytes(remembered);
            deferAhead(missed.afterReply());
        } else {
            if (lostOpcode != 0) {
                log.debug("device {} at {}: its request {} never reached the kernel", deviceSid, peer,
                        Integer.toUnsignedString(resume.sequence()));
            }
            Frame.Response notRun = new Frame.Response(resume.sequence(), Opcode.BRIDGE_RESUME, 0,
                    List.of(new Field.U32(session.reattached() ? 1 : 0)));
            reply.writeBytes(withDeferred(FrameCodec.encode(notRun)));
        }
        lastRequest = packet;
        lastReply = reply.toByteArray();
        return lastReply;
    }

    /**
     * Passes a REPORT to the session, which checks it against its own result and never replies.
     * A REPORT that did not decode ({@code decoded} is null) goes as bytes, for the session to
     * reject. Whatever frames the session returns lead the next reply.
     */
    private byte[] forwardReport(Frame decoded, byte[] packet) {
        defer(exchange(decoded, packet));
        return null;
    }

    /**
     * Returns the frames waiting for a reply packet, and clears them, for a caller that sends them
     * unsolicited instead. Returns an empty array when none wait.
     */
    byte[] takeDeferred() {
        byte[] frames = deferredFrames.toByteArray();
        deferredFrames.reset();
        return frames;
    }

    /** Passes a frame to the session, decoded or, when {@code decoded} is null, as bytes only. */
    private byte[] exchange(Frame decoded, byte[] frameBytes) {
        byte[] result;
        int sequence = decoded == null ? sequenceOf(frameBytes) : decoded.sequence();
        try {
            result = decoded == null ? session.exchange(frameBytes) : session.exchange(decoded, frameBytes);
        } catch (RuntimeException failure) {
            log.error("device {} at {}: the kernel failed on sequence {}", deviceSid, peer, sequence, failure);
            result = errorFrame(sequence, opcodeOf(frameBytes), ErrorCode.UNAVAILABLE,
                    "the simulator failed on this request: " + failure.getClass().getSimpleName());
        }
        stats.frames.increment();
        return result;
    }

    private boolean isRetry(byte[] packet) {
        return lastRequest != null && Arrays.equals(packet, lastRequest);
    }

    /** Makes {@code frames} lead the next reply, ahead of the frames waiting for it already. */
    private void deferAhead(List<byte[]> frames) {
        if (frames.isEmpty()) {
            return;
        }
        byte[] waiting = deferredFrames.toByteArray();
        deferredFrames.reset();
        frames.forEach(deferredFrames::writeBytes);
        deferredFrames.writeBytes(waiting);
    }

    /** Keeps frames from a request that wanted no reply, to travel with the next reply. */
    private void defer(byte[] frames) {
        if (deferredFrames.size() + frames.length > WireLimits.MAX_FRAME_BYTES) {
            log.warn("device {} at {}: {} bytes of notifications wait for a reply; dropping them. "
                    + "Send a request that wants a reply sooner", deviceSid, peer, deferredFrames.size());
            deferredFrames.reset();
        }
        deferredFrames.writeBytes(frames);
    }

    private byte[] withDeferred(byte[] reply) {
        if (deferredFrames.size() == 0) {
            return reply;
        }
        deferredFrames.writeBytes(reply);
        byte[] joined = deferredFrames.toByteArray();
        deferredFrames.reset();
        return joined;
    }

    private byte[] rejectFrame(byte[] packet, ErrorCode code, String reason) {
        badFrames++;
        stats.rejectedFrames.increment();
        if (badFrames <= BAD_FRAME_LOG_FIRST || badFrames % BAD_FRAME_LOG_EVERY == 0) {
            log.warn("device {} at {}: rejected a {}-byte frame ({} so far on this connection): {}", deviceSid, peer,
                    packet.length, badFrames, reason);
        }
        return errorFrame(sequenceOf(packet), opcodeOf(packet), code, reason);
    }

    static byte[] errorFrame(int sequence, int opcode, ErrorCode code, String reason) {
        String message = reason.length() > 512 ? reason.substring(0, 512) : reason;
        return FrameCodec.encode(new Frame.Error(sequence, opcode, code, message));
    }

    /** Reads the frame kind from a frame header, or -1 when the packet is too short to have one. */
    private static int frameKind(byte[] packet) {
        return packet.length < 4 ? -1 : packet[3] & 0xFF;
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
