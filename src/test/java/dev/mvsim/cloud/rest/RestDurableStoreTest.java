package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over the SQLite store: requests run on worker threads and survive a reopen. */
class RestDurableStoreTest {

    @TempDir
    Path dataDirectory;

    @Test
    void secretSurvivesReopen() {
        AccountRecord account;
        try (LocalCloud first = new LocalCloud(SimulatedCloud.open(dataDirectory))) {
            account = first.account;
            assertThat(first.cloud.storeBlocks()).isTrue();
            assertThat(first.post("/v1/Secrets", "Key", "k", "Value", "durable-value").status()).isEqualTo(201);
            assertThat(first.post("/v1/Configs", "Key", "c", "Value", "v").status()).isEqualTo(201);
            assertThat(first.post("/v1/Configs", "Key", "c", "Value", "v").status()).isEqualTo(409);
        }

        try (SimulatedCloud reopened = SimulatedCloud.open(dataDirectory)) {
            var server = reopened.startRest(new InetSocketAddress("127.0.0.1", 0), null);
            LocalCloud.Reply fetched = LocalCloud.getAs(server, account, "/v1/Secrets/k");
            LocalCloud.Reply listed = LocalCloud.getAs(server, account, "/v1/Configs");

            assertThat(fetched.status()).isEqualTo(200);
            assertThat(fetched.body()).doesNotContain("durable-value");
            assertThat(listed.json().get("configs")).hasSize(1);
        }
    }
}
