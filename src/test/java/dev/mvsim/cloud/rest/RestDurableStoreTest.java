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

    @Test
    void pageTokenSurvivesRestart() {
        AccountRecord account;
        String nextQuery;
        try (LocalCloud first = new LocalCloud(SimulatedCloud.open(dataDirectory))) {
            account = first.account;
            for (String key : new String[] {"a", "b", "c"}) {
                first.post("/v1/Configs", "Key", key, "Value", "v");
            }
            String next = first.get("/v1/Configs?PageSize=1").json().get("meta").get("next_page_url").asText();
            nextQuery = next.substring(next.indexOf('?'));
        }

        try (SimulatedCloud reopened = SimulatedCloud.open(dataDirectory)) {
            var server = reopened.startRest(new InetSocketAddress("127.0.0.1", 0), null);
            LocalCloud.Reply page = LocalCloud.getAs(server, account, "/v1/Configs" + nextQuery);

            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(page.json().get("configs").findValuesAsText("key")).containsExactly("b");
            assertThat(page.json().get("meta").get("page").asInt()).isEqualTo(1);
        }
    }

    @Test
    void tokenOfOtherDataDirectoryIs400(@TempDir Path otherDirectory) {
        AccountRecord account;
        String nextQuery;
        try (LocalCloud first = new LocalCloud(SimulatedCloud.open(dataDirectory))) {
            account = first.account;
            first.post("/v1/Configs", "Key", "a", "Value", "v");
            first.post("/v1/Configs", "Key", "b", "Value", "v");
            String next = first.get("/v1/Configs?PageSize=1").json().get("meta").get("next_page_url").asText();
            nextQuery = next.substring(next.indexOf('?'));
        }

        try (SimulatedCloud other = SimulatedCloud.open(otherDirectory)) {
            other.createAccount(account.sid(), account.authToken());
            var server = other.startRest(new InetSocketAddress("127.0.0.1", 0), null);
            LocalCloud.Reply page = LocalCloud.getAs(server, account, "/v1/Configs" + nextQuery);

            assertThat(page.status()).isEqualTo(400);
            assertThat(page.json().get("code").asInt()).isEqualTo(20001);
            assertThat(page.json().get("message").asText())
                    .contains("rotate-key")
                    .doesNotContain("in-memory");
        }
    }
}
