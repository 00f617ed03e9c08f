package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A ';' in a key or device name is part of it. Undertow reads the text after ';' as a path
 * parameter and leaves it out of the request path, so these tests prove that a ';' never
 * addresses the resource named by the text before it.
 */
class RestSemicolonTest {

    private final LocalCloud local = new LocalCloud();

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void keyUrlEncodesSemicolon() {
        LocalCloud.Reply created = local.post("/v1/Configs", "Key", "semi;colon", "Value", "v");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("url").asText()).endsWith("/v1/Configs/semi%3Bcolon");
    }

    @Test
    void keyUrlReachesSemicolonKey() {
        local.post("/v1/Configs", "Key", "semi", "Value", "other");
        String url = local.post("/v1/Configs", "Key", "semi;colon", "Value", "v").json().get("url").asText();

        LocalCloud.Reply fetched = local.get(url);

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("key").asText()).isEqualTo("semi;colon");
        assertThat(fetched.json().get("value").asText()).isEqualTo("v");
    }

    @Test
    void rawSemicolonIsPartOfKey() {
        local.post("/v1/Configs", "Key", "semi", "Value", "other");
        local.post("/v1/Configs", "Key", "semi;colon", "Value", "v");

        LocalCloud.Reply fetched = local.get("/v1/Configs/semi;colon");

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("key").asText()).isEqualTo("semi;colon");
    }

    @Test
    void deleteWithSemicolonLeavesPrefixKey() {
        local.post("/v1/Configs", "Key", "semi", "Value", "kept");

        LocalCloud.Reply deleted = local.delete("/v1/Configs/semi;colon");

        assertThat(deleted.status()).isEqualTo(404);
        assertThat(local.get("/v1/Configs/semi").status()).isEqualTo(200);
    }

    @Test
    void deviceNameWithSemicolonIsNotPrefixDevice() {
        local.cloud.registerDevice(local.account.sid(), "lab");

        LocalCloud.Reply created = local.post("/v1/Devices/lab;a/Secrets", "Key", "k", "Value", "v");

        assertThat(created.status()).isEqualTo(404);
        assertThat(created.json().get("message").asText()).contains("lab;a");
        assertThat(local.get("/v1/Devices/lab/Secrets/k").status()).isEqualTo(404);
    }

    @Test
    void deviceNameWithSemicolonIsAddressable() {
        local.cloud.registerDevice(local.account.sid(), "lab");
        local.cloud.registerDevice(local.account.sid(), "lab;a");

        LocalCloud.Reply created = local.post("/v1/Devices/lab;a/Secrets", "Key", "k", "Value", "v");

        assertThat(created.status()).isEqualTo(201);
        assertThat(local.get("/v1/Devices/lab;a/Secrets/k").status()).isEqualTo(200);
        assertThat(local.get("/v1/Devices/lab/Secrets/k").status()).isEqualTo(404);
    }
}
