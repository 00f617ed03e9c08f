package dev.mvsim.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyscallTest {

    @ParameterizedTest
    @EnumSource(value = Opcode.class, mode = EnumSource.Mode.EXCLUDE,
            names = {"HARNESS_NOW", "HARNESS_SLEEP", "HARNESS_POLL", "HARNESS_WAIT", "BRIDGE_RESUME", "BRIDGE_RESTORE"})
    void viewGivesBackSameFields(Opcode opcode) {
        List<Field> fields = SampleFields.forSchema(opcode.requestSchema(), opcode.code());
        Frame.Request request = new Frame.Request(4, opcode, true, fields);

        Syscall view = Syscall.of(request);

        assertThat(view.opcode()).isEqualTo(opcode);
        assertThat(view.toFields()).isEqualTo(fields);
        assertThat(view.toRequest(4)).isEqualTo(request);
    }

    @Test
    void inScopeCallsGetTypedViews() {
        Syscall microseconds = Syscall.of(request(Opcode.MV_GET_MICROSECONDS));
        Syscall close = Syscall.of(request(Opcode.MV_CLOSE_CHANNEL));
        Syscall mqtt = Syscall.of(request(Opcode.MV_MQTT_REQUEST_CONNECT));

        assertThat(microseconds).isInstanceOf(Syscall.GetMicroseconds.class);
        assertThat(close).isInstanceOf(Syscall.CloseHandle.class);
        assertThat(mqtt).isInstanceOf(Syscall.Other.class);
    }

    @Test
    void goldenConfigFetchReadsAsKeys() throws Exception {
        Frame.Request request = (Frame.Request) FrameCodec.decode(GoldenFramesTest.load().get("send_config_fetch_request"));

        Syscall.SendConfigFetchRequest fetch = (Syscall.SendConfigFetchRequest) Syscall.of(request);

        assertThat(fetch.channelHandle()).isEqualTo(0x1234abcdL);
        assertThat(fetch.declaredCount()).isEqualTo(2);
        assertThat(fetch.keys()).hasSize(2);
        assertThat(fetch.keys().get(0).scope()).isZero();
        assertThat(fetch.keys().get(0).store()).isZero();
        assertThat(fetch.keys().get(0).key().bytes().value()).isEqualTo("api-key".getBytes(StandardCharsets.US_ASCII));
        assertThat(fetch.keys().get(1).scope()).isEqualTo(1);
        assertThat(fetch.keys().get(1).key().length()).isEqualTo(5);
    }

    @Test
    void goldenOpenChannelReadsBuffers() throws Exception {
        Frame.Request request = (Frame.Request) FrameCodec.decode(GoldenFramesTest.load().get("open_channel_request"));

        Syscall.OpenChannel open = (Syscall.OpenChannel) Syscall.of(request);

        assertThat(open.version()).isEqualTo(1);
        assertThat(open.notificationHandle()).isEqualTo(0x5a17c0deL);
        assertThat(open.networkHandle()).isEqualTo(0x0badf00dL);
        assertThat(open.receiveBuffer()).isEqualTo(new Syscall.Buffer(Field.Pointer.at(0x20002000L), 2560));
        assertThat(open.sendBuffer()).isEqualTo(new Syscall.Buffer(Field.Pointer.at(0x20002a00L), 512));
        assertThat(open.channelType()).isEqualTo(3);
        assertThat(open.endpoint().data().present()).isFalse();
        assertThat(open.handleOut().address()).isEqualTo(0x20000480L);
    }

    @Test
    void responseHelpersFollowRequest() throws FrameFormatException {
        Frame.Request request = request(Opcode.MV_READ_CONFIG_RESPONSE_ITEM);

        Frame.Response fault = Frame.Response.withoutOutputs(request, 2);
        Frame.Response item = Frame.Response.to(request, 0, new Field.U32(0), new Field.Bytes(new byte[3]), new Field.U32(3));

        assertThat(fault.outputs()).containsExactly(Field.None.INSTANCE, Field.None.INSTANCE, Field.None.INSTANCE);
        assertThat(fault.sequence()).isEqualTo(request.sequence());
        assertThat(FrameCodec.decode(FrameCodec.encode(fault))).isEqualTo(fault);
        assertThat(FrameCodec.decode(FrameCodec.encode(item))).isEqualTo(item);
    }

    private static Frame.Request request(Opcode opcode) {
        return new Frame.Request(1, opcode, true, SampleFields.forSchema(opcode.requestSchema(), 1));
    }
}
