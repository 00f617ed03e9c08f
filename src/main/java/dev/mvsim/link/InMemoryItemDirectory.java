package dev.mvsim.link;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A map-backed {@link ItemDirectory} for tests and demos without the simulated cloud: one set of
 * account items shared by every device, and device items per device SID. Thread-safe.
 */
public final class InMemoryItemDirectory implements ItemDirectory {

    private record Key(String deviceSid, ItemScope scope, ItemStore store, String key) {
    }

    private final Map<Key, byte[]> items = new ConcurrentHashMap<>();

    /** Stores an account item that every device can fetch. */
    public InMemoryItemDirectory putAccountItem(ItemStore store, String key, String value) {
        items.put(new Key("", ItemScope.ACCOUNT, store, key), value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Stores a device item that only the device with this SID can fetch. */
    public InMemoryItemDirectory putDeviceItem(String deviceSid, ItemStore store, String key, String value) {
        items.put(new Key(deviceSid, ItemScope.DEVICE, store, key), value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Removes the item; later fetches of it give KEYNOTFOUND. */
    public void remove(String deviceSid, ItemScope scope, ItemStore store, String key) {
        items.remove(keyOf(deviceSid, new ItemRef(scope, store, key)));
    }

    @Override
    public List<ItemLookup> lookup(String deviceSid, List<ItemRef> refs) {
        List<ItemLookup> results = new ArrayList<>(refs.size());
        for (ItemRef ref : refs) {
            byte[] value = items.get(keyOf(deviceSid, ref));
            results.add(value == null ? ItemLookup.NOT_FOUND : new ItemLookup.Found(value.clone()));
        }
        return results;
    }

    private static Key keyOf(String deviceSid, ItemRef ref) {
        String owner = ref.scope() == ItemScope.DEVICE ? deviceSid : "";
        return new Key(owner, ref.scope(), ref.store(), ref.key());
    }
}
