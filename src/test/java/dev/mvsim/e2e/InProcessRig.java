package dev.mvsim.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.rest.RestServer;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.jna.ConfigFetchExample;
import dev.mvsim.jna.FirmwareLibrary;
import dev.mvsim.jna.InProcessDevice;
import dev.mvsim.jna.InProcessHost;
import dev.mvsim.link.FaultPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The whole in-process chain for one test. It contains a simulated cloud with its REST API on a
 * loopback port, one account and device, and a kernel for that device on a virtual clock, with
 * libmvhost connected to it and the example firmware loaded through JNA.
 */
final class InProcessRig implements AutoCloseable {

    /** The example firmware, loaded once per JVM because the dynamic linker never unloads it. */
    static final ConfigFetchExample FIRMWARE =
            FirmwareLibrary.load(FirmwareLibrary.exampleLibrary(), ConfigFetchExample.class);

    static final int SCOPE_ACCOUNT = 0;
    static final int SCOPE_DEVICE = 1;
    static final int STORE_SECRET = 0;
    static final int STORE_CONFIG = 1;

    private final InProcessDevice simulated = new InProcessDevice("rig-1");
    final RegisteredDevice device = simulated.device;
    private final AccountRecord account = simulated.account;
    final RestServer server = simulated.cloud.startRest(new InetSocketAddress("127.0.0.1", 0), null);
    final InProcessHost host;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    InProcessRig(InProcessHost.InterruptMode mode, FaultPlan plan) {
        host = simulated.open(mode, kernel -> kernel.faultPlan(plan).seed(7));
    }

    InProcessRig(InProcessHost.InterruptMode mode) {
        this(mode, FaultPlan.none());
    }

    /** Creates an item through the REST API, as a developer would with curl. */
    void post(String path, String key, String value) {
        String body = "Key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)
                + "&Value=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (account.sid() + ":" + account.authToken()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("POST %s key %s", path, key).isEqualTo(201);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + key, e);
        }
    }

    static ConfigFetchExample.config_fetch_key[] keys(Object... scopeStoreName) {
        ConfigFetchExample.config_fetch_key[] keys = (ConfigFetchExample.config_fetch_key[])
                new ConfigFetchExample.config_fetch_key().toArray(scopeStoreName.length / 3);
        for (int i = 0; i < keys.length; i++) {
            keys[i].scope = (Integer) scopeStoreName[3 * i];
            keys[i].store = (Integer) scopeStoreName[3 * i + 1];
            keys[i].name = (String) scopeStoreName[3 * i + 2];
        }
        return keys;
    }

    ConfigFetchExample.config_fetch_result run(ConfigFetchExample.config_fetch_key[] keys,
                                               ConfigFetchExample.config_fetch_options options) {
        ConfigFetchExample.config_fetch_result result = new ConfigFetchExample.config_fetch_result();
        FIRMWARE.config_fetch_run(keys, keys.length, options, result);
        return result;
    }

    @Override
    public void close() {
        simulated.close();
    }
}
