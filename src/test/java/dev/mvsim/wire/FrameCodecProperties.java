package dev.mvsim.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class FrameCodecProperties {

    @Property(tries = 1000)
    void randomBytesFailOnlyWithFormatException(@ForAll @Size(max = 200) byte[] bytes) {
        try {
            FrameCodec.decodeAll(bytes);
        } catch (FrameFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 1000)
    void corruptedValidFrameFailsOnlyWithFormatException(@ForAll int position, @ForAll byte value) {
        Frame frame = new Frame.Request(5, Opcode.MV_SEND_CONFIG_FETCH_REQUEST, true,
                SampleFields.forSchema(Opcode.MV_SEND_CONFIG_FETCH_REQUEST.requestSchema(), 2));
        byte[] bytes = FrameCodec.encode(frame);
        bytes[Math.floorMod(position, bytes.length)] = value;

        try {
            Frame decoded = FrameCodec.decode(bytes);
            assertThat(FrameCodec.encode(decoded)).isEqualTo(bytes);
        } catch (FrameFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 1000)
    void randomPayloadBehindValidHeaderFailsOnlyWithFormatException(
            @ForAll Opcode opcode, @ForAll @IntRange(min = 1, max = 6) int kind, @ForAll @Size(max = 120) byte[] payload) {
        byte[] bytes = new byte[WireLimits.HEADER_BYTES + payload.length];
        bytes[0] = 'M';
        bytes[1] = 'V';
        bytes[2] = WireLimits.VERSION;
        bytes[3] = (byte) kind;
        bytes[4] = (byte) opcode.code();
        bytes[5] = (byte) (opcode.code() >>> 8);
        bytes[12] = (byte) payload.length;
        System.arraycopy(payload, 0, bytes, WireLimits.HEADER_BYTES, payload.length);

        try {
            Frame decoded = FrameCodec.decode(bytes);
            assertThat(FrameCodec.encode(decoded)).isEqualTo(bytes);
        } catch (FrameFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 500)
    void deviceIdResponseRoundTrip(@ForAll int sequence, @ForAll int status, @ForAll @Size(max = 64) byte[] id)
            throws FrameFormatException {
        Frame frame = new Frame.Response(sequence, Opcode.MV_GET_DEVICE_ID, status, List.of(new Field.Bytes(id)));

        assertThat(FrameCodec.decode(FrameCodec.encode(frame))).isEqualTo(frame);
    }
}
