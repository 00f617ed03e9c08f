package dev.mvsim.cloud.store.sqlite;

import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.CloudStore;
import dev.mvsim.cloud.store.DeviceRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.cloud.store.crypto.KernelRandom;
import dev.mvsim.cloud.store.crypto.MasterKey;
import dev.mvsim.cloud.store.crypto.MasterKeySource;
import dev.mvsim.cloud.store.crypto.SecretCipher;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable {@link CloudStore}: one SQLite database in WAL mode inside a data directory, with
 * secret values, device bridge keys and account auth tokens sealed with AES-256-GCM under a
 * master key. Configs are stored in plaintext, since the REST API returns them anyway.
 *
 * <p>Writes go through one connection on one thread with group commit. Reads use a pool of
 * connections and, in WAL mode, never wait for writes. Each read is a single SQL statement, so it sees one
 * committed state: an updated secret is wholly old or wholly new.
 */
public final class SqliteCloudStore implements CloudStore {

    /** File name of the database inside the data directory; SQLite adds -wal and -shm next to it. */
    public static final String DATABASE_FILE_NAME = "mvsim.db";

    private static final Logger log = LoggerFactory.getLogger(SqliteCloudStore.class);

    /**
     * Purpose of the subkey that signs page tokens. Deriving it from the master key keeps tokens
     * valid across restarts without storing another secret. A new master key invalidates them.
     */
    private static final String PAGE_TOKEN_KEY_PURPOSE = "page-token";

    private final String databaseName;
    private final RecordSealer sealer;
    private final GroupCommitWriter writer;
    private final ReadConnectionPool readers;
    private final StoreLock lock;
    private final byte[] pageTokenKey;

    private SqliteCloudStore(String databaseName, RecordSealer sealer, GroupCommitWriter writer,
            ReadConnectionPool readers, StoreLock lock, byte[] pageTokenKey) {
        this.databaseName = databaseName;
        this.pageTokenKey = pageTokenKey;
        this.sealer = sealer;
        this.writer = writer;
        this.readers = readers;
        this.lock = lock;
    }

    /**
     * Opens the store in {@code dataDirectory} with default options, creating the directory, the
     * database and, unless {@value MasterKeySource#ENVIRONMENT_VARIABLE} is set, the key file.
     */
    public static SqliteCloudStore open(Path dataDirectory) {
        return open(dataDirectory, SqliteStoreOptions.defaults());
    }

    /** Opens the store with the master key from the process environment or the key file. */
    public static SqliteCloudStore open(Path dataDirectory, SqliteStoreOptions options) {
        return open(dataDirectory, System.getenv(), options);
    }

    /**
     * Opens the store with the master key from {@code environment}'s
     * {@value MasterKeySource#ENVIRONMENT_VARIABLE}, or else the key file.
     */
    public static SqliteCloudStore open(
            Path dataDirectory, Map<String, String> environment, SqliteStoreOptions options) {
        SecureRandom random = KernelRandom.create();
        DataDirectory.create(dataDirectory);
        MasterKey masterKey = MasterKeySource.resolve(dataDirectory, environment, random);
        return open(dataDirectory, masterKey, options, random);
    }

    /** Opens the store with an explicit master key; neither environment nor key file is read. */
    public static SqliteCloudStore open(Path dataDirectory, MasterKey masterKey) {
        return open(dataDirectory, masterKey, SqliteStoreOptions.defaults());
    }

    /** Opens the store with an explicit master key and options. */
    public static SqliteCloudStore open(
            Path dataDirectory, MasterKey masterKey, SqliteStoreOptions options) {
        return open(dataDirectory, masterKey, options, KernelRandom.create());
    }

