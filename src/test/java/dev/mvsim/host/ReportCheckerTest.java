package dev.mvsim.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.kernel.MvStatus;
import dev.mvsim.wire.Field;
import dev.mvsim.wire.Frame;
import dev.mvsim.wire.Opcode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Divergences: what a description of a wrong local answer shows, and what it never shows. */
class ReportCheckerTest {

    @RegisterExtension
    final SessionFixture fixture = new SessionFixture(1_000);

    @Test
    void descriptionShowsHandlesNotValueBytes() {
        // libmvhost claims an item of a channel the kernel never opened, with a value that could be a secret.
        byte[] value = "s3cr3t-value".getBytes(StandardCharsets.UTF_8);
        Frame.Report report = fixture.report(Opcode.MV_READ_CONFIG_RESPONSE_ITEM, List.of(new Field.U64(0x1234),
                Field.Pointer.at(0x4000), new Field.U32(0), Field.Pointer.at(0x4100), Field.Pointer.at(0x4200),
                new Field.U32(64), Field.Pointer.at(0x4300)), MvStatus.OKAY.code(),
                List.of(new Field.U32(0), new Field.Bytes(value), new Field.U32(value.length)));

        fixture.exchange(report);

        assertThat(fixture.session.divergenceDescriptions()).singleElement().asString()
                .contains("mvReadConfigResponseItem").contains("Bytes[length=12]").doesNotContain("s3cr3t");
    }
}
