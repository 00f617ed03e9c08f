package dev.mvsim.bridge;

import dev.mvsim.host.DeviceSession;
import java.util.ArrayList;
import java.util.List;

/**
 * A bridge device's host session together with what one connection leaves for the next: the
 * reply to the device's last request, and the frames the kernel emitted that were never pushed.
 * Both may be all the app is missing when its connection drops: the notifications in them sit in
 * ring slots the kernel has counted, and an app that never gets them waits at an empty slot.
 *
 * <p>The reply is guarded by the {@link KernelSessions} session that serves the device at the
 * time. The unsent frames lock this object, because a connection taken over on one selector
 * thread may hand back frames while the new one starts on another.
 */
final class KeptDevice {

    private final DeviceSession session;
    private int lastSequence;
    private int lastOpcode;
    private byte[] lastReply;
    private final List<byte[]> unsentFrames = new ArrayList<>();

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

    /** Closes the kernel's session for good. */
    void close() {
        session.close();
    }
}
