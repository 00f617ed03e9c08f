package dev.mvsim.bridge;

import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.FrameFormatException;
import dev.mvsim.wire.Opcode;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in kernel: answers mvGetMicroseconds with the number of syscalls it has run, so a test
 * can tell a repeated reply from a repeated syscall. Other opcodes get status 0 and no outputs.
 */
final class CountingSession implements BridgeSession {

    final String deviceSid;
    final ClockChoice clock;
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean closed;

    CountingSession(String deviceSid, ClockChoice clock) {
        this.deviceSid = deviceSid;
        this.clock = clock;
    }

    static byte[] microsecondsRequest(int sequence) {
        return FrameCodec.encode(new Frame.Request(sequence, Opcode.MV_GET_MICROSECONDS, true,
                List.of(Field.Pointer.at(0x20001000L))));
    }

    @Override
    public byte[] exchange(byte[] bytes) {
        int count = calls.incrementAndGet();
        Frame.Request request;
        try {
            request = (Frame.Request) FrameCodec.decode(bytes);
        } catch (FrameFormatException impossible) {
            throw new IllegalStateException("the bridge passed an invalid frame", impossible);
        }
        List<Field> outputs = request.opcode() == Opcode.MV_GET_MICROSECONDS ? List.of(new Field.U64(count)) : List.of();
        return FrameCodec.encode(new Frame.Response(request.sequence(), request.opcode(), 0, outputs));
    }

    @Override
    public void close() {
        closed = true;
    }
}
