package dev.mvsim.kernel.client;

import static dev.mvsim.kernel.client.DeviceClient.accountConfig;
import static dev.mvsim.kernel.client.DeviceClient.accountSecret;
import static dev.mvsim.kernel.client.DeviceClient.deviceSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvConfigKeyFetchResult;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.InMemoryItemDirectory;
import dev.mvsim.link.ItemStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeviceClientTest {

    private static final String DEVICE = "UVfedcba9876543210fedcba9876543210";

    private final InMemoryItemDirectory directory = new InMemoryItemDirectory()
            .putAccountItem(ItemStore.SECRET, "api-key", "s3cr3t")
            .putAccountItem(ItemStore.CONFIG, "host", "broker.example.com")
            .putDeviceItem(DEVICE, ItemStore.SECRET, "cert", "ab".repeat(2048));

    private DeviceKernel kernel(FaultPlan plan) {
        return DeviceKernel.builder(DEVICE, directory).faultPlan(plan).seed(9).build();
    }

    @Test
    void fetchReadsValuesInOrder() {
        DeviceClient client = DeviceClient.on(kernel(FaultPlan.none())).connect();

        FetchResult result = client.fetch(accountSecret("api-key"), accountConfig("host"), deviceSecret("cert")).await();

        assertThat(result.outcome()).isEqualTo(FetchOutcome.OK);
        assertThat(result.item("api-key").asString()).isEqualTo("s3cr3t");
        assertThat(result.item(1).asString()).isEqualTo("broker.example.com");
        assertThat(result.item("cert").asString()).hasSize(4096);
    }

    @Test
    void missingKeyReadsAsNotFound() {
        DeviceClient client = DeviceClient.on(kernel(FaultPlan.none())).connect();

        FetchedItem item = client.fetch(accountSecret("nope")).await().item("nope");

        assertThat(item.isFound()).isFalse();
        assertThat(item.result()).isEqualTo(MvConfigKeyFetchResult.KEYNOTFOUND);
        assertThat(item.bytes()).isEmpty();
        assertThatThrownBy(item::asString).hasMessageContaining("ACCOUNT/SECRET/nope has no value");
    }

    @Test
    void itemToStringHidesValue() {
        DeviceClient client = DeviceClient.on(kernel(FaultPlan.none())).connect();

        FetchResult result = client.fetch(accountSecret("api-key")).await();

        assertThat(result.toString()).doesNotContain("s3cr3t").contains("6 bytes");
    }

    @Test
    void valueLargerThanReadBuffer() {
        DeviceClient client = DeviceClient.on(kernel(FaultPlan.none())).valueBufferSize(1024).connect();

        FetchedItem cert = client.fetch(deviceSecret("cert")).await().item("cert");

        assertThat(cert.readStatus()).isEqualTo(MvStatus.INVALIDBUFFERSIZE);
        assertThat(cert.length()).isEqualTo(4096);
        assertThat(cert.bytes()).isEmpty();
    }

    @Test
    void pollDoesNotMoveClock() {
        DeviceClient client = DeviceClient.on(kernel(FaultPlan.builder().latency(Duration.ofMillis(80)).build()))
                .connect();
        PendingFetch fetch = client.fetch(accountSecret("api-key"));

        assertThat(fetch.poll()).isFalse();
        client.kernel().advance(Duration.ofMillis(80));
        assertThat(fetch.poll()).isTrue();
        assertThat(fetch.result().outcome()).isEqualTo(FetchOutcome.OK);
    }

    @Test
    void resultBeforeDoneThrows() {
        DeviceClient client = DeviceClient.on(kernel(FaultPlan.none())).connect();
        PendingFetch fetch = client.fetch(accountSecret("api-key"));

        assertThatThrownBy(fetch::result).hasMessageContaining("still pending");
    }

    @Test
    void dropEndsFetchNotConnected() {
        FaultPlan plan = FaultPlan.builder().latency(Duration.ofSeconds(5)).dropConnectionAt(Duration.ofSeconds(3)).build();
        DeviceClient client = DeviceClient.on(kernel(plan)).connect();

        FetchResult result = client.fetch(accountSecret("api-key")).await();

        assertThat(result.outcome()).isEqualTo(FetchOutcome.CHANNEL_NOT_CONNECTED);
        assertThat(client.kernel().stats().liveHandles()).as("centre and network only").isEqualTo(2);
    }

    @Test
    void oversizeResponse() {
        DeviceClient client = DeviceClient.on(kernel(FaultPlan.builder().responseTooLarge().build())).connect();

        FetchResult result = client.fetch(accountSecret("api-key")).await();

        assertThat(result.outcome()).isEqualTo(FetchOutcome.RESPONSE_TOO_LARGE);
        assertThat(result.items()).isEmpty();
    }

    @Test
    void rejectedSendReportsStatus() {
        DeviceClient client = DeviceClient.on(kernel(FaultPlan.none())).connect();

        FetchResult result = client.fetch(accountSecret("bad\u0001key")).await();

        assertThat(result.outcome()).isEqualTo(FetchOutcome.REJECTED);
        assertThat(result.status()).isEqualTo(MvStatus.INVALIDCONFIGKEY);
    }

    @Test
    void fetchWhileOfflineIsRejected() {
        DeviceClient client = DeviceClient.on(kernel(FaultPlan.none()));

        FetchResult result = client.fetch(accountSecret("api-key")).await();

        assertThat(result.outcome()).isEqualTo(FetchOutcome.REJECTED);
        assertThat(result.status()).isEqualTo(MvStatus.INVALIDHANDLE);
    }

    @Test
    void awaitTimesOutOnDeviceClock() {
        DeviceClient client = DeviceClient.on(kernel(FaultPlan.builder().latency(Duration.ofMinutes(5)).build()))
                .connect();

        FetchResult result = client.fetch(accountSecret("api-key")).await(Duration.ofSeconds(10));

        assertThat(result.outcome()).isEqualTo(FetchOutcome.TIMED_OUT);
        assertThat(client.kernel().stats().fetchesAbandoned()).isEqualTo(1);
    }

    @Test
    void connectTimesOutInDownWindow() {
        FaultPlan plan = FaultPlan.builder().downBetween(Duration.ZERO, Duration.ofMinutes(10)).build();
        DeviceClient client = DeviceClient.on(kernel(plan));

        assertThatThrownBy(() -> client.connect(Duration.ofSeconds(5)))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("did not connect within PT5S")
                .hasMessageContaining("mvRequestNetwork")
                .hasMessageContaining("seed 9");
    }
}
