package dev.mvsim.cloud.store.sqlite;

import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.crypto.MasterKey;
import dev.mvsim.cloud.store.crypto.MasterKeyMismatchException;
import dev.mvsim.cloud.store.crypto.MasterKeySource;
import dev.mvsim.cloud.store.crypto.SecretCipher;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-seals every sealed column of a closed store (auth tokens, device bridge keys, secret values
 * and the key check) under a new master key, in one SQLite transaction. A crash or failure before
 * the commit leaves every row sealed under the old key. After the commit, every row is sealed
 * under the new one. The store's lock keeps {@code serve} out for the whole rotation.
 */
public final class KeyRotation {

    /** Outcome of a rotation: the rows re-sealed, or none when the store was already under the new key. */
    public record Result(int accounts, int devices, int secrets, boolean alreadyRotated) {}

    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

    private KeyRotation() {}

    /**
     * Re-seals the store in {@code dataDirectory} from {@code oldKey} to {@code newKey}. When the
     * store already matches {@code newKey}, because an earlier rotation committed and then
     * stopped before its key file was replaced, it changes nothing and reports that in the result.
     *
     * @throws MasterKeyMismatchException when the store matches neither key
     * @throws StoreLockedException when a server or another rotation has the store open
     * @throws StoreAccessException when the directory holds no store or SQLite fails
     */
    public static Result rotate(Path dataDirectory, MasterKey oldKey, MasterKey newKey) {
        return rotate(dataDirectory, oldKey, newKey, () -> { });
    }

    /**
     * Rotates like {@link #rotate(Path, MasterKey, MasterKey)}, then runs {@code afterCommit}
     * while the store is still locked, so that no server opens the store between the commit and
     * the step that puts the new key where the server looks for it.
     */
    public static Result rotate(Path dataDirectory, MasterKey oldKey, MasterKey newKey, Runnable afterCommit) {
        Objects.requireNonNull(oldKey, "oldKey");
        Objects.requireNonNull(newKey, "newKey");
        Path databaseFile = dataDirectory.resolve(SqliteCloudStore.DATABASE_FILE_NAME);
        if (!Files.isRegularFile(databaseFile)) {
            throw new StoreAccessException("there is no store in " + dataDirectory.toAbsolutePath()
                    + ": " + SqliteCloudStore.DATABASE_FILE_NAME + " is missing");
        }
        if (oldKey.equals(newKey)) {
            throw new IllegalArgumentException("the new master key equals the old one");
        }

        String databaseName = databaseFile.toString();
        SecureRandom random = new SecureRandom();
        RecordSealer oldSealer = new RecordSealer(new SecretCipher(oldKey, random));
        RecordSealer newSealer = new RecordSealer(new SecretCipher(newKey, random));

        try (StoreLock lock = StoreLock.acquire(dataDirectory);
                StatementCache connection = new StatementCache(
                        new ConnectionFactory(databaseFile, Synchronous.FULL).openWriter())) {
            Schema.migrate(connection.connection(), databaseName);
            byte[] keyCheck = readKeyCheck(connection);
            if (keyCheck != null && newSealer.matchesKeyCheck(keyCheck)) {
                connection.connection().rollback();
                afterCommit.run();
                return new Result(0, 0, 0, true);
            }
            if (keyCheck != null && !oldSealer.matchesKeyCheck(keyCheck)) {
                connection.connection().rollback();
                throw new MasterKeyMismatchException("neither the master key from " + oldKey.source()
                        + " nor the new key from " + newKey.source() + " matches the store " + databaseName
                        + "; set " + MasterKeySource.ENVIRONMENT_VARIABLE + " or the "
                        + MasterKeySource.KEY_FILE_NAME + " file to the key the store was sealed with");
            }

            Result result = reseal(connection, oldSealer, newSealer);
            connection.connection().commit();
            afterCommit.run();
            log.info("Re-sealed store {} under a new master key: {} accounts, {} devices, {} secrets",
                    databaseName, result.accounts(), result.devices(), result.secrets());
            return result;
        } catch (SQLException e) {
            // Closing the connection without a commit rolls the transaction back.
            throw new StoreAccessException("failed to rotate the master key of " + databaseName + ": "
                    + e.getMessage() + "; the store is still sealed under the old key", e);
        }
    }

    private static byte[] readKeyCheck(StatementCache connection) throws SQLException {
        PreparedStatement find = connection.prepare("SELECT value FROM store_metadata WHERE name = ?");
        find.setString(1, KeyCheck.NAME);
        try (ResultSet result = find.executeQuery()) {
            return result.next() ? result.getBytes(1) : null;
        }
    }

    /** Re-seals every row in the open transaction; a row that fails to decrypt aborts the whole rotation. */
    private static Result reseal(StatementCache connection, RecordSealer oldSealer, RecordSealer newSealer)
            throws SQLException {
        int accounts = 0;
        for (Object[] row : readAll(connection, "SELECT sid, auth_token_sealed FROM account")) {
            String sid = (String) row[0];
            String token = oldSealer.openAuthToken(sid, (byte[]) row[1]);
            update(connection, "UPDATE account SET auth_token_sealed = ? WHERE sid = ?",
                    newSealer.sealAuthToken(sid, token), sid);
            accounts++;
        }

        int devices = 0;
        for (Object[] row : readAll(connection, "SELECT sid, account_sid, device_key_sealed FROM device")) {
            String sid = (String) row[0];
            String accountSid = (String) row[1];
            byte[] deviceKey = oldSealer.openDeviceKey(sid, accountSid, (byte[]) row[2]);
            try {
                update(connection, "UPDATE device SET device_key_sealed = ? WHERE sid = ?",
                        newSealer.sealDeviceKey(sid, accountSid, deviceKey), sid);
            } finally {
                Arrays.fill(deviceKey, (byte) 0);
            }
            devices++;
        }

        int secrets = 0;
        for (Object[] row : readAll(connection, "SELECT rowid, account_sid, scope, device_sid, key, secret_sealed"
                + " FROM item WHERE store = 'SECRET'")) {
            ItemScope scope = ItemScope.valueOf((String) row[2]);
            String deviceSid = scope == ItemScope.DEVICE ? (String) row[3] : null;
            ItemId id = new ItemId((String) row[1], scope, deviceSid, ItemStore.SECRET, (String) row[4]);
            String value = oldSealer.openSecret(id, (byte[]) row[5]);
            update(connection, "UPDATE item SET secret_sealed = ? WHERE rowid = ?", newSealer.sealSecret(id, value), row[0]);
            secrets++;
        }

        update(connection, "INSERT OR REPLACE INTO store_metadata (name, value) VALUES (?, ?)",
                KeyCheck.NAME, newSealer.sealKeyCheck());
        return new Result(accounts, devices, secrets, false);
    }

    /** Reads every row first, so that no update runs while a query still walks the same table. */
    private static List<Object[]> readAll(StatementCache connection, String sql) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        PreparedStatement query = connection.prepare(sql);
        try (ResultSet result = query.executeQuery()) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = result.getObject(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static void update(StatementCache connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepare(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        statement.executeUpdate();
    }
}
