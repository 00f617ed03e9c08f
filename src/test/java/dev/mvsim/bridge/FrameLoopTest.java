package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.wire.ErrorCode;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.FrameCodec;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(20)
class FrameLoopTest {

    @RegisterExtension
    final BridgeFixture fixture = new BridgeFixture();
    private BridgeClient client;

    @BeforeEach
    void connect() throws Exception {
        client = fixture.connectA();
    }

    @AfterEach
    void disconnect() throws Exception {
        client.close();
    }

    private static long microseconds(byte[] reply) throws Exception {
        Frame.Response response = (Frame.Response) FrameCodec.decode(reply);
        return ((Field.U64) response.outputs().get(0)).value();
    }

    @Test
    void repeatedRequestGetsStoredReply() throws Exception {
        byte[] request = CountingSession.microsecondsRequest(41);

        byte[] first = client.exchange(request);
        byte[] retry = client.exchange(request);
        byte[] next = client.exchange(CountingSession.microsecondsRequest(42));

        assertThat(retry).isEqualTo(first);
        assertThat(microseconds(first)).isEqualTo(1);
        assertThat(microseconds(next)).isEqualTo(2);
        assertThat(fixture.sessions.get(BridgeFixture.DEVICE_A).calls).hasValue(2);
        assertThat(fixture.server.stats().retransmittedReplies()).isEqualTo(1);
    }

    @Test
    void truncatedFrameGetsMalformedError() throws Exception {
        byte[] request = CountingSession.microsecondsRequest(5);

        Frame reply = FrameCodec.decode(client.exchange(Arrays.copyOf(request, request.length - 3)));

        assertThat(reply).isInstanceOf(Frame.Error.class);
        assertThat(((Frame.Error) reply).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(reply.sequence()).isEqualTo(5);
        assertThat(fixture.sessions.get(BridgeFixture.DEVICE_A).calls).hasValue(0);
    }

    @Test
    void oversizedLengthGetsTooLargeError() throws Exception {
        byte[] request = CountingSession.microsecondsRequest(6);
        request[12] = (byte) 0xFF;
        request[13] = (byte) 0xFF;
        request[14] = (byte) 0xFF;
        request[15] = (byte) 0x7F;

        Frame.Error reply = (Frame.Error) FrameCodec.decode(client.exchange(request));

        assertThat(reply.code()).isEqualTo(ErrorCode.TOO_LARGE);
    }

    @Test
    void unknownOpcodeGetsUnknownOpcodeError() throws Exception {
        byte[] request = CountingSession.microsecondsRequest(7);
        request[4] = (byte) 0x77;
        request[5] = (byte) 0x07;

        Frame.Error reply = (Frame.Error) FrameCodec.decode(client.exchange(request));

        assertThat(reply.code()).isEqualTo(ErrorCode.UNKNOWN_OPCODE);
        assertThat(reply.opcodeCode()).isEqualTo(0x0777);
    }

    @Test
    void responseFromDeviceIsRejected() throws Exception {
        byte[] response = FrameCodec.encode(new Frame.Response(8, dev.mvsim.wire.Opcode.MV_NO_OP, 0, java.util.List.of()));

        Frame.Error reply = (Frame.Error) FrameCodec.decode(client.exchange(response));

        assertThat(reply.message()).contains("REQUEST, CONTROL and REPORT frames only");
    }

    @Test
    void newHelloOnSameConnectionStartsNewSession() throws Exception {
        // Version 2 carries frames only after WELCOME, so a new handshake on one connection takes version 1.
        client.close();
        client = BridgeClient.open(fixture.address());
        client.authenticate(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A, ClockChoice.VIRTUAL, 0, 0, 1);
        client.exchange(CountingSession.microsecondsRequest(1));
        CountingSession first = fixture.sessions.get(BridgeFixture.DEVICE_A);

        client.authenticate(BridgeFixture.DEVICE_A, BridgeFixture.KEY_A, ClockChoice.WALL, 0, 0, 1);
        client.exchange(CountingSession.microsecondsRequest(1));

        assertThat(first.closed).isTrue();
        assertThat(fixture.sessions.get(BridgeFixture.DEVICE_A)).isNotSameAs(first);
        assertThat(fixture.sessions.get(BridgeFixture.DEVICE_A).clock).isEqualTo(ClockChoice.WALL);
    }
}
