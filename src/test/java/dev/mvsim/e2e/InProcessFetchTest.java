package dev.mvsim.e2e;

import static dev.mvsim.e2e.InProcessRig.SCOPE_ACCOUNT;
import static dev.mvsim.e2e.InProcessRig.SCOPE_DEVICE;
import static dev.mvsim.e2e.InProcessRig.STORE_CONFIG;
import static dev.mvsim.e2e.InProcessRig.STORE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Pointer;
import dev.mvsim.jna.ConfigFetchExample;
import dev.mvsim.jna.InProcessHost.InterruptMode;
import dev.mvsim.kernel.MvClosureReason;
import dev.mvsim.kernel.MvConfigFetchResult;
import dev.mvsim.kernel.MvConfigKeyFetchResult;
import dev.mvsim.kernel.MvEventType;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.link.FaultPlan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The C example firmware, run in this JVM through libmvhost, against a cloud filled over HTTP. */
@Timeout(60)
class InProcessFetchTest {

    private static final String SECRET = "weather-api-key-7f3a9c";

    @ParameterizedTest
    @EnumSource(InterruptMode.class)
    void secretFetchedByFirmwareEqualsStored(InterruptMode mode) {
        try (InProcessRig rig = new InProcessRig(mode)) {
            rig.post("/v1/Secrets", "weather-key", SECRET);
            rig.post("/v1/Devices/" + rig.device.sid() + "/Configs", "mode", "{\"units\":\"metric\"}");

            ConfigFetchExample.config_fetch_result result = rig.run(InProcessRig.keys(
                    SCOPE_ACCOUNT, STORE_SECRET, "weather-key",
                    SCOPE_DEVICE, STORE_CONFIG, "mode"), null);

            assertThat(result.outcome).isEqualTo(ConfigFetchExample.CONFIG_FETCH_OK);
            assertThat(result.item_count).isEqualTo(2);
            assertThat(result.items[0].read_status).isEqualTo(MvStatus.OKAY.code());
            assertThat(result.items[0].result).isEqualTo(MvConfigKeyFetchResult.OK.code());
            assertThat(result.items[0].valueBytes()).isEqualTo(SECRET.getBytes(StandardCharsets.UTF_8));
            assertThat(result.items[1].valueText()).isEqualTo("{\"units\":\"metric\"}");
        }
    }

    @Test
    void missingKeyIsKeyNotFound() {
        try (InProcessRig rig = new InProcessRig(InterruptMode.SYNCHRONOUS)) {
            rig.post("/v1/Configs", "present", "yes");

            ConfigFetchExample.config_fetch_result result = rig.run(InProcessRig.keys(
                    SCOPE_ACCOUNT, STORE_CONFIG, "present",
                    SCOPE_ACCOUNT, STORE_SECRET, "absent"), null);

            assertThat(result.outcome).isEqualTo(ConfigFetchExample.CONFIG_FETCH_OK);
            assertThat(result.items[0].result).isEqualTo(MvConfigKeyFetchResult.OK.code());
            assertThat(result.items[1].read_status).isEqualTo(MvStatus.OKAY.code());
            assertThat(result.items[1].result).isEqualTo(MvConfigKeyFetchResult.KEYNOTFOUND.code());
            assertThat(result.items[1].length).isZero();
        }
    }

    @Test
    void valueLongerThanItemBufferIsRejected() {
        try (InProcessRig rig = new InProcessRig(InterruptMode.SYNCHRONOUS)) {
            String longValue = "x".repeat(ConfigFetchExample.CONFIG_FETCH_VALUE_CAPACITY + 44);
            rig.post("/v1/Configs", "long", longValue);

            ConfigFetchExample.config_fetch_result result = rig.run(InProcessRig.keys(
                    SCOPE_ACCOUNT, STORE_CONFIG, "long"), null);

            assertThat(result.outcome).isEqualTo(ConfigFetchExample.CONFIG_FETCH_OK);
            assertThat(result.items[0].read_status).isEqualTo(MvStatus.INVALIDBUFFERSIZE.code());
            assertThat(result.items[0].length).isEqualTo(longValue.length());
            assertThat(result.items[0].valueBytes()).isEmpty();
        }
    }

    @Test
    void responseLargerThanReceiveBufferIsTooLarge() {
        try (InProcessRig rig = new InProcessRig(InterruptMode.SYNCHRONOUS)) {
            // The example's receive buffer is 2560 bytes; one 4000-byte value cannot fit.
            rig.post("/v1/Configs", "ca-chain", "a".repeat(4000));

            ConfigFetchExample.config_fetch_result result = rig.run(InProcessRig.keys(
                    SCOPE_ACCOUNT, STORE_CONFIG, "ca-chain"), null);

            assertThat(result.outcome).isEqualTo(ConfigFetchExample.CONFIG_FETCH_RESPONSE_NOT_OK);
            assertThat(result.fetch_result).isEqualTo(MvConfigFetchResult.RESPONSETOOLARGE.code());
        }
    }

    @Test
    void networkDropMidFetchClosesChannel() {
        // Connected at 200 ms, request sent soon after, response due 1 s later: the drop at 600 ms falls between.
        FaultPlan plan = FaultPlan.builder().latency(Duration.ofSeconds(1)).connectDelay(Duration.ofMillis(200))
                .dropConnectionAt(Duration.ofMillis(600)).build();
        try (InProcessRig rig = new InProcessRig(InterruptMode.SYNCHRONOUS, plan)) {
            rig.post("/v1/Secrets", "weather-key", SECRET);

            ConfigFetchExample.config_fetch_result result = rig.run(InProcessRig.keys(
                    SCOPE_ACCOUNT, STORE_SECRET, "weather-key"), null);

            assertThat(result.outcome).isEqualTo(ConfigFetchExample.CONFIG_FETCH_CHANNEL_DISCONNECTED);
            assertThat(result.closure_reason).isEqualTo(MvClosureReason.NETWORKDISCONNECTED.code());
        }
    }

    @Test
    void disabledIrqLeavesRecordsInRing() {
        try (InProcessRig rig = new InProcessRig(InterruptMode.SYNCHRONOUS)) {
            ConfigFetchExample.config_fetch_options options = new ConfigFetchExample.config_fetch_options();
            options.leave_irq_disabled = 1;

            ConfigFetchExample.config_fetch_result result = rig.run(InProcessRig.keys(
                    SCOPE_ACCOUNT, STORE_SECRET, "weather-key"), options);

            assertThat(result.outcome).isNotEqualTo(ConfigFetchExample.CONFIG_FETCH_OK);
            int[] recordCount = new int[1];
            Pointer ring = InProcessRig.FIRMWARE.config_fetch_notification_ring(recordCount);
            ConfigFetchExample.MvNotification first = new ConfigFetchExample.MvNotification(ring);
            // The handler zeroes each record it handles, so a record still set proves it never ran.
            assertThat(first.event_type).isEqualTo(MvEventType.NETWORKSTATUSCHANGED.code());
            assertThat(rig.host.stats().notifications_written).isPositive();
        }
    }
}
