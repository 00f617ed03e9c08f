package dev.mvsim.cloud.store.memory;

import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.CloudStore;
import dev.mvsim.cloud.store.DeviceRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link CloudStore} in memory, for tests and throwaway simulators: nothing survives
 * {@link #close()} or the process. Item operations are lock-free; device writes take one lock,
 * because a device and its unique name must change together. Creating one costs a few small maps.
 */
public final class InMemoryCloudStore implements CloudStore {

    /** One store and scope: an account's configs, or one device's secrets, and so on. */
    private record Bucket(String accountSid, ItemScope scope, String deviceSid, ItemStore store) {
        static Bucket of(ItemId id) {
            return new Bucket(id.accountSid(), id.scope(), id.deviceSid(), id.store());
        }
    }

    private record UniqueName(String accountSid, String name) {}

    private final ConcurrentSkipListMap<String, AccountRecord> accounts = new ConcurrentSkipListMap<>();

    private final Object deviceLock = new Object();
    private final ConcurrentHashMap<String, DeviceRecord> devices = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, NavigableMap<String, DeviceRecord>> devicesByAccount =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UniqueName, String> deviceSidsByName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, byte[]> deviceKeys = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<Bucket, ConcurrentSkipListMap<String, StoredItem>> items =
            new ConcurrentHashMap<>();

    @Override
    public boolean insertAccount(AccountRecord account) {
        return accounts.putIfAbsent(account.sid(), account) == null;
    }

    @Override
    public Optional<AccountRecord> findAccount(String accountSid) {
        return Optional.ofNullable(accounts.get(accountSid));
    }

    @Override
    public List<AccountRecord> listAccounts() {
        return List.copyOf(accounts.values());
    }

    @Override
    public boolean insertDevice(DeviceRecord device, byte[] deviceKey) {
        synchronized (deviceLock) {
            if (devices.containsKey(device.sid())) {
                return false;
            }
            UniqueName name = nameOf(device);
            if (name != null && deviceSidsByName.containsKey(name)) {
                return false;
            }

            devices.put(device.sid(), device);
            devicesByAccount.computeIfAbsent(device.accountSid(), sid -> new ConcurrentSkipListMap<>())
                    .put(device.sid(), device);
            if (name != null) {
                deviceSidsByName.put(name, device.sid());
            }
            deviceKeys.put(device.sid(), deviceKey.clone());
            return true;
        }
    }

    @Override
    public Optional<DeviceRecord> findDevice(String deviceSid) {
        return Optional.ofNullable(devices.get(deviceSid));
    }

    @Override
    public Optional<DeviceRecord> findDeviceByUniqueName(String accountSid, String uniqueName) {
        String sid = deviceSidsByName.get(new UniqueName(accountSid, uniqueName));
        return sid == null ? Optional.empty() : findDevice(sid);
    }

    @Override
    public boolean updateDevice(DeviceRecord device) {
        synchronized (deviceLock) {
            DeviceRecord old = devices.get(device.sid());
            if (old == null || !old.accountSid().equals(device.accountSid())) {
                return false;
            }
            UniqueName newName = nameOf(device);
            if (newName != null) {
                String holder = deviceSidsByName.get(newName);
                if (holder != null && !holder.equals(device.sid())) {
                    return false;
                }
            }

            UniqueName oldName = nameOf(old);
            if (oldName != null) {
                deviceSidsByName.remove(oldName);
            }
            if (newName != null) {
                deviceSidsByName.put(newName, device.sid());
            }
            devices.put(device.sid(), device);
            devicesByAccount.get(device.accountSid()).put(device.sid(), device);
            return true;
        }
    }

    @Override
    public List<DeviceRecord> listDevices(String accountSid, String afterSid, int limit) {
        NavigableMap<String, DeviceRecord> ofAccount = devicesByAccount.get(accountSid);
        if (ofAccount == null) {
            return List.of();
        }
        NavigableMap<String, DeviceRecord> rest = afterSid == null ? ofAccount : ofAccount.tailMap(afterSid, false);
        return firstValues(rest, limit);
    }

    @Override
    public List<DeviceRecord> listDevicesUpTo(String accountSid, String upToSid, int limit) {
        NavigableMap<String, DeviceRecord> ofAccount = devicesByAccount.get(accountSid);
        if (ofAccount == null) {
            return List.of();
        }
        return firstValues(ofAccount.headMap(upToSid, true).descendingMap(), limit);
    }

    @Override
    public Optional<byte[]> deviceKey(String deviceSid) {
        byte[] key = deviceKeys.get(deviceSid);
        return key == null ? Optional.empty() : Optional.of(key.clone());
    }

    @Override
    public boolean insertItem(StoredItem item) {
        return bucket(item.id()).putIfAbsent(item.id().key(), item) == null;
    }

    @Override
    public boolean updateItem(StoredItem item) {
        ConcurrentSkipListMap<String, StoredItem> bucket = items.get(Bucket.of(item.id()));
        return bucket != null && bucket.replace(item.id().key(), item) != null;
    }

    @Override
    public boolean deleteItem(ItemId id) {
        ConcurrentSkipListMap<String, StoredItem> bucket = items.get(Bucket.of(id));
        return bucket != null && bucket.remove(id.key()) != null;
    }

    @Override
    public Optional<StoredItem> findItem(ItemId id) {
        ConcurrentSkipListMap<String, StoredItem> bucket = items.get(Bucket.of(id));
        return bucket == null ? Optional.empty() : Optional.ofNullable(bucket.get(id.key()));
    }

    @Override
    public Optional<StoredItem> findMetadata(ItemId id) {
        return findItem(id).map(InMemoryCloudStore::withoutValue);
    }

    @Override
    public List<StoredItem> listItems(
            String accountSid, ItemScope scope, String deviceSid, ItemStore store,
            String afterKey, int limit, boolean withValues) {
        ConcurrentSkipListMap<String, StoredItem> bucket = items.get(new Bucket(accountSid, scope, deviceSid, store));
        if (bucket == null) {
            return List.of();
        }
        NavigableMap<String, StoredItem> rest = afterKey == null ? bucket : bucket.tailMap(afterKey, false);
        List<StoredItem> page = firstValues(rest, limit);
        if (withValues) {
            return page;
        }
        return page.stream().map(InMemoryCloudStore::withoutValue).toList();
    }

    @Override
    public List<StoredItem> listItemsUpTo(
            String accountSid, ItemScope scope, String deviceSid, ItemStore store,
            String upToKey, int limit, boolean withValues) {
        ConcurrentSkipListMap<String, StoredItem> bucket = items.get(new Bucket(accountSid, scope, deviceSid, store));
        if (bucket == null) {
            return List.of();
        }
        List<StoredItem> page = firstValues(bucket.headMap(upToKey, true).descendingMap(), limit);
        if (withValues) {
            return page;
        }
        return page.stream().map(InMemoryCloudStore::withoutValue).toList();
    }

    @Override
    public long countItems(String accountSid, ItemScope scope, String deviceSid, ItemStore store) {
        ConcurrentSkipListMap<String, StoredItem> bucket = items.get(new Bucket(accountSid, scope, deviceSid, store));
        return bucket == null ? 0 : bucket.size();
    }

    /** Drops everything held. */
    @Override
    public void close() {
        items.clear();
        synchronized (deviceLock) {
            devices.clear();
            devicesByAccount.clear();
            deviceSidsByName.clear();
            deviceKeys.clear();
        }
        accounts.clear();
    }

    private ConcurrentSkipListMap<String, StoredItem> bucket(ItemId id) {
        return items.computeIfAbsent(Bucket.of(id), b -> new ConcurrentSkipListMap<>());
    }

    private static UniqueName nameOf(DeviceRecord device) {
        return device.uniqueName() == null ? null : new UniqueName(device.accountSid(), device.uniqueName());
    }

    private static StoredItem withoutValue(StoredItem item) {
        return item.value() == null ? item : new StoredItem(item.id(), null, item.dateUpdated());
    }

    private static <T> List<T> firstValues(Map<String, T> map, int limit) {
        List<T> result = new ArrayList<>(Math.min(limit, 64));
        for (T value : map.values()) {
            if (result.size() >= limit) {
                break;
            }
            result.add(value);
        }
        return result;
    }
}