    private static SqliteCloudStore open(Path dataDirectory, MasterKey masterKey,
            SqliteStoreOptions options, SecureRandom random) {
        Objects.requireNonNull(masterKey, "masterKey");
        Objects.requireNonNull(options, "options");
        DataDirectory.create(dataDirectory);
        StoreLock lock = StoreLock.acquire(dataDirectory);
        try {
            return openLocked(dataDirectory, masterKey, options, random, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static SqliteCloudStore openLocked(Path dataDirectory, MasterKey masterKey,
            SqliteStoreOptions options, SecureRandom random, StoreLock lock) {
        Path databaseFile = dataDirectory.resolve(DATABASE_FILE_NAME);
        DataDirectory.createDatabaseFile(databaseFile);
        String databaseName = databaseFile.toString();
        RecordSealer sealer = new RecordSealer(new SecretCipher(masterKey, random));
        ConnectionFactory connections = new ConnectionFactory(databaseFile, options.synchronous());

        StatementCache writerConnection = null;
        GroupCommitWriter writer = null;
        try {
            writerConnection = new StatementCache(connections.openWriter());
            Schema.migrate(writerConnection.connection(), databaseName);
            KeyCheck.verifyOrRecord(writerConnection, sealer, databaseName, masterKey.source());

            writer = new GroupCommitWriter(writerConnection, options.maxBatchSize(), databaseName);
            ReadConnectionPool readers =
                    new ReadConnectionPool(connections, options.readConnections(), databaseName);

            log.info("Opened store {} (schema version {}, synchronous {}, {} read connections)",
                    databaseName, Schema.CURRENT_VERSION, options.synchronous(),
                    options.readConnections());
            return new SqliteCloudStore(databaseName, sealer, writer, readers, lock,
                    masterKey.deriveSubkey(PAGE_TOKEN_KEY_PURPOSE));
        } catch (SQLException e) {
            closeAfterFailedOpen(writer, writerConnection, e);
            throw new StoreAccessException("failed to open store " + databaseName + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAfterFailedOpen(writer, writerConnection, e);
            throw e;
        }
    }

    private static void closeAfterFailedOpen(
            GroupCommitWriter writer, StatementCache writerConnection, Exception failure) {
        try {
            if (writer != null) {
                writer.close();
            } else if (writerConnection != null) {
                writerConnection.close();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public Optional<byte[]> pageTokenKey() {
        return Optional.of(pageTokenKey.clone());
    }

    // ---- accounts

    @Override
    public boolean insertAccount(AccountRecord account) {
        Objects.requireNonNull(account, "account");
        byte[] sealed = sealer.sealAuthToken(account.sid(), account.authToken());
        return writer.write(() -> "insert account " + account.sid(),
                connection -> AccountTable.insert(connection, account.sid(), sealed));
    }

    @Override
    public Optional<AccountRecord> findAccount(String accountSid) {
        Objects.requireNonNull(accountSid, "accountSid");
        return readers.read(() -> "find account " + accountSid,
                        connection -> AccountTable.find(connection, accountSid))
                .map(this::openAccount);
    }

    @Override
    public List<AccountRecord> listAccounts() {
        List<AccountTable.Row> rows = readers.read(() -> "list accounts", AccountTable::list);
        List<AccountRecord> accounts = new ArrayList<>(rows.size());
        for (AccountTable.Row row : rows) {
            accounts.add(openAccount(row));
        }
        return accounts;
    }

    private AccountRecord openAccount(AccountTable.Row row) {
        return new AccountRecord(row.sid(), sealer.openAuthToken(row.sid(), row.authTokenSealed()));
    }

    // ---- devices

    @Override
    public boolean insertDevice(DeviceRecord device, byte[] deviceKey) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(deviceKey, "deviceKey");
        byte[] sealed = sealer.sealDeviceKey(device.sid(), device.accountSid(), deviceKey);
        return writer.write(() -> "insert device " + device.sid(),
                connection -> DeviceTable.insert(connection, device, sealed));
    }

    @Override
    public Optional<DeviceRecord> findDevice(String deviceSid) {
        Objects.requireNonNull(deviceSid, "deviceSid");
        return readers.read(() -> "find device " + deviceSid,
                connection -> DeviceTable.find(connection, deviceSid));
    }

    @Override
    public Optional<DeviceRecord> findDeviceByUniqueName(String accountSid, String uniqueName) {
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(uniqueName, "uniqueName");
        return readers.read(() -> "find device named " + uniqueName + " in account " + accountSid,
                connection -> DeviceTable.findByUniqueName(connection, accountSid, uniqueName));
    }

    @Override
    public boolean updateDevice(DeviceRecord device) {
        Objects.requireNonNull(device, "device");
        return writer.write(() -> "update device " + device.sid(),
                connection -> DeviceTable.update(connection, device));
    }

    @Override
    public List<DeviceRecord> listDevices(String accountSid, String afterSid, int limit) {
        Objects.requireNonNull(accountSid, "accountSid");
        checkLimit(limit);
        return readers.read(() -> "list devices of account " + accountSid,
                connection -> DeviceTable.list(connection, accountSid, afterSid, limit));
    }

    @Override
    public List<DeviceRecord> listDevicesUpTo(String accountSid, String upToSid, int limit) {
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(upToSid, "upToSid");
        checkLimit(limit);
        return readers.read(() -> "list devices of account " + accountSid + " up to " + upToSid,
                connection -> DeviceTable.listUpTo(connection, accountSid, upToSid, limit));
    }

    @Override
    public Optional<byte[]> deviceKey(String deviceSid) {
        Objects.requireNonNull(deviceSid, "deviceSid");
        return readers.read(() -> "read the key of device " + deviceSid,
                        connection -> DeviceTable.findKey(connection, deviceSid))
                .map(key -> sealer.openDeviceKey(deviceSid, key.accountSid(), key.sealed()));
    }

    // ---- configs and secrets

    @Override
    public boolean insertItem(StoredItem item) {
        Objects.requireNonNull(item, "item");
        ItemId id = item.id();
        String configValue = configValue(item);
        byte[] secretSealed = sealedSecret(item);
        long dateUpdated = Timestamps.toColumn(item.dateUpdated());
        return writer.write(() -> "insert " + RecordSealer.describe(id),
                connection -> ItemTable.insert(connection, id, configValue, secretSealed, dateUpdated));
    }

    @Override
    public boolean updateItem(StoredItem item) {
        Objects.requireNonNull(item, "item");
        ItemId id = item.id();
        String configValue = configValue(item);
        byte[] secretSealed = sealedSecret(item);
        long dateUpdated = Timestamps.toColumn(item.dateUpdated());
        return writer.write(() -> "update " + RecordSealer.describe(id),
                connection -> ItemTable.update(connection, id, configValue, secretSealed, dateUpdated));
    }

    @Override
    public boolean deleteItem(ItemId id) {
        Objects.requireNonNull(id, "id");
        return writer.write(() -> "delete " + RecordSealer.describe(id),
                connection -> ItemTable.delete(connection, id));
    }

    @Override
    public Optional<StoredItem> findItem(ItemId id) {
        Objects.requireNonNull(id, "id");
        return readers.read(() -> "find " + RecordSealer.describe(id),
                        connection -> ItemTable.find(connection, id, true))
                .map(row -> toItem(id, row));
    }

    @Override
    public Optional<StoredItem> findMetadata(ItemId id) {
        Objects.requireNonNull(id, "id");
        return readers.read(() -> "find " + RecordSealer.describe(id),
                        connection -> ItemTable.find(connection, id, false))
                .map(row -> toItem(id, row));
    }

    @Override
    public List<StoredItem> listItems(String accountSid, ItemScope scope, String deviceSid,
            ItemStore store, String afterKey, int limit, boolean withValues) {
        checkScope(accountSid, scope, deviceSid, store);
        checkLimit(limit);
        List<ItemTable.Row> rows = readers.read(
                () -> "list " + store + " items of account " + accountSid
                        + (deviceSid == null ? "" : ", device " + deviceSid),
                connection -> ItemTable.list(connection, accountSid, scope, deviceSid, store,
                        afterKey, limit, withValues));

        List<StoredItem> items = new ArrayList<>(rows.size());
        for (ItemTable.Row row : rows) {
            items.add(toItem(new ItemId(accountSid, scope, deviceSid, store, row.key()), row));
        }
        return items;
    }

    @Override
    public List<StoredItem> listItemsUpTo(String accountSid, ItemScope scope, String deviceSid,
            ItemStore store, String upToKey, int limit, boolean withValues) {
        checkScope(accountSid, scope, deviceSid, store);
        checkLimit(limit);
        Objects.requireNonNull(upToKey, "upToKey");
        List<ItemTable.Row> rows = readers.read(
                () -> "list " + store + " items of account " + accountSid
                        + (deviceSid == null ? "" : ", device " + deviceSid) + " up to a key",
                connection -> ItemTable.listUpTo(connection, accountSid, scope, deviceSid, store,
                        upToKey, limit, withValues));

        List<StoredItem> items = new ArrayList<>(rows.size());
        for (ItemTable.Row row : rows) {
            items.add(toItem(new ItemId(accountSid, scope, deviceSid, store, row.key()), row));
        }
        return items;
    }

    @Override
    public long countItems(String accountSid, ItemScope scope, String deviceSid, ItemStore store) {
        checkScope(accountSid, scope, deviceSid, store);
        return readers.read(
                () -> "count " + store + " items of account " + accountSid
                        + (deviceSid == null ? "" : ", device " + deviceSid),
                connection -> ItemTable.count(connection, accountSid, scope, deviceSid, store));
    }

    private static String configValue(StoredItem item) {
        if (item.id().store() != ItemStore.CONFIG) {
            return null;
        }
        return Objects.requireNonNull(item.value(), "value of a config to write");
    }

    private byte[] sealedSecret(StoredItem item) {
        if (item.id().store() != ItemStore.SECRET) {
            return null;
        }
        Objects.requireNonNull(item.value(), "value of a secret to write");
        return sealer.sealSecret(item.id(), item.value());
    }

    /** Builds the item from a row, decrypting a secret's value when the row carries one. */
    private StoredItem toItem(ItemId id, ItemTable.Row row) {
        String value = row.secretSealed() != null
                ? sealer.openSecret(id, row.secretSealed())
                : row.configValue();
        return new StoredItem(id, value, Timestamps.fromColumn(row.dateUpdated()));
    }

    private static void checkScope(
            String accountSid, ItemScope scope, String deviceSid, ItemStore store) {
        // The ItemId constructor rejects a device SID that does not fit the scope.
        new ItemId(accountSid, scope, deviceSid, store, "");
    }

    private static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
    }

    @Override
    public void close() {
        SQLException failure = null;
        try {
            writer.close();
        } catch (SQLException e) {
            failure = e;
        }
        try {
            readers.close();
        } catch (SQLException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        lock.close();

        if (failure != null) {
            throw new StoreAccessException("failed to close store " + databaseName + ": "
                    + failure.getMessage(), failure);
        }
        log.info("Closed store {}", databaseName);
    }

    @Override
    public String toString() {
        return "SqliteCloudStore[" + databaseName + "]";
    }
}
