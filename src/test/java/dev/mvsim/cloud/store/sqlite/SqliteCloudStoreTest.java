package dev.mvsim.cloud.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.CloudStore;
import dev.mvsim.cloud.store.CloudStoreContract;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.cloud.store.crypto.DecryptionFailedException;
import dev.mvsim.cloud.store.crypto.MasterKeyMismatchException;
import dev.mvsim.cloud.store.crypto.MasterKey;
import dev.mvsim.cloud.store.crypto.MasterKeySource;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteCloudStoreTest extends CloudStoreContract {

    static final MasterKey TEST_KEY = MasterKey.of(HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

    @TempDir
    Path dataDirectory;

    @Override
    protected CloudStore newStore() {
        return SqliteCloudStore.open(dataDirectory, TEST_KEY);
    }

    private void reopen() {
        store.close();
        store = newStore();
    }

    private Path databaseFile() {
        return dataDirectory.resolve(SqliteCloudStore.DATABASE_FILE_NAME);
    }

    /** Runs SQL on the database file directly, with the store closed, as an attacker or older version would. */
    private void runRawSql(String... statements) throws SQLException {
        store.close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
        store = newStore();
    }

    @Test
    void itemsSurviveReopen() {
        ItemId secret = ItemId.device(ACCOUNT, DEVICE, ItemStore.SECRET, "token");
        ItemId config = ItemId.account(ACCOUNT, ItemStore.CONFIG, "endpoint");
        store.insertAccount(new AccountRecord(ACCOUNT, "auth-token"));
        store.insertDevice(device(DEVICE, ACCOUNT, "bench"), new byte[] {4, 5, 6});
        store.insertItem(item(secret, "s3cr3t"));
        store.insertItem(item(config, "https://example.test"));

        reopen();

        assertThat(store.findAccount(ACCOUNT).orElseThrow().authToken()).isEqualTo("auth-token");
        assertThat(store.findDevice(DEVICE).orElseThrow().uniqueName()).isEqualTo("bench");
        assertThat(store.deviceKey(DEVICE).orElseThrow()).containsExactly(4, 5, 6);
        assertThat(store.findItem(secret).orElseThrow().value()).isEqualTo("s3cr3t");
        assertThat(store.findItem(config).orElseThrow().value()).isEqualTo("https://example.test");
    }

    @Test
    void datesKeepNanoseconds() {
        ItemId config = ItemId.account(ACCOUNT, ItemStore.CONFIG, "k");
        Instant precise = Instant.parse("2026-03-04T05:06:07.123456789Z");
        store.insertItem(new StoredItem(config, "v", precise));

        reopen();

        assertThat(store.findMetadata(config).orElseThrow().dateUpdated()).isEqualTo(precise);
    }

    @Test
    void deviceKeyCopiedInAndOut() {
        byte[] key = {1, 2, 3};
        store.insertDevice(device(DEVICE, ACCOUNT, null), key);

        key[0] = 99;
        store.deviceKey(DEVICE).orElseThrow()[1] = 99;

        assertThat(store.deviceKey(DEVICE).orElseThrow()).containsExactly(1, 2, 3);
    }

    @Test
    void newerSchemaRejected() throws SQLException {
        store.close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile());
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version = 99");
        }

        assertThatThrownBy(this::newStore)
                .isInstanceOf(SchemaVersionException.class)
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("up to " + Schema.CURRENT_VERSION);

        store = newStoreAfterFixingVersion();
    }

    private CloudStore newStoreAfterFixingVersion() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile());
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version = " + Schema.CURRENT_VERSION);
        }
        return newStore();
    }

    @Test
    void schemaVersionRecorded() throws SQLException {
        store.close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile());
                Statement statement = connection.createStatement()) {
            var version = statement.executeQuery("PRAGMA user_version");
            assertThat(version.getInt(1)).isEqualTo(Schema.CURRENT_VERSION);
            var applicationId = statement.executeQuery("PRAGMA application_id");
            assertThat(applicationId.getInt(1)).isEqualTo(Schema.APPLICATION_ID);
        }
        store = newStore();
    }

    @Test
    void foreignDatabaseRejected(@TempDir Path otherDirectory) throws SQLException {
        Path foreign = otherDirectory.resolve(SqliteCloudStore.DATABASE_FILE_NAME);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + foreign);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE notes (body TEXT)");
        }

        assertThatThrownBy(() -> SqliteCloudStore.open(otherDirectory, TEST_KEY))
                .isInstanceOf(SchemaVersionException.class)
                .hasMessageContaining("is not an mvsim store");
    }

    @Test
    void wrongMasterKeyRejectedAtOpen() {
        store.insertItem(item(ItemId.account(ACCOUNT, ItemStore.SECRET, "k"), "s3cr3t"));
        store.close();
        byte[] otherBytes = new byte[MasterKey.LENGTH];
        Arrays.fill(otherBytes, (byte) 7);

        assertThatThrownBy(() -> SqliteCloudStore.open(dataDirectory, MasterKey.of(otherBytes)))
                .isInstanceOf(MasterKeyMismatchException.class)
                .hasMessageContaining("does not match")
                .hasMessageContaining("the key passed to the store")
                .hasMessageContaining("MVSIM_MASTER_KEY");

        store = newStore();
    }

    @Test
    void tamperedSecretFailsClearly() throws SQLException {
        ItemId id = ItemId.account(ACCOUNT, ItemStore.SECRET, "api-key");
        store.insertItem(item(id, "s3cr3t-value"));

        // Flips the last byte, which is part of the GCM tag.
        runRawSql("UPDATE item SET secret_sealed = substr(secret_sealed, 1, length(secret_sealed) - 1)"
                + " || CAST(char((unicode(CAST(substr(secret_sealed, -1) AS TEXT)) + 1) % 128) AS BLOB)"
                + " WHERE key = 'api-key'");

        assertThatThrownBy(() -> store.findItem(id))
                .isInstanceOf(DecryptionFailedException.class)
                .hasMessageContaining("'api-key'")
                .hasMessageContaining(ACCOUNT)
                .hasMessageNotContaining("s3cr3t-value");
    }

    @Test
    void tamperedSecretStillListsMetadata() throws SQLException {
        ItemId id = ItemId.account(ACCOUNT, ItemStore.SECRET, "api-key");
        store.insertItem(item(id, "s3cr3t-value"));

        runRawSql("UPDATE item SET secret_sealed = zeroblob(40) WHERE key = 'api-key'");

        assertThat(store.findMetadata(id)).isPresent();
        assertThat(store.listItems(ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.SECRET, null, 10, false))
                .hasSize(1);
        assertThatThrownBy(() -> store.findItem(id)).isInstanceOf(DecryptionFailedException.class);
    }

    @Test
    void secretMovedToOtherKeyFails() throws SQLException {
        ItemId original = ItemId.device(ACCOUNT, DEVICE, ItemStore.SECRET, "mine");
        store.insertItem(item(original, "s3cr3t-value"));

        runRawSql("UPDATE item SET key = 'stolen' WHERE key = 'mine'");

        ItemId moved = ItemId.device(ACCOUNT, DEVICE, ItemStore.SECRET, "stolen");
        assertThatThrownBy(() -> store.findItem(moved))
                .isInstanceOf(DecryptionFailedException.class)
                .hasMessageContaining("'stolen'")
                .hasMessageNotContaining("s3cr3t-value");
    }

    @Test
    void secretCopiedToOtherDeviceFails() throws SQLException {
        ItemId original = ItemId.device(ACCOUNT, DEVICE, ItemStore.SECRET, "api-key");
        store.insertItem(item(original, "s3cr3t-value"));

        runRawSql("INSERT INTO item (account_sid, scope, device_sid, store, key, config_value,"
                + " secret_sealed, date_updated) SELECT account_sid, scope, '" + OTHER_DEVICE
                + "', store, key, config_value, secret_sealed, date_updated FROM item");

        ItemId copy = ItemId.device(ACCOUNT, OTHER_DEVICE, ItemStore.SECRET, "api-key");
        assertThatThrownBy(() -> store.findItem(copy))
                .isInstanceOf(DecryptionFailedException.class)
                .hasMessageContaining(OTHER_DEVICE);
        assertThat(store.findItem(original).orElseThrow().value()).isEqualTo("s3cr3t-value");
    }

    @Test
    void deviceKeyMovedToOtherDeviceFails() throws SQLException {
        store.insertDevice(device(DEVICE, ACCOUNT, null), new byte[] {1, 2, 3});
        store.insertDevice(device(OTHER_DEVICE, ACCOUNT, null), new byte[] {4, 5, 6});

        runRawSql("UPDATE device SET device_key_sealed = (SELECT device_key_sealed FROM device"
                + " WHERE sid = '" + DEVICE + "') WHERE sid = '" + OTHER_DEVICE + "'");

        assertThatThrownBy(() -> store.deviceKey(OTHER_DEVICE))
                .isInstanceOf(DecryptionFailedException.class)
                .hasMessageContaining(OTHER_DEVICE);
    }

    @Test
    void authTokenMovedToOtherAccountFails() throws SQLException {
        store.insertAccount(new AccountRecord(ACCOUNT, "token-1"));
        store.insertAccount(new AccountRecord(OTHER_ACCOUNT, "token-2"));

        runRawSql("UPDATE account SET auth_token_sealed = (SELECT auth_token_sealed FROM account"
                + " WHERE sid = '" + ACCOUNT + "') WHERE sid = '" + OTHER_ACCOUNT + "'");

        assertThatThrownBy(() -> store.findAccount(OTHER_ACCOUNT))
                .isInstanceOf(DecryptionFailedException.class)
                .hasMessageContaining(OTHER_ACCOUNT)
                .hasMessageNotContaining("token-1");
    }

    @Test
    void nothingSecretInDataFiles(@TempDir Path directory) throws Exception {
        String secretValue = "ZQX-distinctive-secret-7731";
        String rotatedValue = "ZQX-rotated-secret-9904";
        String authToken = "ZQX-auth-token-5120";
        String deviceKey = "ZQX-device-key-8841";
        ItemId id = ItemId.device(ACCOUNT, DEVICE, ItemStore.SECRET, "api-key");
        MasterKey keyFromFile = MasterKeySource.resolve(directory, Map.of(), new SecureRandom());

        try (SqliteCloudStore keyFileStore = SqliteCloudStore.open(directory, keyFromFile)) {
            keyFileStore.insertAccount(new AccountRecord(ACCOUNT, authToken));
            keyFileStore.insertDevice(device(DEVICE, ACCOUNT, null),
                    deviceKey.getBytes(StandardCharsets.UTF_8));
            keyFileStore.insertItem(item(id, secretValue));
            keyFileStore.updateItem(new StoredItem(id, rotatedValue, LATER));
            keyFileStore.insertItem(
                    item(ItemId.account(ACCOUNT, ItemStore.SECRET, "long"), secretValue.repeat(100)));

            // While the store is open, the writes sit in the -wal file.
            assertThat(directory.resolve(SqliteCloudStore.DATABASE_FILE_NAME + "-wal")).exists();
            assertThat(directory.resolve(SqliteCloudStore.DATABASE_FILE_NAME + "-shm")).exists();
            assertThat(directory.resolve(MasterKeySource.KEY_FILE_NAME)).exists();
            DataFiles.assertNoneContain(directory, secretValue, rotatedValue, authToken, deviceKey);
        }

        // After close they are checkpointed into the database file.
        DataFiles.assertNoneContain(directory, secretValue, rotatedValue, authToken, deviceKey);
        try (SqliteCloudStore reopened = SqliteCloudStore.open(directory, keyFromFile)) {
            assertThat(reopened.findItem(id).orElseThrow().value()).isEqualTo(rotatedValue);
        }
    }

    @Test
    void dataFilesOwnerOnly() throws Exception {
        store.insertItem(item(ItemId.account(ACCOUNT, ItemStore.CONFIG, "k"), "v"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(databaseFile())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dataDirectory.resolve(SqliteCloudStore.DATABASE_FILE_NAME + "-wal"))))
                .isEqualTo("rw-------");
    }

    @Test
    void newDataDirectoryOwnerOnly() throws Exception {
        Path nested = dataDirectory.resolve("nested");

        SqliteCloudStore.open(nested, TEST_KEY).close();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)))
                .isEqualTo("rwx------");
    }

    @Test
    void writeAfterCloseRejected() {
        store.close();

        assertThatThrownBy(() -> store.insertItem(item(ItemId.account(ACCOUNT, ItemStore.CONFIG, "k"), "v")))
                .isInstanceOf(StoreAccessException.class)
                .hasMessageContaining("is closed");

        store = newStore();
    }

    @Test
    void toStringShowsOnlyPath() {
        assertThat(store.toString()).contains(SqliteCloudStore.DATABASE_FILE_NAME);
        assertThat(store.toString()).doesNotContain(TEST_KEY.toHex());
    }
}
