package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.InMemoryItemDirectory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The log line of a device that connects with a new boot while another boot's connection is live. */
class SharedSidWarningTest {

    private static final String DEVICE = BridgeFixture.DEVICE_A;

    private final KernelSessions sessions = new KernelSessions(new InMemoryItemDirectory(), ClockChoice.VIRTUAL,
            FaultPlan.none());
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @AfterEach
    void stop() {
        sessions.close();
    }

    private List<String> logLines() {
        return log.linesContaining(DEVICE);
    }

    @Test
    void liveSocketBootIsWarned() {
        sessions.open(new SessionRequest(DEVICE, ClockChoice.SERVER_DEFAULT, 0x11, 0));
        sessions.open(new SessionRequest(DEVICE, ClockChoice.SERVER_DEFAULT, 0x22, 0));

        assertThat(logLines()).singleElement().asString()
                .contains(" WARN ")
                .contains("boot id 22 while a connection with boot id 11 is live")
                .contains("two firmware processes share this device");
    }

    @Test
    void liveSerialBootIsNoWarning() {
        sessions.open(new SessionRequest(DEVICE, ClockChoice.SERVER_DEFAULT, 0x11, 0, true));
        sessions.open(new SessionRequest(DEVICE, ClockChoice.SERVER_DEFAULT, 0x22, 0));

        assertThat(logLines()).singleElement().asString()
                .contains(" INFO ")
                .contains("boot id 22 while its serial line still counts boot id 11 as live")
                .doesNotContain("share this device");
    }
}
