package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.microvisor.v1.AccountConfig;
import com.twilio.rest.microvisor.v1.AccountSecret;
import com.twilio.rest.microvisor.v1.Device;
import com.twilio.rest.microvisor.v1.device.DeviceConfig;
import com.twilio.rest.microvisor.v1.device.DeviceSecret;
import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.link.ItemStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The official twilio-java helper library (Microvisor v1 classes) against mvsim. */
class TwilioHelperLibraryTest {

    private final LocalCloud local = new LocalCloud();
    private final TwilioRestClient client = new TwilioRestClient.Builder(local.account.sid(), local.account.authToken())
            .httpClient(new LoopbackTwilioHttpClient(local.server.baseUri()))
            .build();

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void accountConfigLifecycle() {
        AccountConfig created = AccountConfig.creator("mode", "a&b=c+d%\nü").create(client);
        AccountConfig fetched = AccountConfig.fetcher("mode").fetch(client);
        AccountConfig updated = AccountConfig.updater("mode", "second").update(client);
        boolean deleted = AccountConfig.deleter("mode").delete(client);

        assertThat(created.getKey()).isEqualTo("mode");
        assertThat(created.getValue()).isEqualTo("a&b=c+d%\nü");
        assertThat(created.getDateUpdated()).isNotNull();
        assertThat(fetched.getValue()).isEqualTo("a&b=c+d%\nü");
        assertThat(fetched.getUrl().toString()).isEqualTo(local.server.baseUri() + "/v1/Configs/mode");
        assertThat(updated.getValue()).isEqualTo("second");
        assertThat(deleted).isTrue();
        assertThat(local.cloud.findItem(ItemId.account(local.account.sid(), ItemStore.CONFIG, "mode"))).isEmpty();
    }

    @Test
    void accountSecretLifecycle() {
        AccountSecret created = AccountSecret.creator("api-key", "first-secret").create(client);
        AccountSecret fetched = AccountSecret.fetcher("api-key").fetch(client);
        AccountSecret updated = AccountSecret.updater("api-key", "second-secret").update(client);

        assertThat(created.getKey()).isEqualTo("api-key");
        assertThat(created.getDateRotated()).isNotNull();
        assertThat(fetched.getUrl().toString()).isEqualTo(local.server.baseUri() + "/v1/Secrets/api-key");
        assertThat(updated.getKey()).isEqualTo("api-key");
        assertThat(local.cloud.findItem(ItemId.account(local.account.sid(), ItemStore.SECRET, "api-key"))
                .orElseThrow().value()).isEqualTo("second-secret");
        assertThat(AccountSecret.deleter("api-key").delete(client)).isTrue();
    }

    @Test
    void listReadsEveryPage() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add("key-" + i);
            AccountSecret.creator("key-" + i, "value-" + i).create(client);
        }

        List<String> keys = new ArrayList<>();
        for (AccountSecret secret : AccountSecret.reader().pageSize(2).read(client)) {
            keys.add(secret.getKey());
        }

        assertThat(keys).containsExactlyElementsOf(expected);
    }

    @Test
    void deviceConfigLifecycle() {
        RegisteredDevice device = local.cloud.registerDevice(local.account.sid(), "rig");

        DeviceConfig created = DeviceConfig.creator(device.sid(), "mode", "fast").create(client);
        DeviceConfig fetched = DeviceConfig.fetcher(device.sid(), "mode").fetch(client);
        DeviceConfig updated = DeviceConfig.updater(device.sid(), "mode", "slow").update(client);
        List<String> listed = new ArrayList<>();
        DeviceConfig.reader(device.sid()).read(client).forEach(config -> listed.add(config.getValue()));

        assertThat(created.getDeviceSid()).isEqualTo(device.sid());
        assertThat(fetched.getValue()).isEqualTo("fast");
        assertThat(updated.getValue()).isEqualTo("slow");
        assertThat(listed).containsExactly("slow");
        assertThat(DeviceConfig.deleter(device.sid(), "mode").delete(client)).isTrue();
    }

    @Test
    void deviceSecretLifecycle() {
        RegisteredDevice device = local.cloud.registerDevice(local.account.sid(), "rig");

        DeviceSecret created = DeviceSecret.creator(device.sid(), "token", "device-secret").create(client);
        DeviceSecret fetched = DeviceSecret.fetcher(device.sid(), "token").fetch(client);
        DeviceSecret updated = DeviceSecret.updater(device.sid(), "token", "rotated").update(client);
        List<String> listed = new ArrayList<>();
        DeviceSecret.reader(device.sid()).read(client).forEach(secret -> listed.add(secret.getKey()));

        assertThat(created.getDeviceSid()).isEqualTo(device.sid());
        assertThat(fetched.getKey()).isEqualTo("token");
        assertThat(updated.getDateRotated()).isNotNull();
        assertThat(listed).containsExactly("token");
        assertThat(local.cloud.findItem(ItemId.device(local.account.sid(), device.sid(), ItemStore.SECRET, "token"))
                .orElseThrow().value()).isEqualTo("rotated");
        assertThat(DeviceSecret.deleter(device.sid(), "token").delete(client)).isTrue();
    }

    @Test
    void devicesFetchListAndUpdate() {
        RegisteredDevice device = local.cloud.registerDevice(local.account.sid(), "rig");

        Device fetched = Device.fetcher("rig").fetch(client);
        Device renamed = Device.updater(device.sid()).setUniqueName("rig-2").update(client);
        List<String> listed = new ArrayList<>();
        Device.reader().read(client).forEach(d -> listed.add(d.getSid()));

        assertThat(fetched.getSid()).isEqualTo(device.sid());
        assertThat(fetched.getAccountSid()).isEqualTo(local.account.sid());
        assertThat(renamed.getUniqueName()).isEqualTo("rig-2");
        assertThat(listed).containsExactly(device.sid());
    }

    @Test
    void semicolonKeyReachesItsOwnConfig() {
        // The helper puts the key into the path without encoding ';'.
        AccountConfig.creator("semi", "other").create(client);
        AccountConfig.creator("semi;colon", "v").create(client);

        AccountConfig fetched = AccountConfig.fetcher("semi;colon").fetch(client);
        boolean deleted = AccountConfig.deleter("semi;colon").delete(client);

        assertThat(fetched.getKey()).isEqualTo("semi;colon");
        assertThat(fetched.getValue()).isEqualTo("v");
        assertThat(deleted).isTrue();
        assertThat(AccountConfig.fetcher("semi").fetch(client).getValue()).isEqualTo("other");
    }

    @Test
    void errorsReachClientAsApiException() {
        AccountConfig.creator("dup", "v").create(client);

        assertThatThrownBy(() -> AccountConfig.creator("dup", "v").create(client))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(409);
                    assertThat(e.getCode()).isEqualTo(20409);
                });
        assertThatThrownBy(() -> AccountConfig.fetcher("missing").fetch(client))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
    }
}
