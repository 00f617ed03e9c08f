package dev.mvsim.cloud;

import dev.mvsim.cloud.store.CloudStore;
import dev.mvsim.cloud.store.DeviceRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.link.ItemDirectory;
import dev.mvsim.link.ItemLookup;
import dev.mvsim.link.ItemRef;
import dev.mvsim.link.ItemScope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's view of the cloud: its own device-scope items and its account's account-scope
 * items. Every item of a device the cloud does not know gets {@link ItemLookup.ServerError}.
 */
final class CloudItemDirectory implements ItemDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(CloudItemDirectory.class);

    private final CloudStore store;

    CloudItemDirectory(CloudStore store) {
        this.store = store;
    }

    @Override
    public List<ItemLookup> lookup(String deviceSid, List<ItemRef> items) {
        Optional<DeviceRecord> device = Sids.isDeviceSid(deviceSid)
                ? store.findDevice(Sids.normalise(deviceSid))
                : Optional.empty();

        List<ItemLookup> results = new ArrayList<>(items.size());
        for (ItemRef ref : items) {
            if (device.isEmpty()) {
                results.add(new ItemLookup.ServerError("device " + deviceSid + " is not registered"));
            } else {
                results.add(lookupOne(device.get(), ref));
            }
        }
        return results;
    }

    private ItemLookup lookupOne(DeviceRecord device, ItemRef ref) {
        ItemId id = ref.scope() == ItemScope.ACCOUNT
                ? ItemId.account(device.accountSid(), ref.store(), ref.key())
                : ItemId.device(device.accountSid(), device.sid(), ref.store(), ref.key());
        try {
            Optional<StoredItem> item = store.findItem(id);
            if (item.isEmpty()) {
                return ItemLookup.NOT_FOUND;
            }
            return new ItemLookup.Found(item.get().value().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warn("Store lookup failed for device {}, {} {} key {}; the device gets SERVERERROR",
                    device.sid(), ref.scope(), ref.store(), ref.key(), e);
            return new ItemLookup.ServerError("store lookup failed: " + e.getClass().getSimpleName());
        }
    }
}
