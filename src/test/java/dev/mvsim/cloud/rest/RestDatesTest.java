package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.cloud.MutableClock;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.memory.InMemoryCloudStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Item dates come from the cloud's clock, to the second, and move on update. */
class RestDatesTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-04T05:06:07.890Z"));
    private final LocalCloud local = new LocalCloud(SimulatedCloud.open(new InMemoryCloudStore(), clock));

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void secretDateRotatedMovesOnUpdate() {
        local.post("/v1/Secrets", "Key", "k", "Value", "one");
        clock.advance(Duration.ofMinutes(5));

        LocalCloud.Reply updated = local.post("/v1/Secrets/k", "Value", "two");

        assertThat(updated.json().get("date_rotated").asText()).isEqualTo("2026-03-04T05:11:07Z");
        assertThat(local.get("/v1/Secrets/k").json().get("date_rotated").asText()).isEqualTo("2026-03-04T05:11:07Z");
    }

    @Test
    void configDateUpdatedMovesOnUpdate() {
        LocalCloud.Reply created = local.post("/v1/Configs", "Key", "k", "Value", "one");
        clock.advance(Duration.ofSeconds(1));

        LocalCloud.Reply updated = local.post("/v1/Configs/k", "Value", "two");

        assertThat(created.json().get("date_updated").asText()).isEqualTo("2026-03-04T05:06:07Z");
        assertThat(updated.json().get("date_updated").asText()).isEqualTo("2026-03-04T05:06:08Z");
    }

    @Test
    void deviceDatesFollowRename() {
        local.post("/mvsim/Devices", "UniqueName", "rig");
        clock.advance(Duration.ofHours(1));

        LocalCloud.Reply renamed = local.post("/v1/Devices/rig", "UniqueName", "rig-2");

        assertThat(renamed.json().get("date_created").asText()).isEqualTo("2026-03-04T05:06:07Z");
        assertThat(renamed.json().get("date_updated").asText()).isEqualTo("2026-03-04T06:06:07Z");
    }
}
