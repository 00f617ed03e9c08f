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
    void helloWithoutTimeFieldsIsMalformed() {
        byte[] full = new HandshakeMessage.Hello(1, 1, ClockChoice.WALL, NONCE, "UV1", 99, 42).encode();
        byte[] older = Arrays.copyOf(full, full.length - HandshakeMessage.HELLO_TIME_FIELDS_BYTES);

        assertThatThrownBy(() -> HandshakeMessage.decode(older))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("should be");
    }

    @Test
    void macCoversBootIdAndDeviceTime() {
        byte[] key = new byte[32];
        byte[] serverNonce = new byte[HandshakeMessage.NONCE_BYTES];
        HandshakeMessage.Hello sent = new HandshakeMessage.Hello(1, 1, ClockChoice.WALL, NONCE, "UV1", 99, 42);

        byte[] mac = HandshakeMac.device(key, 1, sent, serverNonce);

        assertThat(HandshakeMac.device(key, 1, new HandshakeMessage.Hello(1, 1, ClockChoice.WALL, NONCE, "UV1", 98, 42),
                serverNonce)).isNotEqualTo(mac);
        assertThat(HandshakeMac.device(key, 1, new HandshakeMessage.Hello(1, 1, ClockChoice.WALL, NONCE, "UV1", 99, 43),
                serverNonce)).isNotEqualTo(mac);
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
