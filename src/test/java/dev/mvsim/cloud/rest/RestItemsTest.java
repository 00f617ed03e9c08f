package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mvsim.cloud.RegisteredDevice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestItemsTest {

    private final LocalCloud local = new LocalCloud();

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void configCreateReturnsFullResource() {
        LocalCloud.Reply created = local.post("/v1/Configs", "Key", "server-url", "Value", "https://example.test");

        assertThat(created.status()).isEqualTo(201);
        JsonNode json = created.json();
        assertThat(fieldNames(json)).containsExactly("key", "value", "date_updated", "url");
        assertThat(json.get("key").asText()).isEqualTo("server-url");
        assertThat(json.get("value").asText()).isEqualTo("https://example.test");
        assertThat(json.get("date_updated").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(json.get("url").asText()).isEqualTo(local.server.baseUri() + "/v1/Configs/server-url");
    }

    @Test
    void secretCreateReturnsNoValue() {
        LocalCloud.Reply created = local.post("/v1/Secrets", "Key", "api-key", "Value", "s3cr3t-value");

        assertThat(created.status()).isEqualTo(201);
        assertThat(fieldNames(created.json())).containsExactly("key", "date_rotated", "url");
        assertThat(created.body()).doesNotContain("s3cr3t-value");
    }

    @Test
    void secretFetchAndListOmitValue() {
        local.post("/v1/Secrets", "Key", "api-key", "Value", "s3cr3t-value");

        LocalCloud.Reply fetched = local.get("/v1/Secrets/api-key");
        LocalCloud.Reply listed = local.get("/v1/Secrets");

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fieldNames(fetched.json())).containsExactly("key", "date_rotated", "url");
        assertThat(fetched.body()).doesNotContain("s3cr3t-value");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get("secrets")).hasSize(1);
        assertThat(listed.body()).doesNotContain("s3cr3t-value");
    }

    @Test
    void deviceItemsCarryDeviceSid() {
        RegisteredDevice device = local.cloud.registerDevice(local.account.sid(), "rig-1");
        String base = "/v1/Devices/" + device.sid();

        LocalCloud.Reply config = local.post(base + "/Configs", "Key", "mode", "Value", "test");
        LocalCloud.Reply secret = local.post(base + "/Secrets", "Key", "token", "Value", "hidden-value");

        assertThat(config.status()).isEqualTo(201);
        assertThat(fieldNames(config.json())).containsExactly("device_sid", "key", "value", "date_updated", "url");
        assertThat(config.json().get("url").asText())
                .isEqualTo(local.server.baseUri() + base + "/Configs/mode");
        assertThat(secret.status()).isEqualTo(201);
        assertThat(fieldNames(secret.json())).containsExactly("device_sid", "key", "date_rotated", "url");
        assertThat(secret.json().get("device_sid").asText()).isEqualTo(device.sid());
    }

    @Test
    void deviceItemsReachableByUniqueName() {
        RegisteredDevice device = local.cloud.registerDevice(local.account.sid(), "rig-1");
        local.post("/v1/Devices/rig-1/Configs", "Key", "mode", "Value", "test");

        LocalCloud.Reply fetched = local.get("/v1/Devices/" + device.sid() + "/Configs/mode");

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("value").asText()).isEqualTo("test");
    }

    @Test
    void updateReplacesConfigValue() {
        local.post("/v1/Configs", "Key", "mode", "Value", "old");

        LocalCloud.Reply updated = local.post("/v1/Configs/mode", "Value", "new");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("value").asText()).isEqualTo("new");
        assertThat(local.get("/v1/Configs/mode").json().get("value").asText()).isEqualTo("new");
    }

    @Test
    void deleteReturns204ThenFetch404() {
        local.post("/v1/Secrets", "Key", "gone", "Value", "x");

        LocalCloud.Reply deleted = local.delete("/v1/Secrets/gone");

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(local.get("/v1/Secrets/gone").status()).isEqualTo(404);
        assertThat(local.delete("/v1/Secrets/gone").status()).isEqualTo(404);
    }

    @Test
    void specialCharactersRoundTripInConfigValue() {
        String value = "a&b=c+d%20e\nline two\r\n\tüñí 漢字 🚀";

        LocalCloud.Reply created = local.post("/v1/Configs", "Key", "odd", "Value", value);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("value").asText()).isEqualTo(value);
        assertThat(local.get("/v1/Configs/odd").json().get("value").asText()).isEqualTo(value);
    }

    @Test
    void percentEncodedPathKeyIsDecoded() {
        String key = "a%b?c#d+e";
        local.post("/v1/Configs", "Key", key, "Value", "v");

        LocalCloud.Reply fetched = local.get("/v1/Configs/a%25b%3Fc%23d+e");

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("key").asText()).isEqualTo(key);
        assertThat(fetched.json().get("url").asText())
                .isEqualTo(local.server.baseUri() + "/v1/Configs/a%25b%3Fc%23d+e");
        assertThat(local.get(fetched.json().get("url").asText()).status()).isEqualTo(200);
    }

    @Test
    void keysAreCaseSensitive() {
        LocalCloud.Reply lower = local.post("/v1/Configs", "Key", "mode", "Value", "lower");
        LocalCloud.Reply upper = local.post("/v1/Configs", "Key", "MODE", "Value", "upper");

        assertThat(lower.status()).isEqualTo(201);
        assertThat(upper.status()).isEqualTo(201);
        assertThat(local.get("/v1/Configs/MODE").json().get("value").asText()).isEqualTo("upper");
    }

    @Test
    void emptyListHasNullLinks() {
        JsonNode json = local.get("/v1/Configs").json();

        assertThat(json.get("configs")).isEmpty();
        JsonNode meta = json.get("meta");
        assertThat(fieldNames(meta)).containsExactly(
                "page", "page_size", "first_page_url", "previous_page_url", "url", "next_page_url", "key");
        assertThat(meta.get("page").asInt()).isZero();
        assertThat(meta.get("page_size").asInt()).isEqualTo(50);
        assertThat(meta.get("first_page_url").asText())
                .isEqualTo(local.server.baseUri() + "/v1/Configs?PageSize=50&Page=0");
        assertThat(meta.get("url").asText()).isEqualTo(meta.get("first_page_url").asText());
        assertThat(meta.get("previous_page_url").isNull()).isTrue();
        assertThat(meta.get("next_page_url").isNull()).isTrue();
        assertThat(meta.get("key").asText()).isEqualTo("configs");
    }

    @Test
    void paginationFollowsNextPageUrl() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String key = "k" + i;
            expected.add(key);
            local.post("/v1/Configs", "Key", key, "Value", "v" + i);
        }

        List<String> seen = new ArrayList<>();
        List<Integer> pageNumbers = new ArrayList<>();
        String url = "/v1/Configs?PageSize=3";
        while (url != null) {
            LocalCloud.Reply page = local.get(url);
            assertThat(page.status()).isEqualTo(200);
            page.json().get("configs").forEach(item -> seen.add(item.get("key").asText()));
            JsonNode meta = page.json().get("meta");
            pageNumbers.add(meta.get("page").asInt());
            url = meta.get("next_page_url").isNull() ? null : meta.get("next_page_url").asText();
        }

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pageNumbers).containsExactly(0, 1, 2);
    }

    @Test
    void secondPageLinksBackToFirst() {
        for (int i = 0; i < 3; i++) {
            local.post("/v1/Secrets", "Key", "k" + i, "Value", "v");
        }
        String next = local.get("/v1/Secrets?PageSize=2").json().get("meta").get("next_page_url").asText();

        JsonNode meta = local.get(next).json().get("meta");

        assertThat(meta.get("page").asInt()).isEqualTo(1);
        assertThat(meta.get("url").asText()).isEqualTo(next);
        assertThat(meta.get("previous_page_url").asText()).isEqualTo(meta.get("first_page_url").asText());
        assertThat(meta.get("next_page_url").isNull()).isTrue();
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
