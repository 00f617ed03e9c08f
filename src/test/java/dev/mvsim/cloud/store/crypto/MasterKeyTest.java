package dev.mvsim.cloud.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class MasterKeyTest {

    private static final String HEX =
            "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @Test
    void parseHex() {
        MasterKey key = MasterKey.parse(HEX, "test");

        assertThat(key.toHex()).isEqualTo(HEX);
    }

    @Test
    void parseUpperCaseHexWithNewline() {
        MasterKey key = MasterKey.parse(HEX.toUpperCase() + "\n", "test");

        assertThat(key.toHex()).isEqualTo(HEX);
    }

    @Test
    void parseBase64() {
        String base64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(HEX));

        assertThat(MasterKey.parse(base64, "test").toHex()).isEqualTo(HEX);
    }

    @Test
    void malformedTextNamesSourceAndForm() {
        String malformed = "not-a-key-but-a-password";

        assertThatThrownBy(() -> MasterKey.parse(malformed, "environment variable MVSIM_MASTER_KEY"))
                .isInstanceOf(InvalidMasterKeyException.class)
                .hasMessageContaining("environment variable MVSIM_MASTER_KEY")
                .hasMessageContaining("64 hex digits or base64 of 32 bytes")
                .hasMessageNotContaining(malformed);
    }

    @Test
    void shortHexRejected() {
        assertThatThrownBy(() -> MasterKey.parse(HEX.substring(2), "test"))
                .isInstanceOf(InvalidMasterKeyException.class);
    }

    @Test
    void base64OfWrongLengthRejected() {
        String base64 = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> MasterKey.parse(base64, "test"))
                .isInstanceOf(InvalidMasterKeyException.class);
    }

    @Test
    void toStringRedacted() {
        assertThat(MasterKey.parse(HEX, "test").toString())
                .doesNotContain("0011")
                .contains("redacted");
    }

    @Test
    void subkeyStablePerKeyAndPurpose() {
        byte[] keyBytes = new byte[MasterKey.LENGTH];
        Arrays.fill(keyBytes, (byte) 3);
        MasterKey key = MasterKey.of(keyBytes);
        byte[] otherBytes = keyBytes.clone();
        otherBytes[0] = 4;

        byte[] subkey = key.deriveSubkey("page-token");

        assertThat(subkey).hasSize(32);
        assertThat(MasterKey.of(keyBytes).deriveSubkey("page-token")).isEqualTo(subkey);
        assertThat(key.deriveSubkey("other-purpose")).isNotEqualTo(subkey);
        assertThat(MasterKey.of(otherBytes).deriveSubkey("page-token")).isNotEqualTo(subkey);
        assertThat(subkey).isNotEqualTo(keyBytes);
    }

    /** Stores created before BouncyCastle computed the subkey used the JDK's HmacSHA256. */
    @Test
    void subkeyMatchesJdkHmacSha256() throws Exception {
        byte[] keyBytes = HexFormat.of().parseHex(HEX);
        Mac jdkMac = Mac.getInstance("HmacSHA256");
        jdkMac.init(new SecretKeySpec(keyBytes, "HmacSHA256"));

        byte[] expected = jdkMac.doFinal("mvsim subkey\npage-token".getBytes(StandardCharsets.UTF_8));

        assertThat(MasterKey.of(keyBytes).deriveSubkey("page-token")).isEqualTo(expected);
    }

    @Test
    void sourceNamesOrigin() {
        assertThat(MasterKey.parse("a".repeat(64), "environment variable MVSIM_MASTER_KEY").source())
                .isEqualTo("environment variable MVSIM_MASTER_KEY");
        assertThat(MasterKey.of(new byte[MasterKey.LENGTH]).source()).isEqualTo("the key passed to the store");
    }
}
