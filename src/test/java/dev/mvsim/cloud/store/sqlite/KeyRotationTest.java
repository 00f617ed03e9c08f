package dev.mvsim.cloud.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.DeviceRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.cloud.store.crypto.DecryptionFailedException;
import dev.mvsim.cloud.store.crypto.MasterKey;
import dev.mvsim.cloud.store.crypto.MasterKeyMismatchException;
import dev.mvsim.link.ItemStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-sealing a store under a new master key, all rows or none. */
class KeyRotationTest {

    private static final MasterKey OLD_KEY = SqliteCloudStoreTest.TEST_KEY;
    private static final MasterKey NEW_KEY = keyOf((byte) 0x5a);
    private static final String ACCOUNT = "AC" + "a".repeat(32);
    private static final String DEVICE = "UV" + "d".repeat(32);
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final byte[] DEVICE_KEY = "device-key-bytes-0123456789abcde".getBytes(StandardCharsets.US_ASCII);

    private static final ItemId ACCOUNT_SECRET = ItemId.account(ACCOUNT, ItemStore.SECRET, "api-key");
    private static final ItemId DEVICE_SECRET = ItemId.device(ACCOUNT, DEVICE, ItemStore.SECRET, "wifi");
    private static final ItemId CONFIG = ItemId.account(ACCOUNT, ItemStore.CONFIG, "greeting");

    @TempDir
    Path dataDirectory;

    @BeforeEach
    void fillStore() {
        try (SqliteCloudStore store = SqliteCloudStore.open(dataDirectory, OLD_KEY)) {
            store.insertAccount(new AccountRecord(ACCOUNT, "auth-token-value"));
            store.insertDevice(new DeviceRecord(DEVICE, ACCOUNT, "rig", CREATED, CREATED), DEVICE_KEY);
            store.insertItem(new StoredItem(ACCOUNT_SECRET, "account-secret-value", CREATED));
            store.insertItem(new StoredItem(DEVICE_SECRET, "device-secret-value", CREATED));
            store.insertItem(new StoredItem(CONFIG, "hello", CREATED));
        }
    }

    @Test
    void rotationResealsEveryRow() {
        KeyRotation.Result result = KeyRotation.rotate(dataDirectory, OLD_KEY, NEW_KEY);

        assertThat(result).isEqualTo(new KeyRotation.Result(1, 1, 2, false));
        try (SqliteCloudStore store = SqliteCloudStore.open(dataDirectory, NEW_KEY)) {
            assertThat(store.findAccount(ACCOUNT).orElseThrow().authToken()).isEqualTo("auth-token-value");
            assertThat(store.deviceKey(DEVICE).orElseThrow()).isEqualTo(DEVICE_KEY);
            assertThat(store.findItem(ACCOUNT_SECRET).orElseThrow().value()).isEqualTo("account-secret-value");
            assertThat(store.findItem(DEVICE_SECRET).orElseThrow().value()).isEqualTo("device-secret-value");
            assertThat(store.findItem(CONFIG).orElseThrow().value()).isEqualTo("hello");
        }
    }

    @Test
    void oldKeyRejectedAfterRotation() {
        KeyRotation.rotate(dataDirectory, OLD_KEY, NEW_KEY);

        assertThatThrownBy(() -> SqliteCloudStore.open(dataDirectory, OLD_KEY))
                .isInstanceOf(MasterKeyMismatchException.class);
    }

    @Test
    void failedRotationKeepsOldKey() throws SQLException {
        // A damaged device secret cannot be opened, which stops the rotation after the account
        // token, the device key and possibly the other secret were re-sealed inside the transaction.
        corruptSecret(DEVICE_SECRET);

        assertThatThrownBy(() -> KeyRotation.rotate(dataDirectory, OLD_KEY, NEW_KEY))
                .isInstanceOf(DecryptionFailedException.class);

        try (SqliteCloudStore store = SqliteCloudStore.open(dataDirectory, OLD_KEY)) {
            assertThat(store.findAccount(ACCOUNT).orElseThrow().authToken()).isEqualTo("auth-token-value");
            assertThat(store.deviceKey(DEVICE).orElseThrow()).isEqualTo(DEVICE_KEY);
            assertThat(store.findItem(ACCOUNT_SECRET).orElseThrow().value()).isEqualTo("account-secret-value");
        }
    }

    @Test
    void rotationWhileOpenIsRejected() {
        try (SqliteCloudStore running = SqliteCloudStore.open(dataDirectory, OLD_KEY)) {
            assertThatThrownBy(() -> KeyRotation.rotate(dataDirectory, OLD_KEY, NEW_KEY))
                    .isInstanceOf(StoreLockedException.class);
        }
    }

    @Test
    void repeatedRotationReportsDone() {
        KeyRotation.rotate(dataDirectory, OLD_KEY, NEW_KEY);

        KeyRotation.Result again = KeyRotation.rotate(dataDirectory, OLD_KEY, NEW_KEY);

        assertThat(again.alreadyRotated()).isTrue();
        try (SqliteCloudStore store = SqliteCloudStore.open(dataDirectory, NEW_KEY)) {
            assertThat(store.findItem(ACCOUNT_SECRET).orElseThrow().value()).isEqualTo("account-secret-value");
        }
    }

    @Test
    void unrelatedKeysAreRejected() {
        MasterKey stranger = keyOf((byte) 0x11);

        assertThatThrownBy(() -> KeyRotation.rotate(dataDirectory, stranger, NEW_KEY))
                .isInstanceOf(MasterKeyMismatchException.class)
                .hasMessageContaining("neither");
        try (SqliteCloudStore store = SqliteCloudStore.open(dataDirectory, OLD_KEY)) {
            assertThat(store.findItem(DEVICE_SECRET).orElseThrow().value()).isEqualTo("device-secret-value");
        }
    }

    @Test
    void missingStoreIsRejected(@TempDir Path empty) {
        assertThatThrownBy(() -> KeyRotation.rotate(empty, OLD_KEY, NEW_KEY))
                .isInstanceOf(StoreAccessException.class)
                .hasMessageContaining("there is no store");
    }

    private void corruptSecret(ItemId id) throws SQLException {
        Path databaseFile = dataDirectory.resolve(SqliteCloudStore.DATABASE_FILE_NAME);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile);
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE item SET secret_sealed = zeroblob(40) WHERE key = ?")) {
            update.setString(1, id.key());
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private static MasterKey keyOf(byte fill) {
        byte[] bytes = new byte[MasterKey.LENGTH];
        Arrays.fill(bytes, fill);
        return MasterKey.of(bytes);
    }
}
