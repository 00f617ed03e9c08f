package dev.mvsim.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The C tests check libmvhost's requests against a copy of the schema table; it must equal this one. */
class NativeSchemaTableTest {

    private static final Path C_TABLE = Path.of("native", "tests", "support", "schemas.h");
    private static final Pattern ROW = Pattern.compile("\\{(0x[0-9A-Fa-f]+), \"(\\w+)\", \"([^\"]*)\", \"([^\"]*)\"\\}");

    @Test
    void cTableMatchesOpcodeEnum() throws IOException {
        Map<Integer, String> cRows = new LinkedHashMap<>();
        Matcher matcher = ROW.matcher(Files.readString(C_TABLE, StandardCharsets.UTF_8));
        while (matcher.find()) {
            int code = Integer.decode(matcher.group(1));
            cRows.put(code, matcher.group(2) + " " + matcher.group(3) + " " + matcher.group(4));
        }

        assertThat(cRows).hasSize(Opcode.values().length);
        for (Opcode opcode : Opcode.values()) {
            assertThat(cRows.get(opcode.code()))
                    .as(opcode.cName())
                    .isEqualTo(opcode.cName() + " " + opcode.requestSchema() + " " + opcode.responseSchema());
        }
    }
}
