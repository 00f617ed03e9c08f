package dev.mvsim.cloud.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvsim.cloud.SimulatedCloud;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The base URL that resource URLs start with, given or derived from the bound address. */
class RestServerAddressTest {

    @Test
    void givenPublicUrlIsUsed() {
        try (SimulatedCloud cloud = SimulatedCloud.inMemory()) {
            RestServer server = cloud.startRest(
                    new InetSocketAddress("127.0.0.1", 0), URI.create("https://mvsim.example.test/"));

            assertThat(server.baseUri()).isEqualTo(URI.create("https://mvsim.example.test"));
            assertThat(server.port()).isPositive();
        }
    }

    @Test
    void loopbackBindIsUsedAsIs() {
        try (SimulatedCloud cloud = SimulatedCloud.inMemory()) {
            RestServer server = cloud.startRest(new InetSocketAddress("127.0.0.1", 0), null);

            assertThat(server.baseUri()).isEqualTo(URI.create("http://127.0.0.1:" + server.port()));
        }
    }

    @Test
    void closeStopsListeningOnce() {
        try (SimulatedCloud cloud = SimulatedCloud.inMemory()) {
            RestServer server = cloud.startRest(new InetSocketAddress("127.0.0.1", 0), null);

            server.close();
            server.close();

            assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close()).isInstanceOf(ConnectException.class);
        }
    }
}
