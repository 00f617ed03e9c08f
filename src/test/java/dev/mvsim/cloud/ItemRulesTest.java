package dev.mvsim.cloud;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ItemRulesTest {

    @Test
    void keyOfEveryAllowedCharacterPasses() {
        StringBuilder all = new StringBuilder();
        for (char c = 0x21; c <= 0x7E; c++) {
            if (c != '/') {
                all.append(c);
            }
        }

        assertThatCode(() -> ItemRules.checkKey("Key", all.substring(0, 93))).doesNotThrowAnyException();
    }

    @Test
    void keyLengthLimitIs100() {
        assertThatCode(() -> ItemRules.checkKey("Key", "k".repeat(100))).doesNotThrowAnyException();
        assertThatThrownBy(() -> ItemRules.checkKey("Key", "k".repeat(101)))
                .isInstanceOf(CloudException.InvalidParameter.class)
                .hasMessage("Key is 101 characters long; the maximum is 100");
    }

    @Test
    void nullKeyIsMissing() {
        assertThatThrownBy(() -> ItemRules.checkKey("Key", null))
                .hasMessage("Missing required parameter Key in the post body");
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "/", "\u0000", "\n", "\u007F", "\u00A0", "é", "\uD83D\uDE80"})
    void keyWithCharacterOutsideRuleFails(String bad) {
        assertThatThrownBy(() -> ItemRules.checkKey("Key", "ab" + bad))
                .isInstanceOf(CloudException.InvalidParameter.class)
                .hasMessageStartingWith("Key contains ")
                .hasMessageContaining(" at index 2;");
    }

    @Test
    void controlCharacterIsNamedByCode() {
        assertThatThrownBy(() -> ItemRules.checkKey("Key", "a\u0001"))
                .hasMessageStartingWith("Key contains the control character U+0001 at index 1");
    }

    @Test
    void valueCountsCodePointsNotChars() {
        String astral = "\uD83D\uDE80";

        assertThatCode(() -> ItemRules.checkValue("Value", astral.repeat(4096))).doesNotThrowAnyException();
        assertThatThrownBy(() -> ItemRules.checkValue("Value", astral.repeat(4097)))
                .hasMessage("Value is 4097 characters (Unicode code points) long; the maximum is 4096");
    }

    @Test
    void emptyValueFails() {
        assertThatThrownBy(() -> ItemRules.checkValue("Value", ""))
                .hasMessage("Value is empty; it must be 1 to 4096 characters");
    }

    @Test
    void unpairedSurrogateInValueFails() {
        assertThatThrownBy(() -> ItemRules.checkValue("Value", "ab\uD800c"))
                .hasMessageContaining("unpaired UTF-16 surrogate at index 2");
    }

    @Test
    void uniqueNameShapedLikeSidFails() {
        assertThatThrownBy(() -> ItemRules.checkUniqueName("UniqueName", "UV" + "0".repeat(32)))
                .hasMessageContaining("must not have the shape of a device SID");
        assertThatCode(() -> ItemRules.checkUniqueName("UniqueName", "UV-rig")).doesNotThrowAnyException();
    }
}
