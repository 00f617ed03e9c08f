package dev.mvsim.cloud.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final byte[] PLAINTEXT = "s3cr3t-value".getBytes(StandardCharsets.UTF_8);
    private static final byte[] IDENTITY = AssociatedData.forPurpose("item").add("key-1").toBytes();

    private final SecretCipher cipher = new SecretCipher(key((byte) 1), new SecureRandom());

    private static MasterKey key(byte fill) {
        byte[] bytes = new byte[MasterKey.LENGTH];
        Arrays.fill(bytes, fill);
        return MasterKey.of(bytes);
    }

    @Test
    void sealThenOpen() {
        byte[] sealed = cipher.seal(PLAINTEXT, IDENTITY);

        assertThat(cipher.open(sealed, IDENTITY, () -> "key-1")).isEqualTo(PLAINTEXT);
    }

    @Test
    void sealedLayout() {
        byte[] sealed = cipher.seal(PLAINTEXT, IDENTITY);

        assertThat(sealed).hasSize(PLAINTEXT.length + SecretCipher.OVERHEAD);
        assertThat(sealed[0]).isEqualTo(SecretCipher.FORMAT_AES_256_GCM);
    }

    @Test
    void emptyPlaintextSeals() {
        byte[] sealed = cipher.seal(new byte[0], IDENTITY);

        assertThat(cipher.open(sealed, IDENTITY, () -> "empty")).isEmpty();
    }

    @Test
    void freshNonceEachSeal() {
        byte[] first = cipher.seal(PLAINTEXT, IDENTITY);
        byte[] second = cipher.seal(PLAINTEXT, IDENTITY);

        assertThat(Arrays.copyOfRange(first, 1, 1 + SecretCipher.NONCE_LENGTH))
                .isNotEqualTo(Arrays.copyOfRange(second, 1, 1 + SecretCipher.NONCE_LENGTH));
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void otherIdentityFails() {
        byte[] sealed = cipher.seal(PLAINTEXT, IDENTITY);
        byte[] otherIdentity = AssociatedData.forPurpose("item").add("key-2").toBytes();

        assertThatThrownBy(() -> cipher.open(sealed, otherIdentity, () -> "item key-2"))
                .isInstanceOf(DecryptionFailedException.class)
                .hasMessageContaining("item key-2")
                .hasMessageContaining("authentication failed");
    }

    @Test
    void otherKeyFails() {
        byte[] sealed = cipher.seal(PLAINTEXT, IDENTITY);
        SecretCipher other = new SecretCipher(key((byte) 2), new SecureRandom());

        assertThatThrownBy(() -> other.open(sealed, IDENTITY, () -> "key-1"))
                .isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void everyFlippedByteFails() {
        byte[] sealed = cipher.seal(PLAINTEXT, IDENTITY);

        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            int position = i;

            assertThatThrownBy(() -> cipher.open(tampered, IDENTITY, () -> "key-1"))
                    .as("byte %d flipped", position)
                    .isInstanceOf(DecryptionFailedException.class);
        }
    }

    @Test
    void truncatedFails() {
        byte[] sealed = cipher.seal(PLAINTEXT, IDENTITY);

        assertThatThrownBy(() -> cipher.open(
                        Arrays.copyOf(sealed, SecretCipher.OVERHEAD - 1), IDENTITY, () -> "key-1"))
                .isInstanceOf(DecryptionFailedException.class)
                .hasMessageContaining("not in the AES-256-GCM format");
        assertThatThrownBy(() -> cipher.open(
                        Arrays.copyOf(sealed, sealed.length - 1), IDENTITY, () -> "key-1"))
                .isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void failureMessageOmitsPlaintext() {
        byte[] sealed = cipher.seal(PLAINTEXT, IDENTITY);
        sealed[sealed.length - 1] ^= 0x01;

        assertThatThrownBy(() -> cipher.open(sealed, IDENTITY, () -> "key-1"))
                .hasMessageNotContaining("s3cr3t-value");
    }

    @Test
    void usableAfterFailedOpen() {
        byte[] sealed = cipher.seal(PLAINTEXT, IDENTITY);
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 0x01;

        assertThatThrownBy(() -> cipher.open(tampered, IDENTITY, () -> "key-1"))
                .isInstanceOf(DecryptionFailedException.class);

        assertThat(cipher.open(sealed, IDENTITY, () -> "key-1")).isEqualTo(PLAINTEXT);
        assertThat(cipher.open(cipher.seal(PLAINTEXT, IDENTITY), IDENTITY, () -> "key-1"))
                .isEqualTo(PLAINTEXT);
    }

    @Test
    void sealedOnOneThreadOpensOnAnother() throws Exception {
        byte[] sealed = cipher.seal(PLAINTEXT, IDENTITY);
        byte[][] opened = new byte[1][];

        Thread other = new Thread(() -> opened[0] = cipher.open(sealed, IDENTITY, () -> "key-1"));
        other.start();
        other.join();

        assertThat(opened[0]).isEqualTo(PLAINTEXT);
    }
}
