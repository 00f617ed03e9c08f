package dev.mvsim.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.link.InMemoryItemDirectory;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import dev.mvsim.wire.Opcode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A frame handed to the session already decoded gets the same reply as its bytes. */
class DecodedFrameHandlingTest {

    private static final String DEVICE_SID = "UV0123456789abcdef0123456789abcdef";

    private final DeviceSession fromBytes = newSession();
    private final DeviceSession fromDecoded = newSession();

    @AfterEach
    void closeSessions() {
        fromBytes.close();
        fromDecoded.close();
    }

    @Test
    void decodedFramesGetSameReplies() throws Exception {
        List<Frame> frames = List.of(
                new Frame.Request(1, Opcode.MV_GET_MICROSECONDS, true, List.of(Field.Pointer.at(0x1000))),
                new Frame.Report(2, Opcode.MV_GET_MICROSECONDS, List.of(Field.Pointer.at(0x1000)),
                        MvStatus.OKAY.code(), List.of(new Field.U64(1_000))),
                new Frame.Control(3, Opcode.HARNESS_SLEEP, List.of(new Field.U64(250))),
                new Frame.Request(4, Opcode.MV_GET_DEVICE_ID, true, List.of(Field.Pointer.at(0x1000), new Field.U32(34))),
                new Frame.Request(5, Opcode.MV_GET_MICROSECONDS, false, List.of(Field.Pointer.ABSENT)));

        for (Frame frame : frames) {
            byte[] bytes = FrameCodec.encode(frame);
            List<byte[]> expected = new ArrayList<>();
            List<byte[]> actual = new ArrayList<>();

            fromBytes.handle(bytes, expected::add);
            fromDecoded.handle(frame, bytes, actual::add);

            assertThat(actual).as("reply to %s", frame).containsExactlyElementsOf(expected);
        }
        assertThat(fromDecoded.divergences()).isZero();
        assertThat(fromDecoded.kernel().clock().nowMicros()).isEqualTo(1_250);
    }

    @Test
    void divergentDecodedReportIsCounted() {
        Frame.Report report = new Frame.Report(1, Opcode.MV_GET_MICROSECONDS, List.of(Field.Pointer.at(0x1000)),
                MvStatus.OKAY.code(), List.of(new Field.U64(999)));
        List<byte[]> reply = new ArrayList<>();

        fromDecoded.handle(report, FrameCodec.encode(report), reply::add);

        assertThat(fromDecoded.divergences()).isEqualTo(1);
    }

    private static DeviceSession newSession() {
        DeviceKernel kernel = DeviceKernel.builder(DEVICE_SID, new InMemoryItemDirectory())
                .clock(new VirtualClock(1_000)).build();
        return new DeviceSession(kernel);
    }
}
