package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HelloMessageTest {

    private static final byte[] NONCE = new byte[HandshakeMessage.NONCE_BYTES];

    @Test
    void helloCarriesBootIdAndDeviceTime() throws Exception {
        HandshakeMessage.Hello sent = new HandshakeMessage.Hello(1, 1, ClockChoice.WALL, NONCE, "UV00000000000000000000000000000001",
                0xF00DFACE12345678L, 7_250_000L);

        HandshakeMessage.Hello decoded = (HandshakeMessage.Hello) HandshakeMessage.decode(sent.encode());

        assertThat(decoded.bootId()).isEqualTo(0xF00DFACE12345678L);
        assertThat(decoded.deviceTimeMicros()).isEqualTo(7_250_000L);
        assertThat(decoded.deviceSid()).isEqualTo("UV00000000000000000000000000000001");
        assertThat(decoded.clock()).isEqualTo(ClockChoice.WALL);
    }

    @Test
    void helloFieldsAreLittleEndianAfterSid() {
        byte[] bytes = new HandshakeMessage.Hello(1, 1, ClockChoice.VIRTUAL, NONCE, "UV1", 0x0102030405060708L, 0x11L).encode();

        int sidEnd = 7 + HandshakeMessage.NONCE_BYTES + 3;
        assertThat(bytes).hasSize(sidEnd + 16);
        assertThat(Arrays.copyOfRange(bytes, sidEnd, sidEnd + 8)).containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(Arrays.copyOfRange(bytes, sidEnd + 8, sidEnd + 16)).containsExactly(0x11, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void helloWithoutTimeFieldsDecodesAsZero() throws Exception {
        byte[] full = new HandshakeMessage.Hello(1, 1, ClockChoice.WALL, NONCE, "UV1", 99, 42).encode();
        byte[] older = Arrays.copyOf(full, full.length - HandshakeMessage.HELLO_TIME_FIELDS_BYTES);

        HandshakeMessage.Hello decoded = (HandshakeMessage.Hello) HandshakeMessage.decode(older);

        assertThat(decoded.bootId()).isZero();
        assertThat(decoded.deviceTimeMicros()).isZero();
    }

    @Test
    void helloWithPartialTimeFieldsIsMalformed() {
        byte[] full = new HandshakeMessage.Hello(1, 1, ClockChoice.WALL, NONCE, "UV1", 99, 42).encode();
        byte[] truncated = Arrays.copyOf(full, full.length - 8);

        assertThatThrownBy(() -> HandshakeMessage.decode(truncated))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("should be");
    }
}
