package dev.mvsim.cloud.store;

import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.util.List;
import java.util.Optional;

/**
 * Persistence for the simulated cloud: accounts, devices with their bridge keys, and the four
 * item stores (account and device scope, configs and secrets). Implementations are thread-safe.
 * A write that has returned is durable for the durable implementations; a reader never sees a
 * half-applied update.
 *
 * <p>Validation of keys, values and SIDs happens above this interface; the store enforces only
 * uniqueness.
 */
public interface CloudStore extends AutoCloseable {

    /** Inserts an account; returns false, changing nothing, when the SID exists already. */
    boolean insertAccount(AccountRecord account);

    Optional<AccountRecord> findAccount(String accountSid);

    /** Returns every account, ordered by SID. */
    List<AccountRecord> listAccounts();

    /**
     * Inserts a device with its bridge key; returns false, changing nothing, when the SID exists
     * already or the unique name is taken within the account.
     */
    boolean insertDevice(DeviceRecord device, byte[] deviceKey);

    Optional<DeviceRecord> findDevice(String deviceSid);

    Optional<DeviceRecord> findDeviceByUniqueName(String accountSid, String uniqueName);

    /**
     * Replaces a device's unique name and {@code dateUpdated}; returns false when the device does
     * not exist or the name is taken by another device of the account.
     */
    boolean updateDevice(DeviceRecord device);

    /** Returns up to {@code limit} devices of the account with SIDs after {@code afterSid} (null: from the start), by SID. */
    List<DeviceRecord> listDevices(String accountSid, String afterSid, int limit);

    /**
     * Returns up to {@code limit} devices of the account with SIDs at or before {@code upToSid},
     * nearest first (descending by SID). The REST API reads previous pages with it.
     */
    List<DeviceRecord> listDevicesUpTo(String accountSid, String upToSid, int limit);

    /** Returns the device's bridge key, or empty when the device does not exist. */
    Optional<byte[]> deviceKey(String deviceSid);

    /** Inserts an item; returns false, changing nothing, when the key exists in that store and scope. */
    boolean insertItem(StoredItem item);

    /** Replaces an existing item's value and date; returns false when it does not exist. */
    boolean updateItem(StoredItem item);

    /** Deletes an item; returns false when it did not exist. */
    boolean deleteItem(ItemId id);

    /** Returns the item with its value (decrypted, for a secret), or empty when it does not exist. */
    Optional<StoredItem> findItem(ItemId id);

    /** Returns the item with a null value, without decrypting anything. */
    Optional<StoredItem> findMetadata(ItemId id);

    /**
     * Returns up to {@code limit} items of one store and scope with keys after {@code afterKey}
     * (null: from the start), ordered by key. Values are included only when {@code withValues}
     * is true; the REST API never asks for secret values.
     */
    List<StoredItem> listItems(
            String accountSid, ItemScope scope, String deviceSid, ItemStore store,
            String afterKey, int limit, boolean withValues);

    /**
     * Returns up to {@code limit} items of one store and scope with keys at or before
     * {@code upToKey}, nearest first (descending by key). Values as in {@link #listItems}.
     */
    List<StoredItem> listItemsUpTo(
            String accountSid, ItemScope scope, String deviceSid, ItemStore store,
            String upToKey, int limit, boolean withValues);

    /** Counts the items of one store and scope. */
    long countItems(String accountSid, ItemScope scope, String deviceSid, ItemStore store);

    /**
     * Returns a 32-byte key for signing page tokens that stays the same for as long as the
     * stored data does, so that a token from before a restart still opens its page. Stores that
     * do not outlive the process return empty, and the REST server then signs with a random key.
     */
    default Optional<byte[]> pageTokenKey() {
        return Optional.empty();
    }

    /** Releases connections and files. Writes that returned before are already durable. */
    @Override
    void close();
}
