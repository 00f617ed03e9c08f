package dev.mvsim.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class SidsTest {

    @Test
    void normaliseKeepsLowercaseSid() {
        String sid = "UV0123456789abcdef0123456789abcdef";

        assertThat(Sids.normalise(sid)).isSameAs(sid);
    }

    @Test
    void normaliseLowercasesHexDigits() {
        assertThat(Sids.normalise("UV0123456789ABCDEF0123456789abcdef"))
                .isEqualTo("UV0123456789abcdef0123456789abcdef");
        assertThat(Sids.normalise("ACABCDEF")).isEqualTo("ACabcdef");
    }

    @Test
    void normaliseMatchesToLowerCaseOnAnyText() {
        String[] samples = {"UVx", "UV", "UVÄbc", "UV\u0130x", "UV\uD801\uDC00z", "uvABC", "UV-Z_a"};

        for (String sample : samples) {
            String expected = sample.substring(0, 2) + sample.substring(2).toLowerCase(Locale.ROOT);
            assertThat(Sids.normalise(sample)).as("normalised %s", sample).isEqualTo(expected);
        }
    }
}
