package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RejectMessageTest {

    @Test
    void longReasonIsCutOnCharacterBoundary() throws Exception {
        String reason = "é".repeat(150);

        byte[] encoded = new HandshakeMessage.Reject(RejectReason.MALFORMED, reason).encode();
        HandshakeMessage.Reject decoded = (HandshakeMessage.Reject) HandshakeMessage.decode(encoded);

        assertThat(decoded.message().getBytes(StandardCharsets.UTF_8)).hasSize(HandshakeMessage.MAX_REASON_BYTES);
        assertThat(decoded.message()).isEqualTo("é".repeat(100));
    }

    @Test
    void invalidUtf8ReasonIsMalformed() {
        byte[] message = {'H', 'S', HandshakeMessage.TYPE_REJECT, (byte) RejectReason.MALFORMED.code(), 2,
                (byte) 0xC3, (byte) 0x28};

        assertThatThrownBy(() -> HandshakeMessage.decode(message))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("not valid UTF-8");
    }
}
