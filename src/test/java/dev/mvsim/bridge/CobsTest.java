package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CobsTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    private static byte[] encode(byte[] data) {
        return Cobs.encode(data, 0, data.length);
    }

    private static byte[] decode(byte[] data) throws Cobs.CobsException {
        return Cobs.decode(data, 0, data.length);
    }

    @Test
    void encodeReplacesZerosWithRunLengths() {
        assertThat(encode(hex(""))).isEqualTo(hex("01"));
        assertThat(encode(hex("00"))).isEqualTo(hex("0101"));
        assertThat(encode(hex("0000"))).isEqualTo(hex("010101"));
        assertThat(encode(hex("110022"))).isEqualTo(hex("02110222"));
        assertThat(encode(hex("11223344"))).isEqualTo(hex("0511223344"));
        assertThat(encode(hex("11000000"))).isEqualTo(hex("0211010101"));
    }

    @Test
    void longRunSplitsAfter254Bytes() throws Cobs.CobsException {
        byte[] data = new byte[600];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 255 + 1);
        }

        byte[] encoded = encode(data);

        assertThat(encoded).doesNotContain((byte) 0);
        assertThat(encoded.length).isLessThanOrEqualTo(Cobs.maxEncodedLength(data.length));
        assertThat(encoded[0] & 0xFF).isEqualTo(0xFF);
        assertThat(decode(encoded)).isEqualTo(data);
    }

    @Test
    void decodeRejectsZeroInside() {
        assertThatThrownBy(() -> decode(hex("021100")))
                .isInstanceOf(Cobs.CobsException.class)
                .hasMessageContaining("zero byte");
    }

    @Test
    void decodeRejectsRunPastEnd() {
        assertThatThrownBy(() -> decode(hex("0511")))
                .isInstanceOf(Cobs.CobsException.class)
                .hasMessageContaining("runs past the end");
    }
}
