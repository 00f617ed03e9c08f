package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening serial lines: the lock that keeps a second server off a line in use. */
class SerialLinesTest {

    @TempDir
    Path directory;

    @Test
    void lockedLineRejectsSecondOpen() throws Exception {
        assumeThat(PtyPair.socatInstalled()).as("socat installed").isTrue();
        try (PtyPair line = new PtyPair(directory, "line")) {
            PacketLink first = SerialLines.open(line.first);

            assertThatThrownBy(() -> SerialLines.open(line.first))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("the serial line " + line.first + " is in use by another mvsim serve")
                    .hasMessageContaining("stop that serve, or give this one another line");

            first.close();
            PacketLink again = SerialLines.open(line.first);
            assertThat(again).as("the line opens again once its holder closed it").isNotNull();
            again.close();
        }
    }
}
