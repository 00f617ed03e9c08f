package dev.mvsim.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.net.UnixDomainSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(20)
class BridgeHandshakeTest {

    @RegisterExtension
    final BridgeFixture fixture = new BridgeFixture();



    @Test
    void rightKeyOpensSessionForThatDevice() throws Exception {
        try (BridgeClient client = fixture.connectA()) {
            client.exchange(CountingSession.microsecondsRequest(1));
        }

        assertThat(fixture.sessions).containsOnlyKeys(BridgeFixture.DEVICE_A);
        assertThat(fixture.sessions.get(BridgeFixture.DEVICE_A).clock).isEqualTo(ClockChoice.VIRTUAL);
        assertThat(fixture.server.stats().authenticated()).isEqualTo(1);
    }

    @Test
    void wrongKeyIsRejected() {
        assertThatThrownBy(() -> BridgeClient.connect(fixture.address(), BridgeFixture.DEVICE_A, BridgeFixture.KEY_B,
                ClockChoice.WALL))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("check MVHOST_DEVICE and MVHOST_DEVICE_KEY")
                .extracting(failure -> ((HandshakeException) failure).reason())
                .isEqualTo(RejectReason.AUTHENTICATION_FAILED);
        assertThat(fixture.sessions).isEmpty();
    }

    @Test
    void anotherDevicesKeyCannotClaimItsSid() {
        assertThatThrownBy(() -> BridgeClient.connect(fixture.address(), BridgeFixture.DEVICE_B, BridgeFixture.KEY_A,
                ClockChoice.WALL))
                .isInstanceOf(HandshakeException.class);
        assertThat(fixture.sessions).isEmpty();
    }

    @Test
    void unknownSidIsRejected() {
        assertThatThrownBy(() -> BridgeClient.connect(fixture.address(), "UV99999999999999999999999999999999",
                BridgeFixture.KEY_A, ClockChoice.WALL))
                .isInstanceOf(HandshakeException.class)
                .extracting(failure -> ((HandshakeException) failure).reason())
                .isEqualTo(RejectReason.AUTHENTICATION_FAILED);
    }

    @Test
    void unknownSidAndWrongKeyReadTheSame() {
        Throwable unknownSid = catchThrowable(() -> BridgeClient.connect(fixture.address(),
                "UV99999999999999999999999999999999", BridgeFixture.KEY_A, ClockChoice.WALL));
        Throwable wrongKey = catchThrowable(() -> BridgeClient.connect(fixture.address(), BridgeFixture.DEVICE_A,
                BridgeFixture.KEY_B, ClockChoice.WALL));

        assertThat(unknownSid).isInstanceOf(HandshakeException.class);
        assertThat(unknownSid.getMessage()).isEqualTo(wrongKey.getMessage());
    }

    @Test
    void replayedHandshakeIsRejected() throws Exception {
        byte[] nonce = new byte[HandshakeMessage.NONCE_BYTES];
        Arrays.fill(nonce, (byte) 7);
        HandshakeMessage.Hello hello = new HandshakeMessage.Hello(1, 1, ClockChoice.WALL, nonce, BridgeFixture.DEVICE_A);
        byte[] recordedProof;
        try (BridgeClient honest = BridgeClient.open(fixture.address())) {
            honest.send(hello.encode());
            HandshakeMessage.Challenge challenge = (HandshakeMessage.Challenge) HandshakeMessage.decode(honest.receive());
            recordedProof = new HandshakeMessage.Proof(
                    HandshakeMac.device(BridgeFixture.KEY_A, 1, hello, challenge.serverNonce())).encode();
            honest.send(recordedProof);
            assertThat(HandshakeMessage.decode(honest.receive())).isInstanceOf(HandshakeMessage.Welcome.class);
        }

        try (BridgeClient attacker = BridgeClient.open(fixture.address())) {
            attacker.send(hello.encode());
            HandshakeMessage answer = HandshakeMessage.decode(attacker.receive());

            assertThat(answer).isInstanceOf(HandshakeMessage.Reject.class);
            assertThat(((HandshakeMessage.Reject) answer).reason()).isEqualTo(RejectReason.REPLAYED);
        }
    }

    @Test
    void replayedProofFailsAgainstFreshChallenge() throws Exception {
        byte[] nonce = new byte[HandshakeMessage.NONCE_BYTES];
        HandshakeMessage.Hello hello = new HandshakeMessage.Hello(1, 1, ClockChoice.WALL, nonce, BridgeFixture.DEVICE_A);
        byte[] staleServerNonce = new byte[HandshakeMessage.NONCE_BYTES];
        byte[] staleProof = new HandshakeMessage.Proof(
                HandshakeMac.device(BridgeFixture.KEY_A, 1, hello, staleServerNonce)).encode();

        try (BridgeClient attacker = BridgeClient.open(fixture.address())) {
            attacker.send(hello.encode());
            attacker.receive();
            attacker.send(staleProof);
            HandshakeMessage answer = HandshakeMessage.decode(attacker.receive());

            assertThat(((HandshakeMessage.Reject) answer).reason()).isEqualTo(RejectReason.AUTHENTICATION_FAILED);
        }
    }

    @Test
    void unsupportedVersionIsRejected() throws Exception {
        HandshakeMessage.Hello hello = new HandshakeMessage.Hello(3, 4, ClockChoice.WALL,
                new byte[HandshakeMessage.NONCE_BYTES], BridgeFixture.DEVICE_A);

        try (BridgeClient client = BridgeClient.open(fixture.address())) {
            client.send(hello.encode());
            HandshakeMessage.Reject reject = (HandshakeMessage.Reject) HandshakeMessage.decode(client.receive());

            assertThat(reject.reason()).isEqualTo(RejectReason.UNSUPPORTED_VERSION);
            assertThat(reject.message()).contains("versions 3 to 4");
        }
    }

    @Test
    void frameBeforeHandshakeGetsReject() throws Exception {
        try (BridgeClient client = BridgeClient.open(fixture.address())) {
            client.send(CountingSession.microsecondsRequest(1));
            HandshakeMessage answer = HandshakeMessage.decode(client.receive());

            assertThat(answer).isInstanceOf(HandshakeMessage.Reject.class);
            assertThat(((HandshakeMessage.Reject) answer).message()).contains("send HELLO");
            assertThat(((HandshakeMessage.Reject) answer).reason()).isEqualTo(RejectReason.NO_SESSION);
        }
        assertThat(fixture.sessions).isEmpty();
    }

    @Test
    void unixSocketServesDevices(@TempDir Path directory) throws Exception {
        Path socket = directory.resolve("bridge.sock");
        fixture.server.listenUnix(socket);

        try (BridgeClient client = BridgeClient.connect(UnixDomainSocketAddress.of(socket), BridgeFixture.DEVICE_B,
                BridgeFixture.KEY_B, ClockChoice.SERVER_DEFAULT)) {
            byte[] reply = client.exchange(CountingSession.microsecondsRequest(1));
            assertThat(reply).isNotEmpty();
        }

        assertThat(fixture.sessions).containsOnlyKeys(BridgeFixture.DEVICE_B);
        fixture.server.close();
        assertThat(Files.exists(socket)).isFalse();
    }
}
