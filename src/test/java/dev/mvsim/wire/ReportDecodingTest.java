package dev.mvsim.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** REPORT frames, whose two nested payloads the codec reads in place, and the equality of decoded fields. */
class ReportDecodingTest {

    /** Header, then the request half's tag and length: the request payload starts here. */
    private static final int REQUEST_HALF = WireLimits.HEADER_BYTES + 5;

    @ParameterizedTest
    @EnumSource(value = Opcode.class, names = "MV_.*", mode = EnumSource.Mode.MATCH_ALL)
    void reportRoundTrip(Opcode opcode) throws FrameFormatException {
        Frame.Report report = new Frame.Report(opcode.code(), opcode,
                SampleFields.forSchema(opcode.requestSchema(), 2), 0, SampleFields.forSchema(opcode.responseSchema(), 5));

        assertThat(FrameCodec.decode(FrameCodec.encode(report))).isEqualTo(report);
    }

    @Test
    void reportsDecodeAtTheirOffsets() throws FrameFormatException {
        byte[] first = FrameCodec.encode(closeChannelReport(1, 0x42));
        byte[] second = FrameCodec.encode(closeChannelReport(2, 0x43));
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);

        List<Frame> frames = FrameCodec.decodeAll(both);

        assertThat(frames).containsExactly(closeChannelReport(1, 0x42), closeChannelReport(2, 0x43));
    }

    @Test
    void trailingRequestByteIsRejected() {
        byte[] encoded = FrameCodec.encode(closeChannelReport(1, 0x42));
        int requestLength = readU32(encoded, REQUEST_HALF - 4);
        byte[] bytes = new byte[encoded.length + 1];
        int requestEnd = REQUEST_HALF + requestLength;
        System.arraycopy(encoded, 0, bytes, 0, requestEnd);
        System.arraycopy(encoded, requestEnd, bytes, requestEnd + 1, encoded.length - requestEnd);
        writeU32(bytes, REQUEST_HALF - 4, requestLength + 1);
        writeU32(bytes, 12, readU32(encoded, 12) + 1);

        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("1 unexpected bytes after the last field");
    }

    @Test
    void overlongReportHalfIsRejected() {
        byte[] bytes = FrameCodec.encode(closeChannelReport(1, 0x42));
        writeU32(bytes, REQUEST_HALF - 4, 4096);

        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("bytes field length 4096 is beyond the");
    }

    @Test
    void wrongNestedTagIsRejected() {
        byte[] bytes = FrameCodec.encode(closeChannelReport(1, 0x42));
        bytes[REQUEST_HALF] = (byte) FieldType.U32.tag();

        assertThatThrownBy(() -> FrameCodec.decode(bytes))
                .isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("field at payload offset 0 has tag 0x" + Integer.toHexString(FieldType.U32.tag())
                        + ", expected POINTER");
    }

    @Test
    void fieldsEqualByValue() {
        List<Field> fields = List.of(new Field.U64(-1L), new Field.U32(-7), Field.Pointer.at(0x2000_0000L),
                Field.None.INSTANCE);

        for (Field field : fields) {
            assertThat(field).isEqualTo(copyOf(field));
            assertThat(field.hashCode()).isEqualTo(copyOf(field).hashCode());
        }
        assertThat(new Field.U32(1)).isNotEqualTo(new Field.U32(2));
        assertThat(new Field.U64(1)).isNotEqualTo(new Field.U32(1));
        assertThat(Field.Pointer.at(8)).isNotEqualTo(Field.Pointer.ABSENT);
        assertThat(new Field.U64(3L << 32)).isNotEqualTo(new Field.U64(3));
    }

    private static Field copyOf(Field field) {
        if (field instanceof Field.U32 u32) {
            return new Field.U32(u32.value());
        }
        if (field instanceof Field.U64 u64) {
            return new Field.U64(u64.value());
        }
        if (field instanceof Field.Pointer pointer) {
            return new Field.Pointer(pointer.present(), pointer.address());
        }
        return new Field.None();
    }

    private static Frame.Report closeChannelReport(int sequence, long handle) {
        return new Frame.Report(sequence, Opcode.MV_CLOSE_CHANNEL,
                List.of(Field.Pointer.at(0x2000_1000L), new Field.U64(handle)), 0, List.of(new Field.U64(0)));
    }

    private static int readU32(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8 | (bytes[offset + 2] & 0xFF) << 16
                | (bytes[offset + 3] & 0xFF) << 24;
    }

    private static void writeU32(byte[] bytes, int offset, int value) {
        for (int i = 0; i < 4; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
