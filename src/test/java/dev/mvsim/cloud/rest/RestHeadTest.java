package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server serves HEAD wherever it serves GET, with GET's status and headers and no body. */
class RestHeadTest {

    private final LocalCloud local = new LocalCloud();

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void headOfConfigMatchesGetWithoutBody() {
        local.post("/v1/Configs", "Key", "head-me", "Value", "some value");
        LocalCloud.Reply get = local.get("/v1/Configs/head-me");

        LocalCloud.Reply head = head("/v1/Configs/head-me");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.response().headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(head.response().headers().firstValueAsLong("Content-Length"))
                .hasValue((long) get.response().body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void headChangesNothing() {
        local.post("/v1/Secrets", "Key", "still-here", "Value", "v");

        assertThat(head("/v1/Secrets/still-here").status()).isEqualTo(200);
        assertThat(head("/v1/Secrets").status()).isEqualTo(200);

        assertThat(local.get("/v1/Secrets/still-here").status()).isEqualTo(200);
        assertThat(local.get("/v1/Secrets").json().get("secrets")).hasSize(1);
    }

    @Test
    void headOfListsAndDevicesIs200() {
        String sid = local.cloud.registerDevice(local.account.sid(), "head-rig").sid();

        assertThat(head("/v1/Devices").status()).isEqualTo(200);
        assertThat(head("/v1/Devices/" + sid).status()).isEqualTo(200);
        assertThat(head("/v1/Devices/head-rig/Configs").status()).isEqualTo(200);
    }

    @Test
    void headOfMissingKeyIs404WithoutBody() {
        LocalCloud.Reply head = head("/v1/Configs/never-created");

        assertThat(head.status()).isEqualTo(404);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void headWithoutGetIs405() {
        LocalCloud.Reply head = head("/mvsim/Devices");

        assertThat(head.status()).isEqualTo(405);
        assertThat(head.response().headers().firstValue("Allow")).hasValue("POST");
    }

    private LocalCloud.Reply head(String path) {
        return local.send(local.request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()), local.account);
    }
}
