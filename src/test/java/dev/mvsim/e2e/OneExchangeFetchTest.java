package dev.mvsim.e2e;

import static dev.mvsim.e2e.InProcessRig.SCOPE_ACCOUNT;
import static dev.mvsim.e2e.InProcessRig.STORE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.jna.ConfigFetchExample;
import dev.mvsim.jna.InProcessHost.InterruptMode;
import dev.mvsim.jna.LibMvHost;
import dev.mvsim.link.FaultPlan;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example firmware's fetch after the first, on a link with no delay: libmvhost answers every
 * call but {@code mvSendConfigFetchRequest} from the kernel's states, so the fetch makes one
 * exchange. The kernel checks every local answer, and the test fails on any divergence.
 */
@Timeout(60)
class OneExchangeFetchTest {

    @Test
    void secondFetchMakesOneExchange() {
        FaultPlan instant = FaultPlan.builder().connectDelay(Duration.ZERO).latency(Duration.ZERO).build();
        try (InProcessRig rig = new InProcessRig(InterruptMode.SYNCHRONOUS, instant)) {
            rig.post("/v1/Secrets", "api-key", "s3cr3t-value");
            ConfigFetchExample.config_fetch_key[] keys = InProcessRig.keys(SCOPE_ACCOUNT, STORE_SECRET, "api-key");
            assertThat(rig.run(keys, null).outcome).as("first fetch").isEqualTo(ConfigFetchExample.CONFIG_FETCH_OK);
            LibMvHost.mvhost_stats before = rig.host.stats();

            ConfigFetchExample.config_fetch_result second = rig.run(keys, null);

            LibMvHost.mvhost_stats after = rig.host.stats();
            assertThat(second.outcome).isEqualTo(ConfigFetchExample.CONFIG_FETCH_OK);
            assertThat(after.syscalls - before.syscalls).as("syscalls").isEqualTo(10);
            assertThat(after.local_answers - before.local_answers).as("syscalls answered locally").isEqualTo(9);
            assertThat(after.control_calls - before.control_calls).as("harness calls").isZero();
            // The binding flushes the teardown's REPORTs when config_fetch_run returns, which is the second exchange.
            assertThat(after.exchanges - before.exchanges).as("exchanges with the flush").isEqualTo(2);
            rig.host.flush();
            assertThat(rig.host.divergences()).isZero();
        }
    }
}
