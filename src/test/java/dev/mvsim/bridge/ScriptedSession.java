package dev.mvsim.bridge;

import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.FrameFormatException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in kernel for the selector server: it replies to every frame with a RESPONSE of the same
 * sequence and opcode, status 0 and no outputs, records what it received, and on a wall clock
 * pushes the notification frames a test queues.
 */
final class ScriptedSession implements BridgeSession {

    final boolean wallClock;
    final List<Frame> received = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<byte[]> toPush = new ConcurrentLinkedQueue<>();
    final List<byte[]> keptForNextReply = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    ScriptedSession(boolean wallClock) {
        this.wallClock = wallClock;
    }

    static byte[] notification(int sequence, int tag) {
        return FrameCodec.encode(new Frame.Notification(sequence, 1, 0x20002000L, 0, 0, 1, tag, 0,
                new Field.Bytes(new byte[0])));
    }

    @Override
    public byte[] exchange(byte[] bytes) {
        Frame frame;
        try {
            frame = FrameCodec.decode(bytes);
        } catch (FrameFormatException impossible) {
            throw new IllegalStateException("the bridge passed an invalid frame", impossible);
        }
        received.add(frame);
        if (frame instanceof Frame.Request request) {
            return FrameCodec.encode(new Frame.Response(request.sequence(), request.opcode(), 0, List.of()));
        }
        Frame.Control control = (Frame.Control) frame;
        return FrameCodec.encode(new Frame.Response(control.sequence(), control.opcode(), 0,
                List.of(new Field.U64(0))));
    }

    @Override
    public boolean wallClock() {
        return wallClock;
    }

    @Override
    public long microsUntilDue() {
        return toPush.isEmpty() ? Long.MAX_VALUE : 0;
    }

    @Override
    public List<byte[]> pollDue() {
        byte[] next = toPush.poll();
        return next == null ? List.of() : List.of(next);
    }

    @Override
    public void keepForNextReply(List<byte[]> frames) {
        keptForNextReply.addAll(frames);
    }

    @Override
    public void close() {
        closed = true;
    }
}
