package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mvsim.cloud.RegisteredDevice;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestDevicesTest {

    private final LocalCloud local = new LocalCloud();

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void registrationReturnsDeviceWithKey() {
        LocalCloud.Reply answer = local.post("/mvsim/Devices", "UniqueName", "bench-rig");

        assertThat(answer.status()).isEqualTo(201);
        JsonNode json = answer.json();
        String sid = json.get("sid").asText();
        assertThat(sid).matches("UV[0-9a-f]{32}");
        assertThat(json.get("unique_name").asText()).isEqualTo("bench-rig");
        assertThat(json.get("account_sid").asText()).isEqualTo(local.account.sid());
        assertThat(json.get("device_key").asText()).matches("[0-9a-f]{64}");
        byte[] stored = local.cloud.deviceKeys().deviceKey(sid).orElseThrow();
        assertThat(HexFormat.of().formatHex(stored)).isEqualTo(json.get("device_key").asText());
    }

    @Test
    void registrationWithoutNameLeavesNameNull() {
        JsonNode json = local.post("/mvsim/Devices").json();

        assertThat(json.get("unique_name").isNull()).isTrue();
    }

    @Test
    void emptyPostNeedsNoContentType() {
        LocalCloud.Reply answer = local.send(local.request("/mvsim/Devices")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()), local.account);

        assertThat(answer.status()).isEqualTo(201);
    }

    @Test
    void fetchHasVendorShapeWithoutKey() {
        RegisteredDevice device = local.cloud.registerDevice(local.account.sid(), "rig");

        LocalCloud.Reply answer = local.get("/v1/Devices/" + device.sid());

        assertThat(answer.status()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(fieldNames(json)).containsExactly("sid", "unique_name", "account_sid", "app", "logging",
                "date_created", "date_updated", "url", "links");
        assertThat(fieldNames(json.get("app"))).containsExactly("target_sid", "target_hash", "date_targeted",
                "update_status", "update_error_code", "reported_sid", "date_reported");
        assertThat(json.get("logging").get("enabled").asBoolean()).isFalse();
        String url = local.server.baseUri() + "/v1/Devices/" + device.sid();
        assertThat(json.get("url").asText()).isEqualTo(url);
        assertThat(json.get("links").get("device_configs").asText()).isEqualTo(url + "/Configs");
        assertThat(json.get("links").get("device_secrets").asText()).isEqualTo(url + "/Secrets");
        assertThat(answer.body()).doesNotContain(device.deviceKeyHex());
    }

    @Test
    void fetchByUniqueNameAndUppercaseSid() {
        RegisteredDevice device = local.cloud.registerDevice(local.account.sid(), "rig");
        String upperSid = "UV" + device.sid().substring(2).toUpperCase();

        assertThat(local.get("/v1/Devices/rig").json().get("sid").asText()).isEqualTo(device.sid());
        assertThat(local.get("/v1/Devices/" + upperSid).json().get("sid").asText()).isEqualTo(device.sid());
    }

    @Test
    void updateRenamesDevice() {
        RegisteredDevice device = local.cloud.registerDevice(local.account.sid(), "old-name");

        LocalCloud.Reply answer = local.post("/v1/Devices/old-name", "UniqueName", "new-name");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("unique_name").asText()).isEqualTo("new-name");
        assertThat(local.get("/v1/Devices/new-name").json().get("sid").asText()).isEqualTo(device.sid());
        assertThat(local.get("/v1/Devices/old-name").status()).isEqualTo(404);
    }

    @Test
    void updateToTakenNameIs409() {
        local.cloud.registerDevice(local.account.sid(), "first");
        local.cloud.registerDevice(local.account.sid(), "second");

        LocalCloud.Reply answer = local.post("/v1/Devices/second", "UniqueName", "first");

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().get("code").asInt()).isEqualTo(20409);
    }

    @Test
    void updateWithSidShapedNameIs400() {
        local.cloud.registerDevice(local.account.sid(), "rig");

        LocalCloud.Reply answer = local.post("/v1/Devices/rig", "UniqueName", "UV" + "a".repeat(32));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("message").asText()).contains("UniqueName");
    }

    @Test
    void updateWithAppParameterIs400() {
        local.cloud.registerDevice(local.account.sid(), "rig");

        LocalCloud.Reply answer = local.post("/v1/Devices/rig", "TargetApp", "KA" + "0".repeat(32));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("message").asText()).contains("TargetApp");
    }

    @Test
    void listPagesThroughDevices() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add(local.cloud.registerDevice(local.account.sid(), null).sid());
        }
        expected.sort(null);

        List<String> seen = new ArrayList<>();
        String url = "/v1/Devices?PageSize=2";
        while (url != null) {
            JsonNode json = local.get(url).json();
            json.get("devices").forEach(device -> seen.add(device.get("sid").asText()));
            assertThat(json.get("meta").get("key").asText()).isEqualTo("devices");
            JsonNode next = json.get("meta").get("next_page_url");
            url = next.isNull() ? null : next.asText();
        }

        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void duplicateRegistrationNameIs409() {
        local.post("/mvsim/Devices", "UniqueName", "rig");

        LocalCloud.Reply answer = local.post("/mvsim/Devices", "UniqueName", "rig");

        assertThat(answer.status()).isEqualTo(409);
    }

    @Test
    void registrationRouteAcceptsOnlyPost() {
        LocalCloud.Reply answer = local.get("/mvsim/Devices");

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.response().headers().firstValue("Allow")).hasValue("POST");
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
