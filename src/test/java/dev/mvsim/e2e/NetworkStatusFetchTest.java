package dev.mvsim.e2e;

import static dev.mvsim.e2e.InProcessRig.SCOPE_ACCOUNT;
import static dev.mvsim.e2e.InProcessRig.STORE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.jna.ConfigFetchExample;
import dev.mvsim.jna.InProcessHost.InterruptMode;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.TraceEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example firmware's fetch with the default link timing, where the network connects only
 * after the firmware has polled its status a few times. libmvhost answers those polls itself
 * (NetworkStatusLocalTest proves when), and closing the rig fails if any answer differs from the
 * kernel's.
 */
@Timeout(60)
class NetworkStatusFetchTest {

    @Test
    void defaultTimingFetchHasNoDivergence() {
        try (InProcessRig rig = new InProcessRig(InterruptMode.SYNCHRONOUS)) {
            rig.post("/v1/Secrets", "api-key", "s3cr3t-value");

            ConfigFetchExample.config_fetch_result result = rig.run(InProcessRig.keys(
                    SCOPE_ACCOUNT, STORE_SECRET, "api-key"), null);

            assertThat(result.outcome).isEqualTo(ConfigFetchExample.CONFIG_FETCH_OK);
            long statusCalls = rig.host.kernel().trace().stream()
                    .filter(entry -> entry.call().equals("mvGetNetworkStatus"))
                    .map(TraceEntry::status)
                    .filter(MvStatus.OKAY::equals)
                    .count();
            assertThat(statusCalls).as("status polls that returned OKAY").isGreaterThan(1);
            assertThat(rig.host.divergences()).isZero();
        }
    }
}
