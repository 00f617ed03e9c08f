package dev.mvsim.bench;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.FrameFormatException;
import dev.mvsim.wire.Opcode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures the frame codec alone, and a syscall from Java into libmvhost.so and back through a
 * Java exchange callback that decodes the request and encodes the response with FrameCodec.
 * The kernel is not involved, so the second figure is the transport's share of a syscall.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WireRoundTripBenchmark {

    /** The libmvhost functions this benchmark calls, mapped by name. */
    public interface Mvhost extends Library {
        int mvhost_set_inprocess_transport(Exchange exchange, Pointer context);

        void mvhost_clear_transport();

        int mvGetMicroseconds(LongByReference microseconds);
    }

    /** The in-process transport callback, as mvhost_exchange_fn declares it. */
    public interface Exchange extends Callback {
        int invoke(Pointer context, Pointer request, int requestLength, Pointer reply, int replyCapacity);
    }

    private final LongByReference microseconds = new LongByReference();
    private final byte[] requestBytes = FrameCodec.encode(
            new Frame.Request(1, Opcode.MV_GET_MICROSECONDS, true, List.of(Field.Pointer.at(0x2000_1000L))));
    private Mvhost mvhost;
    // Kept in a field so the garbage collector cannot free the callback while libmvhost may call it.
    private Exchange exchange;
    private long clock;

    @Setup(Level.Trial)
    public void install() {
        mvhost = Native.load("mvhost", Mvhost.class);
        exchange = this::exchange;
        if (mvhost.mvhost_set_inprocess_transport(exchange, null) != 0) {
            throw new IllegalStateException("mvhost_set_inprocess_transport failed");
        }
    }

    @TearDown(Level.Trial)
    public void uninstall() {
        mvhost.mvhost_clear_transport();
    }

    private int exchange(Pointer context, Pointer request, int requestLength, Pointer reply, int replyCapacity) {
        try {
            Frame.Request frame = (Frame.Request) FrameCodec.decode(request.getByteArray(0, requestLength));
            byte[] bytes = FrameCodec.encode(
                    new Frame.Response(frame.sequence(), frame.opcode(), 0, List.of(new Field.U64(++clock))));
            reply.write(0, bytes, 0, bytes.length);
            return bytes.length;
        } catch (FrameFormatException failure) {
            return -1;
        }
    }

    @Benchmark
    public Frame javaCodecDecodeRequestEncodeResponse() throws FrameFormatException {
        Frame.Request frame = (Frame.Request) FrameCodec.decode(requestBytes);
        byte[] bytes = FrameCodec.encode(
                new Frame.Response(frame.sequence(), frame.opcode(), 0, List.of(new Field.U64(++clock))));
        return FrameCodec.decode(bytes);
    }

    @Benchmark
    public long javaToCToJavaGetMicroseconds() {
        mvhost.mvGetMicroseconds(microseconds);
        return microseconds.getValue();
    }
}
