package dev.mvsim.cloud;

import dev.mvsim.cloud.rest.RestServer;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.CloudStore;
import dev.mvsim.cloud.store.DeviceRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.cloud.store.memory.InMemoryCloudStore;
import dev.mvsim.cloud.store.sqlite.SqliteCloudStore;
import dev.mvsim.link.DeviceKeys;
import dev.mvsim.link.ItemDirectory;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The simulated Microvisor cloud: accounts, devices and their configs and secrets, with the
 * checks of the vendor's REST API, over a {@link CloudStore}. Devices reach it through
 * {@link #itemDirectory()}, operators through {@link #startRest} or the Java methods here.
 * Thread-safe.
 */
public final class SimulatedCloud implements AutoCloseable {

    /** Length of a device's bridge key in bytes. */
    public static final int DEVICE_KEY_BYTES = 32;

    /** Bytes of a random page-token key, for stores that offer none. */
    private static final int PAGE_TOKEN_KEY_BYTES = 32;

    private final CloudStore store;
    private final Clock clock;
    private final boolean storeBlocks;
    private final ItemDirectory itemDirectory;
    private final List<RestServer> restServers = new CopyOnWriteArrayList<>();

    // Accounts never change once created, so authentication can skip the store after the first
    // lookup. This matters for stores that query a database on every call.
    private final ConcurrentHashMap<String, AccountRecord> accountCache = new ConcurrentHashMap<>();

    private SimulatedCloud(CloudStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.storeBlocks = !(store instanceof InMemoryCloudStore);
        this.itemDirectory = new CloudItemDirectory(store);
    }

    /** Creates a cloud on a new {@link InMemoryCloudStore} and the system clock. */
    public static SimulatedCloud inMemory() {
        return new SimulatedCloud(new InMemoryCloudStore(), Clock.systemUTC());
    }

    /**
     * Opens a cloud on the durable SQLite store in {@code dataDirectory}, creating the directory,
     * the database and the master key file when they do not exist yet.
     */
    public static SimulatedCloud open(Path dataDirectory) {
        return new SimulatedCloud(SqliteCloudStore.open(dataDirectory), Clock.systemUTC());
    }

    /** Creates a cloud on the given store, which {@link #close()} closes. */
    public static SimulatedCloud open(CloudStore store) {
        return new SimulatedCloud(store, Clock.systemUTC());
    }

    /** Creates a cloud on the given store whose item and device dates come from {@code clock}. */
    public static SimulatedCloud open(CloudStore store, Clock clock) {
        return new SimulatedCloud(store, clock);
    }

    // ---- accounts ----

    /** Creates an account with a random SID and auth token. */
    public AccountRecord createAccount() {
        AccountRecord account = new AccountRecord(Sids.newAccountSid(), Sids.newAuthToken());
        if (!store.insertAccount(account)) {
            throw new IllegalStateException("Random account SID " + account.sid() + " exists already");
        }
        return account;
    }

    /**
     * Creates an account with the given credentials, for rigs that fix them in advance. Returns
     * the existing account when one with that SID and token exists already.
     *
     * @throws CloudException.InvalidParameter when the SID is not {@code AC} and 32 hex digits or
     *     the token is empty
     * @throws CloudException.Conflict when the SID exists with another token
     */
    public AccountRecord createAccount(String sid, String authToken) {
        if (!Sids.isAccountSid(sid)) {
            throw new CloudException.InvalidParameter("AccountSid",
                    "Account SID '" + sid + "' is invalid; it must be AC followed by 32 hex digits");
        }
        if (authToken == null || authToken.isBlank()) {
            throw new CloudException.InvalidParameter("AuthToken",
                    "Auth token for account " + sid + " is missing or blank");
        }

        AccountRecord account = new AccountRecord(Sids.normalise(sid), authToken);
        if (store.insertAccount(account)) {
            return account;
        }
        AccountRecord existing = store.findAccount(account.sid()).orElseThrow();
        if (!tokensEqual(existing.authToken(), authToken)) {
            throw new CloudException.Conflict("Account " + account.sid()
                    + " exists already with another auth token; use that token or another SID");
        }
        return existing;
    }

    /** Returns the account when the SID and token match one, or empty otherwise. */
    public Optional<AccountRecord> authenticate(String accountSid, String authToken) {
        if (!Sids.isAccountSid(accountSid) || authToken == null) {
            return Optional.empty();
        }
        accountSid = Sids.normalise(accountSid);
        AccountRecord account = accountCache.get(accountSid);
        if (account == null) {
            account = store.findAccount(accountSid).orElse(null);
            if (account == null) {
                return Optional.empty();
            }
            accountCache.put(accountSid, account);
        }
        return tokensEqual(account.authToken(), authToken) ? Optional.of(account) : Optional.empty();
    }

    // ---- devices ----

    /**
     * Registers a new device in the account with a random SID and bridge key.
     *
     * @param uniqueName the device's unique name, or null for none
     * @throws CloudException.NotFound when the account does not exist
     * @throws CloudException.Conflict when another device of the account has that unique name
     */
    public RegisteredDevice registerDevice(String accountSid, String uniqueName) {
        requireAccount(accountSid);
        if (uniqueName != null) {
            ItemRules.checkUniqueName("UniqueName", uniqueName);
        }

        Instant now = now();
        DeviceRecord device = new DeviceRecord(Sids.newDeviceSid(), accountSid, uniqueName, now, now);
        byte[] key = Sids.randomBytes(DEVICE_KEY_BYTES);
        if (!store.insertDevice(device, key)) {
            throw uniqueNameTaken(accountSid, uniqueName);
        }
        return new RegisteredDevice(device, key);
    }

    /**
     * Finds a device of the account by SID or unique name. A device of another account is not
     * found.
     */
    public Optional<DeviceRecord> findDevice(String accountSid, String sidOrUniqueName) {
        Optional<DeviceRecord> device = Sids.isDeviceSid(sidOrUniqueName)
                ? store.findDevice(Sids.normalise(sidOrUniqueName))
                : store.findDeviceByUniqueName(accountSid, sidOrUniqueName);
        return device.filter(d -> d.accountSid().equals(accountSid));
    }

    /** Returns up to {@code limit} devices of the account after {@code afterSid} (null: from the start), by SID. */
    public List<DeviceRecord> listDevices(String accountSid, String afterSid, int limit) {
        return store.listDevices(accountSid, afterSid, limit);
    }

    /** Returns up to {@code limit} devices of the account at or before {@code upToSid}, nearest first. */
    public List<DeviceRecord> listDevicesUpTo(String accountSid, String upToSid, int limit) {
        return store.listDevicesUpTo(accountSid, upToSid, limit);
    }

    /**
     * Sets a device's unique name.
     *
     * @throws CloudException.NotFound when the account has no such device
     * @throws CloudException.Conflict when another device of the account has that name
     */
    public DeviceRecord renameDevice(String accountSid, String sidOrUniqueName, String uniqueName) {
        ItemRules.checkUniqueName("UniqueName", uniqueName);
        DeviceRecord device = requireDevice(accountSid, sidOrUniqueName);

        DeviceRecord renamed = new DeviceRecord(
                device.sid(), device.accountSid(), uniqueName, device.dateCreated(), now());
        if (!store.updateDevice(renamed)) {
            throw uniqueNameTaken(accountSid, uniqueName);
        }
        return renamed;
    }

    // ---- items ----

    /**
     * Creates a config or secret.
     *
     * @throws CloudException.InvalidParameter when the key or value breaks {@link ItemRules}
     * @throws CloudException.NotFound when the account or device does not exist
     * @throws CloudException.Conflict when the key exists in that store and scope
     */
    public StoredItem createItem(ItemId id, String value) {
        ItemRules.checkKey("Key", id.key());
        ItemRules.checkValue("Value", value);
        requireOwner(id);

        StoredItem item = new StoredItem(id, value, now());
        if (!store.insertItem(item)) {
            throw new CloudException.Conflict(describe(id) + " exists already; update it with"
                    + " POST to its own URL, or delete it first");
        }
        return metadataOf(item);
    }

    /**
     * Replaces the value of an existing config or secret and moves its date. Returns the item
     * without its value.
     *
     * @throws CloudException.NotFound when the item, account or device does not exist
     */
    public StoredItem updateItem(ItemId id, String value) {
        ItemRules.checkValue("Value", value);
        requireOwner(id);

        StoredItem item = new StoredItem(id, value, now());
        if (!store.updateItem(item)) {
            throw notFound(id);
        }
        return metadataOf(item);
    }

    /** Deletes a config or secret; throws {@link CloudException.NotFound} when it does not exist. */
    public void deleteItem(ItemId id) {
        requireOwner(id);
        if (!store.deleteItem(id)) {
            throw notFound(id);
        }
    }

    /** Finds an item with its value, which for a secret only devices and tests may see. */
    public Optional<StoredItem> findItem(ItemId id) {
        return store.findItem(id);
    }

    /** Finds an item without its value. */
    public Optional<StoredItem> findMetadata(ItemId id) {
        return store.findMetadata(id);
    }

    /**
     * Returns up to {@code limit} items of one store and scope with keys after {@code afterKey}
     * (null: from the start), ordered by key. Secrets never carry values here.
     */
    public List<StoredItem> listItems(
            String accountSid, ItemScope scope, String deviceSid, ItemStore itemStore, String afterKey, int limit) {
        boolean withValues = itemStore == ItemStore.CONFIG;
        return store.listItems(accountSid, scope, deviceSid, itemStore, afterKey, limit, withValues);
    }

    /** Returns up to {@code limit} items at or before {@code upToKey}, nearest first, as {@link #listItems} does. */
    public List<StoredItem> listItemsUpTo(
            String accountSid, ItemScope scope, String deviceSid, ItemStore itemStore, String upToKey, int limit) {
        boolean withValues = itemStore == ItemStore.CONFIG;
        return store.listItemsUpTo(accountSid, scope, deviceSid, itemStore, upToKey, limit, withValues);
    }

    // ---- links and servers ----

    /** Returns the directory through which device kernels fetch configs and secrets. */
    public ItemDirectory itemDirectory() {
        return itemDirectory;
    }

    /** Returns the bridge keys of registered devices. */
    public DeviceKeys deviceKeys() {
        return store::deviceKey;
    }

    /**
     * Starts the REST API on {@code bind} (port 0 picks a free port).
     *
     * @param publicBaseUrl the scheme, host and port that resource URLs start with, or null to use
     *     {@code http://} and the bound address
     */
    public RestServer startRest(InetSocketAddress bind, URI publicBaseUrl) {
        RestServer server = RestServer.start(this, bind, publicBaseUrl, restServers::remove);
        restServers.add(server);
        return server;
    }

    /**
     * Tells whether store calls may block on I/O, in which case the REST API runs them on worker
     * threads instead of its I/O threads.
     */
    /**
     * Returns the key that signs page tokens: the store's, when it outlives the process, so that
     * tokens survive a restart; otherwise a fresh random key.
     */
    public byte[] pageTokenKey() {
        return store.pageTokenKey().orElseGet(() -> Sids.randomBytes(PAGE_TOKEN_KEY_BYTES));
    }

    public boolean storeBlocks() {
        return storeBlocks;
    }

    /** Returns the current time, truncated to the second as the REST API shows it. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Stops every REST server this cloud started, then closes the store. */
    @Override
    public void close() {
        for (RestServer server : restServers) {
            server.close();
        }
        store.close();
    }

    // ---- helpers ----

    private void requireAccount(String accountSid) {
        if (store.findAccount(accountSid).isEmpty()) {
            throw new CloudException.NotFound("Account " + accountSid + " was not found");
        }
    }

    private DeviceRecord requireDevice(String accountSid, String sidOrUniqueName) {
        return findDevice(accountSid, sidOrUniqueName).orElseThrow(() -> new CloudException.NotFound(
                "Device " + sidOrUniqueName + " was not found in account " + accountSid));
    }

    /** Checks that the item's account exists and, for device scope, that the device is the account's. */
    private void requireOwner(ItemId id) {
        if (id.scope() == ItemScope.DEVICE) {
            Optional<DeviceRecord> device = store.findDevice(id.deviceSid());
            if (device.isEmpty() || !device.get().accountSid().equals(id.accountSid())) {
                throw new CloudException.NotFound(
                        "Device " + id.deviceSid() + " was not found in account " + id.accountSid());
            }
        } else {
            requireAccount(id.accountSid());
        }
    }

    private CloudException.Conflict uniqueNameTaken(String accountSid, String uniqueName) {
        return new CloudException.Conflict("UniqueName '" + uniqueName
                + "' is taken by another device of account " + accountSid + "; choose another name");
    }

    private static CloudException.NotFound notFound(ItemId id) {
        return new CloudException.NotFound(describe(id) + " was not found");
    }

    private static String describe(ItemId id) {
        String kind = id.store() == ItemStore.CONFIG ? "Config" : "Secret";
        String owner = id.scope() == ItemScope.DEVICE ? " of device " + id.deviceSid() : "";
        return kind + " with Key '" + id.key() + "'" + owner;
    }

    private static StoredItem metadataOf(StoredItem item) {
        return item.id().store() == ItemStore.SECRET ? new StoredItem(item.id(), null, item.dateUpdated()) : item;
    }

    private static boolean tokensEqual(String expected, String actual) {
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }
}
