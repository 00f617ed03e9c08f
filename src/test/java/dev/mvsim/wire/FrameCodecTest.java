package dev.mvsim.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FrameCodecTest {

    private static final Frame.Request MICROSECONDS_REQUEST =
            new Frame.Request(7, Opcode.MV_GET_MICROSECONDS, true, List.of(Field.Pointer.at(0x20001000L)));

    @Test
    void opcodeTableHasEverySyscallOnce() {
        long syscalls = Arrays.stream(Opcode.values()).filter(opcode -> !opcode.isHarnessControl()).count();
        long distinctCodes = Arrays.stream(Opcode.values()).mapToInt(Opcode::code).distinct().count();

        assertThat(syscalls).isEqualTo(Opcode.SYSCALL_COUNT);
        assertThat(distinctCodes).isEqualTo(Opcode.values().length);
    }

    @ParameterizedTest
    @EnumSource(Opcode.class)
    void requestRoundTrip(Opcode opcode) throws FrameFormatException {
        List<Field> arguments = SampleFields.forSchema(opcode.requestSchema(), opcode.code());
        Frame frame = opcode.isHarnessControl()
                ? new Frame.Control(opcode.code(), opcode, arguments)
                : new Frame.Request(opcode.code(), opcode, opcode.code() % 2 == 0, arguments);

        assertThat(FrameCodec.decode(FrameCodec.encode(frame))).isEqualTo(frame);
    }

    @ParameterizedTest
    @EnumSource(Opcode.class)
    void responseRoundTrip(Opcode opcode) throws FrameFormatException {
        Frame written = new Frame.Response(-5, opcode, 0, SampleFields.forSchema(opcode.responseSchema(), 3));
        List<Field> unwritten = new ArrayList<>();
        opcode.responseSchema().slots().forEach(slot -> unwritten.add(Field.None.INSTANCE));
        Frame fault = new Frame.Response(6, opcode, 2, unwritten);

        assertThat(FrameCodec.decode(FrameCodec.encode(written))).isEqualTo(written);
        assertThat(FrameCodec.decode(FrameCodec.encode(fault))).isEqualTo(fault);
    }

    @Test
    void notificationRoundTrip() throws FrameFormatException {
        Frame frame = new Frame.Notification(9, 0xFFFF_FFFFL, 0x7FFF_0000_1000L, 7, Long.MAX_VALUE, 4, -1, 51,
                new Field.Bytes(new byte[] {1, 2, 3}));

        assertThat(FrameCodec.decode(FrameCodec.encode(frame))).isEqualTo(frame);
    }

    @Test
    void handshakeAndErrorRoundTrip() throws FrameFormatException {
        Frame handshake = new Frame.Handshake(0, 1, 1, WireLimits.MAX_FRAME_BYTES, "kernel é");
        Frame error = new Frame.Error(3, 0x0002, ErrorCode.TOO_LARGE, "payload length 9999999 is above the maximum");

        assertThat(FrameCodec.decode(FrameCodec.encode(handshake))).isEqualTo(handshake);
        assertThat(FrameCodec.decode(FrameCodec.encode(error))).isEqualTo(error);
    }

    @Test
    void clockStateRoundTrip() throws FrameFormatException {
        Frame state = Frame.State.clock(4, StateOpcode.CLOCK_WALL, Long.MAX_VALUE);

        assertThat(FrameCodec.decode(FrameCodec.encode(state))).isEqualTo(state);
    }

    @Test
    void unknownStateOpcodeIsRejected() {
        byte[] bytes = FrameCodec.encode(Frame.State.clock(4, StateOpcode.CLOCK_VIRTUAL, 10));
        bytes[4] = 0x7F;

        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(FrameFormatException.class)
                .hasMessage("state opcode 0x7f is unknown in a STATE frame")
                .extracting(thrown -> ((FrameFormatException) thrown).code())
                .isEqualTo(ErrorCode.UNKNOWN_OPCODE);
    }

    @Test
    void clockStateWithWrongFieldIsRejected() {
        byte[] bytes = FrameCodec.encode(Frame.State.clock(4, StateOpcode.CLOCK_VIRTUAL, 10));
        bytes[WireLimits.HEADER_BYTES] = (byte) FieldType.U64.tag();

        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("expected U32");
    }

    @Test
    void stateFrameRejectsFlags() {
        byte[] bytes = FrameCodec.encode(Frame.State.clock(4, StateOpcode.CLOCK_VIRTUAL, 10));
        bytes[6] = 1;

        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("reserved bits");
    }

    @Test
    void decodeAllReadsNotificationsBeforeResponse() throws FrameFormatException {
        Frame notification = new Frame.Notification(1, 5, 0x1000, 0, 10, 2, 7, 41, new Field.Bytes(new byte[0]));
        Frame response = new Frame.Response(2, Opcode.MV_NO_OP, 0, List.of());
        byte[] first = FrameCodec.encode(notification);
        byte[] second = FrameCodec.encode(response);
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);

        assertThat(FrameCodec.decodeAll(both)).containsExactly(notification, response);
    }

    @Test
    void truncatedFrameIsRejected() {
        byte[] bytes = FrameCodec.encode(MICROSECONDS_REQUEST);

        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> FrameCodec.decode(truncated))
                    .as("frame cut to %d bytes", length)
                    .isInstanceOf(FrameFormatException.class);
        }
    }

    @Test
    void oversizedPayloadLengthIsTooLarge() {
        byte[] bytes = FrameCodec.encode(MICROSECONDS_REQUEST);
        writeU32(bytes, 12, 0x7FFF_FFFF);

        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("payload length 2147483647 is above the maximum 1048576")
                .extracting(thrown -> ((FrameFormatException) thrown).code())
                .isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void oversizedBytesLengthIsRejectedBeforeAllocation() {
        Frame frame = new Frame.Request(1, Opcode.MV_SERVER_LOG, true,
                List.of(Field.Pointer.at(0x100), new Field.U32(5), new Field.Bytes(new byte[5])));
        byte[] bytes = FrameCodec.encode(frame);
        // Payload: P (10 bytes), I (5 bytes), then the bytes tag and its u32 length.
        writeU32(bytes, WireLimits.HEADER_BYTES + 15 + 1, 0xFFFF_FFF0);

        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("bytes field length 4294967280 is above the maximum");
    }

    @Test
    void unknownOpcodeIsRejected() {
        byte[] bytes = FrameCodec.encode(MICROSECONDS_REQUEST);
        bytes[4] = 0x77;
        bytes[5] = 0x07;

        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(FrameFormatException.class)
                .hasMessage("opcode 0x777 is unknown in a REQUEST frame")
                .extracting(thrown -> ((FrameFormatException) thrown).code())
                .isEqualTo(ErrorCode.UNKNOWN_OPCODE);
    }

    @Test
    void wrongFieldTagIsRejected() {
        byte[] bytes = FrameCodec.encode(MICROSECONDS_REQUEST);
        bytes[WireLimits.HEADER_BYTES] = (byte) FieldType.U64.tag();

        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("expected POINTER");
    }

    @Test
    void noneOutsideResponseOutputsIsRejected() {
        byte[] bytes = FrameCodec.encode(MICROSECONDS_REQUEST);
        bytes[WireLimits.HEADER_BYTES] = (byte) FieldType.NONE.tag();

        assertThatThrownBy(() -> FrameCodec.decode(bytes)).isInstanceOf(FrameFormatException.class);
    }

    @Test
    void absentPointerWithAddressIsRejected() {
        byte[] bytes = FrameCodec.encode(MICROSECONDS_REQUEST);
        bytes[WireLimits.HEADER_BYTES + 1] = 0;

        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("absent pointer at payload offset 1 has address 0x20001000");
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = FrameCodec.encode(MICROSECONDS_REQUEST);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

        assertThatThrownBy(() -> FrameCodec.decode(longer))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("1 bytes follow the frame");
    }

    @Test
    void badMagicAndVersionAreRejected() {
        byte[] badMagic = FrameCodec.encode(MICROSECONDS_REQUEST);
        badMagic[0] = 'X';
        byte[] badVersion = FrameCodec.encode(MICROSECONDS_REQUEST);
        badVersion[2] = 9;

        assertThatThrownBy(() -> FrameCodec.decode(badMagic)).hasMessageContaining("expected magic 0x564d");
        assertThatThrownBy(() -> FrameCodec.decode(badVersion))
                .extracting(thrown -> ((FrameFormatException) thrown).code())
                .isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
    }

    @Test
    void listCountBeyondMaximumIsTooLarge() {
        List<Field> key = List.of(new Field.U32(0), new Field.U32(0), Field.Pointer.ABSENT, new Field.U32(0),
                new Field.Bytes(new byte[0]));
        Frame frame = new Frame.Request(1, Opcode.MV_SEND_CONFIG_FETCH_REQUEST, true, List.of(new Field.U64(1),
                Field.Pointer.at(8), new Field.U32(1), Field.Pointer.at(16), new Field.FieldList(List.of(key))));
        byte[] bytes = FrameCodec.encode(frame);
        // Payload: L (9 bytes), P (10), I (5), P (10), then the list tag and its u32 count.
        writeU32(bytes, WireLimits.HEADER_BYTES + 34 + 1, 100_000);

        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .hasMessage("list has 100000 elements, maximum is 256");
    }

    @Test
    void encodeRejectsFieldsThatBreakTheSchema() {
        Frame frame = new Frame.Request(1, Opcode.MV_GET_MICROSECONDS, true, List.of(new Field.U32(1)));

        assertThatThrownBy(() -> FrameCodec.encode(frame))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mvGetMicroseconds request field 0 is U32, schema needs POINTER");
    }

    @Test
    void bytesToStringHidesContent() {
        assertThat(new Field.Bytes("hunter2".getBytes()).toString()).isEqualTo("Bytes[length=7]");
    }

    private static void writeU32(byte[] bytes, int offset, int value) {
        for (int i = 0; i < 4; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
