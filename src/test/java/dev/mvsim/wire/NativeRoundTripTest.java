package dev.mvsim.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Runs syscalls through the real libmvhost.so with a Java exchange callback that uses this codec,
 * so the C and Java codecs are proven to agree on live frames, not only on the golden file.
 */
@EnabledOnOs(value = OS.LINUX, architectures = "amd64")
class NativeRoundTripTest {

    /** The subset of libmvhost this test calls, mapped by name. */
    public interface Mvhost extends Library {
        int mvhost_set_inprocess_transport(Exchange exchange, Pointer context);

        void mvhost_clear_transport();

        void mvhost_reset();

        int mvGetMicroseconds(LongByReference microseconds);

        int mvGetMicroseconds(Pointer microseconds);

        int mvGetDeviceId(Pointer buffer, int length);
    }

    /** The in-process transport callback, as mvhost_exchange_fn declares it. */
    public interface Exchange extends Callback {
        int invoke(Pointer context, Pointer request, int requestLength, Pointer reply, int replyCapacity);
    }

    private static final List<Frame> RECEIVED = new ArrayList<>();
    private static Mvhost mvhost;
    // Kept in a field so the garbage collector cannot free the callback while libmvhost may call it.
    private static Exchange exchange;

    @BeforeAll
    static void install() {
        mvhost = Native.load("mvhost", Mvhost.class);
        exchange = NativeRoundTripTest::answer;
        mvhost.mvhost_reset();
        assertThat(mvhost.mvhost_set_inprocess_transport(exchange, null)).isZero();
    }

    @AfterAll
    static void uninstall() {
        mvhost.mvhost_clear_transport();
    }

    private static int answer(Pointer context, Pointer request, int requestLength, Pointer reply, int replyCapacity) {
        try {
            Frame.Request frame = (Frame.Request) FrameCodec.decode(request.getByteArray(0, requestLength));
            RECEIVED.add(frame);
            Frame response = respond(frame);
            byte[] bytes = FrameCodec.encode(response);
            reply.write(0, bytes, 0, bytes.length);
            return bytes.length;
        } catch (FrameFormatException | RuntimeException failure) {
            return -1;
        }
    }

    private static Frame respond(Frame.Request request) {
        boolean anyAbsent = request.arguments().stream()
                .anyMatch(field -> field instanceof Field.Pointer pointer && !pointer.present());
        if (anyAbsent) {
            return new Frame.Response(request.sequence(), request.opcode(), 2, List.of(Field.None.INSTANCE));
        }
        Field output = switch (request.opcode()) {
            case MV_GET_MICROSECONDS -> new Field.U64(123_456_789L);
            case MV_GET_DEVICE_ID -> new Field.Bytes("UV0123456789abcdef0123456789abcdef".getBytes());
            default -> Field.None.INSTANCE;
        };
        return new Frame.Response(request.sequence(), request.opcode(), 0, List.of(output));
    }

    @Test
    void microsecondsTravelThroughBothCodecs() {
        LongByReference microseconds = new LongByReference();

        assertThat(mvhost.mvGetMicroseconds(microseconds)).isZero();
        assertThat(microseconds.getValue()).isEqualTo(123_456_789L);
        Frame.Request request = (Frame.Request) RECEIVED.get(RECEIVED.size() - 1);
        assertThat(request.opcode()).isEqualTo(Opcode.MV_GET_MICROSECONDS);
        assertThat(((Field.Pointer) request.arguments().get(0)).address()).isEqualTo(Pointer.nativeValue(microseconds.getPointer()));
    }

    @Test
    void nullPointerArrivesAbsent() {
        assertThat(mvhost.mvGetMicroseconds((Pointer) null)).isEqualTo(2);

        Frame.Request request = (Frame.Request) RECEIVED.get(RECEIVED.size() - 1);
        assertThat(request.arguments()).containsExactly(Field.Pointer.ABSENT);
    }

    @Test
    void deviceIdBytesReachAppBuffer() {
        try (Memory buffer = new Memory(34)) {
            buffer.clear();

            assertThat(mvhost.mvGetDeviceId(buffer, 34)).isZero();
            assertThat(new String(buffer.getByteArray(0, 34))).isEqualTo("UV0123456789abcdef0123456789abcdef");
        }
    }
}
