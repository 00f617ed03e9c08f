package dev.mvsim.bridge;

import dev.mvsim.host.DeviceSession;
import dev.mvsim.wire.FrameKind;
import dev.mvsim.wire.WireLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge device's host session together with what one connection leaves for the next: the
 * reply to the device's last request, and the frames the kernel emitted that were never pushed.
 * Both may be all the app is missing when its connection drops: the notifications in them sit in
 * ring slots the kernel has counted, and an app that never gets them waits at an empty slot.
 *
 * <p>It also keeps the NOTIFICATION frames pushed to the device that it cannot be shown to have
 * read. libmvhost sends nothing between a request and reading its reply, so a frame from the
 * device proves that it read every reply written before that frame arrived, and every push
 * written before that reply. Pushes written after the last reply stay unconfirmed. After a
 * reattachment the device's BRIDGE_RESUME names the last notification it read, and the pushes
 * after it are sent again ({@link #takeMissedPushes}).
 *
 * <p>The reply is guarded by the {@link KernelSessions} session that serves the device at the
 * time. The unsent frames and the pushes lock this object, because a connection taken over on one
 * selector thread may hand back frames while the new one starts on another.
 */
final class KeptDevice {

    private static final Logger log = LoggerFactory.getLogger(KeptDevice.class);

    /**
     * Maximum bytes of unconfirmed pushes kept. They are sent again inside one reply, which
     * libmvhost reads into a 64 KiB buffer along with the remembered reply. A device that reads no
     * reply while more are pushed loses the oldest ones.
     */
    static final int MAX_UNCONFIRMED_PUSH_BYTES = 32 * 1024;

    private final DeviceSession session;
    private int lastSequence;
    private int lastOpcode;
    private byte[] lastReply;
    private final List<byte[]> unsentFrames = new ArrayList<>();
    /** Pushed notifications written before the last reply, confirmed by the device's next frame. */
    private final List<byte[]> pushedBeforeReply = new ArrayList<>();
    /** Pushed notifications written after the last reply. */
    private final List<byte[]> pushedAfterReply = new ArrayList<>();
    private int unconfirmedPushBytes;
    private long droppedPushes;

    KeptDevice(DeviceSession session) {
        this.session = session;
    }

    DeviceSession session() {
        return session;
    }

    void rememberReply(int sequence, int opcode, byte[] reply) {
        lastSequence = sequence;
        lastOpcode = opcode;
        lastReply = reply;
    }

    /** Returns the last reply if it is the reply to this request, else null. */
    byte[] replyTo(int sequence, int opcode) {
        return lastReply != null && lastSequence == sequence && lastOpcode == opcode ? lastReply : null;
    }

    /** Keeps frames the connection could not push any more, for the first reply of the next one. */
    synchronized void keepUnsent(List<byte[]> frames) {
        unsentFrames.addAll(frames);
    }

    /** Returns the frames kept from the last connection and clears them. */
    synchronized List<byte[]> takeUnsent() {
        if (unsentFrames.isEmpty()) {
            return List.of();
        }
        List<byte[]> frames = List.copyOf(unsentFrames);
        unsentFrames.clear();
        return frames;
    }

    /** Records the NOTIFICATION frames of a push packet written to the device, as unconfirmed. */
    synchronized void pushWritten(byte[] packet) {
        int offset = 0;
        while (packet.length - offset >= WireLimits.HEADER_BYTES) {
            int length = WireLimits.HEADER_BYTES + readInt(packet, offset + 12);
            if (length < WireLimits.HEADER_BYTES || length > packet.length - offset) {
                return; // only a bug in the server's own encoding gets here
            }
            if ((packet[offset + 3] & 0xFF) == FrameKind.NOTIFICATION.code()) {
                byte[] frame = Arrays.copyOfRange(packet, offset, offset + length);
                pushedAfterReply.add(frame);
                unconfirmedPushBytes += frame.length;
            }
            offset += length;
        }
        dropOldestPushesOverLimit();
    }

    /** Notes that a reply was written: the pushes written so far now precede it. */
    synchronized void replyWritten() {
        pushedBeforeReply.addAll(pushedAfterReply);
        pushedAfterReply.clear();
    }

    /** Forgets the pushes written before the last reply, for a device frame that proves it read that reply. */
    synchronized void confirmPushesBeforeReply() {
        for (byte[] frame : pushedBeforeReply) {
            unconfirmedPushBytes -= frame.length;
        }
        pushedBeforeReply.clear();
    }

    /**
     * Returns the unconfirmed pushes whose sequence comes after {@code lastRead}, the sequence of
     * the last notification the device read, or every one when {@code lastRead} is null. The
     * comparison is serial-number arithmetic, so a counter that wrapped past 2^32 still compares
     * right. The pushes returned are about to go out in a reply, so they become the pushes
     * written before it. With {@code splitAtReply}, the pushes written after the remembered reply
     * come second, for a caller that sends that reply between the two lists.
     */
    synchronized MissedPushes takeMissedPushes(Integer lastRead, boolean splitAtReply) {
        List<byte[]> before = unread(pushedBeforeReply, lastRead);
        List<byte[]> after = unread(pushedAfterReply, lastRead);
        pushedBeforeReply.clear();
        pushedAfterReply.clear();
        unconfirmedPushBytes = 0;
        if (!splitAtReply) {
            before.addAll(after);
            after = List.of();
        }
        pushedBeforeReply.addAll(before);
        for (byte[] frame : before) {
            unconfirmedPushBytes += frame.length;
        }
        // Pushes after the remembered reply go out with the next reply, and count as pushed again only then.
        return new MissedPushes(List.copyOf(before), List.copyOf(after));
    }

    /** Pushed notifications to send again: those written before the remembered reply, and those after it. */
    record MissedPushes(List<byte[]> beforeReply, List<byte[]> afterReply) {
    }

    private static List<byte[]> unread(List<byte[]> frames, Integer lastRead) {
        List<byte[]> unread = new ArrayList<>(frames.size());
        for (byte[] frame : frames) {
            if (lastRead == null || readInt(frame, 8) - lastRead > 0) {
                unread.add(frame);
            }
        }
        return unread;
    }

    private void dropOldestPushesOverLimit() {
        while (unconfirmedPushBytes > MAX_UNCONFIRMED_PUSH_BYTES) {
            List<byte[]> oldest = pushedBeforeReply.isEmpty() ? pushedAfterReply : pushedBeforeReply;
            unconfirmedPushBytes -= oldest.remove(0).length;
            if (droppedPushes++ % 1000 == 0) {
                log.warn("device {}: more than {} bytes of pushed notifications wait for the device to read a reply;"
                        + " dropping the oldest ({} so far), which a broken connection can no longer bring back",
                        session.kernel().deviceSid(), MAX_UNCONFIRMED_PUSH_BYTES, droppedPushes);
            }
        }
    }

    private static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8 | (bytes[offset + 2] & 0xFF) << 16
                | (bytes[offset + 3] & 0xFF) << 24;
    }

    /** Closes the kernel's session for good. */
    void close() {
        session.close();
    }
}
