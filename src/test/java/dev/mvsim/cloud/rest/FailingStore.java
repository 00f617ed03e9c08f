package dev.mvsim.cloud.rest;

import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.CloudStore;
import dev.mvsim.cloud.store.DeviceRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.cloud.store.memory.InMemoryCloudStore;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.util.List;
import java.util.Optional;

/**
 * An in-memory store whose item reads and writes fail for one key, to drive the server's
 * error paths. Reports itself as blocking, so requests also take the worker-thread path.
 */
final class FailingStore implements CloudStore {

    private final InMemoryCloudStore delegate = new InMemoryCloudStore();
    private final String failingKey;

    FailingStore(String failingKey) {
        this.failingKey = failingKey;
    }

    private void failFor(ItemId id) {
        if (id.key().equals(failingKey)) {
            throw new IllegalStateException("simulated store failure for key " + id.key());
        }
    }

    @Override
    public boolean insertAccount(AccountRecord account) {
        return delegate.insertAccount(account);
    }

    @Override
    public Optional<AccountRecord> findAccount(String accountSid) {
        return delegate.findAccount(accountSid);
    }

    @Override
    public List<AccountRecord> listAccounts() {
        return delegate.listAccounts();
    }

    @Override
    public boolean insertDevice(DeviceRecord device, byte[] deviceKey) {
        return delegate.insertDevice(device, deviceKey);
    }

    @Override
    public Optional<DeviceRecord> findDevice(String deviceSid) {
        return delegate.findDevice(deviceSid);
    }

    @Override
    public Optional<DeviceRecord> findDeviceByUniqueName(String accountSid, String uniqueName) {
        return delegate.findDeviceByUniqueName(accountSid, uniqueName);
    }

    @Override
    public boolean updateDevice(DeviceRecord device) {
        return delegate.updateDevice(device);
    }

    @Override
    public List<DeviceRecord> listDevices(String accountSid, String afterSid, int limit) {
        return delegate.listDevices(accountSid, afterSid, limit);
    }

    @Override
    public List<DeviceRecord> listDevicesUpTo(String accountSid, String upToSid, int limit) {
        return delegate.listDevicesUpTo(accountSid, upToSid, limit);
    }

    @Override
    public Optional<byte[]> deviceKey(String deviceSid) {
        return delegate.deviceKey(deviceSid);
    }

    @Override
    public boolean insertItem(StoredItem item) {
        failFor(item.id());
        return delegate.insertItem(item);
    }

    @Override
    public boolean updateItem(StoredItem item) {
        failFor(item.id());
        return delegate.updateItem(item);
    }

    @Override
    public boolean deleteItem(ItemId id) {
        failFor(id);
        return delegate.deleteItem(id);
    }

    @Override
    public Optional<StoredItem> findItem(ItemId id) {
        failFor(id);
        return delegate.findItem(id);
    }

    @Override
    public Optional<StoredItem> findMetadata(ItemId id) {
        failFor(id);
        return delegate.findMetadata(id);
    }

    @Override
    public List<StoredItem> listItems(
            String accountSid, ItemScope scope, String deviceSid, ItemStore store,
            String afterKey, int limit, boolean withValues) {
        return delegate.listItems(accountSid, scope, deviceSid, store, afterKey, limit, withValues);
    }

    @Override
    public List<StoredItem> listItemsUpTo(
            String accountSid, ItemScope scope, String deviceSid, ItemStore store,
            String upToKey, int limit, boolean withValues) {
        return delegate.listItemsUpTo(accountSid, scope, deviceSid, store, upToKey, limit, withValues);
    }

    @Override
    public long countItems(String accountSid, ItemScope scope, String deviceSid, ItemStore store) {
        return delegate.countItems(accountSid, scope, deviceSid, store);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
