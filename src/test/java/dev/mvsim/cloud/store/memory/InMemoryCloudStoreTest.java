package dev.mvsim.cloud.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.cloud.store.DeviceRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryCloudStoreTest {

    private static final String ACCOUNT = "AC" + "0".repeat(32);
    private static final String DEVICE = "UV" + "1".repeat(32);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemoryCloudStore store = new InMemoryCloudStore();

    @Test
    void insertRejectsDuplicateKey() {
        ItemId id = ItemId.account(ACCOUNT, ItemStore.CONFIG, "k");

        assertThat(store.insertItem(new StoredItem(id, "first", T0))).isTrue();
        assertThat(store.insertItem(new StoredItem(id, "second", T0))).isFalse();
        assertThat(store.findItem(id).orElseThrow().value()).isEqualTo("first");
    }

    @Test
    void listUpToKeyNearestFirst() {
        for (String key : List.of("a", "b", "c", "d")) {
            store.insertItem(new StoredItem(ItemId.account(ACCOUNT, ItemStore.SECRET, key), "value-" + key, T0));
        }

        List<StoredItem> upToC = store.listItemsUpTo(ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.SECRET, "c", 2, false);
        List<StoredItem> upToBb = store.listItemsUpTo(ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.SECRET, "bb", 5, true);

        assertThat(upToC).extracting(item -> item.id().key()).containsExactly("c", "b");
        assertThat(upToC).extracting(StoredItem::value).containsOnlyNulls();
        assertThat(upToBb).extracting(StoredItem::value).containsExactly("value-b", "value-a");
    }

    @Test
    void listDevicesUpToSidNearestFirst() {
        String first = "UV" + "0".repeat(31) + "1";
        String second = "UV" + "0".repeat(31) + "2";
        store.insertDevice(new DeviceRecord(first, ACCOUNT, null, T0, T0), new byte[] {1});
        store.insertDevice(new DeviceRecord(second, ACCOUNT, null, T0, T0), new byte[] {2});

        assertThat(store.listDevicesUpTo(ACCOUNT, second, 5)).extracting(DeviceRecord::sid).containsExactly(second, first);
        assertThat(store.listDevicesUpTo(ACCOUNT, first, 5)).extracting(DeviceRecord::sid).containsExactly(first);
        assertThat(store.listDevicesUpTo("AC" + "9".repeat(32), second, 5)).isEmpty();
    }

    @Test
    void storesAndScopesAreSeparate() {
        store.insertItem(new StoredItem(ItemId.account(ACCOUNT, ItemStore.CONFIG, "k"), "c", T0));

        assertThat(store.insertItem(new StoredItem(ItemId.account(ACCOUNT, ItemStore.SECRET, "k"), "s", T0))).isTrue();
        assertThat(store.insertItem(new StoredItem(ItemId.device(ACCOUNT, DEVICE, ItemStore.CONFIG, "k"), "d", T0))).isTrue();
        assertThat(store.countItems(ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.CONFIG)).isEqualTo(1);
    }

    @Test
    void updateAndDeleteOfMissingItemReturnFalse() {
        ItemId id = ItemId.account(ACCOUNT, ItemStore.SECRET, "missing");

        assertThat(store.updateItem(new StoredItem(id, "v", T0))).isFalse();
        assertThat(store.deleteItem(id)).isFalse();
        assertThat(store.findItem(id)).isEmpty();
    }

    @Test
    void metadataHasNoValue() {
        ItemId id = ItemId.account(ACCOUNT, ItemStore.SECRET, "k");
        store.insertItem(new StoredItem(id, "hidden", T0));

        assertThat(store.findMetadata(id).orElseThrow().value()).isNull();
        assertThat(store.listItems(ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.SECRET, null, 10, false))
                .singleElement().extracting(StoredItem::value).isNull();
    }

    @Test
    void listPagesByKeyAfterCursor() {
        for (String key : List.of("c", "a", "e", "b", "d")) {
            store.insertItem(new StoredItem(ItemId.account(ACCOUNT, ItemStore.CONFIG, key), key, T0));
        }

        List<StoredItem> first = store.listItems(ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.CONFIG, null, 2, true);
        List<StoredItem> second = store.listItems(ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.CONFIG, "b", 2, true);
        List<StoredItem> last = store.listItems(ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.CONFIG, "d", 2, true);

        assertThat(first).extracting(item -> item.id().key()).containsExactly("a", "b");
        assertThat(second).extracting(item -> item.id().key()).containsExactly("c", "d");
        assertThat(last).extracting(item -> item.id().key()).containsExactly("e");
    }

    @Test
    void deviceNameIsUniquePerAccount() {
        DeviceRecord first = new DeviceRecord(DEVICE, ACCOUNT, "rig", T0, T0);
        DeviceRecord clash = new DeviceRecord("UV" + "2".repeat(32), ACCOUNT, "rig", T0, T0);
        DeviceRecord otherAccount = new DeviceRecord("UV" + "3".repeat(32), "AC" + "9".repeat(32), "rig", T0, T0);

        assertThat(store.insertDevice(first, new byte[32])).isTrue();
        assertThat(store.insertDevice(clash, new byte[32])).isFalse();
        assertThat(store.insertDevice(otherAccount, new byte[32])).isTrue();
        assertThat(store.findDeviceByUniqueName(ACCOUNT, "rig")).contains(first);
    }

    @Test
    void renameFreesOldName() {
        store.insertDevice(new DeviceRecord(DEVICE, ACCOUNT, "old", T0, T0), new byte[32]);

        assertThat(store.updateDevice(new DeviceRecord(DEVICE, ACCOUNT, "new", T0, T0))).isTrue();

        assertThat(store.findDeviceByUniqueName(ACCOUNT, "old")).isEmpty();
        assertThat(store.findDeviceByUniqueName(ACCOUNT, "new")).isPresent();
        assertThat(store.listDevices(ACCOUNT, null, 10)).singleElement()
                .extracting(DeviceRecord::uniqueName).isEqualTo("new");
    }

    @Test
    void deviceKeyIsCopied() {
        byte[] key = new byte[32];
        store.insertDevice(new DeviceRecord(DEVICE, ACCOUNT, null, T0, T0), key);
        key[0] = 7;

        byte[] stored = store.deviceKey(DEVICE).orElseThrow();
        stored[1] = 9;

        assertThat(store.deviceKey(DEVICE).orElseThrow()).containsOnly(0);
    }

    @Test
    void concurrentInsertsOfOneKeyHaveOneWinner() throws Exception {
        ItemId id = ItemId.account(ACCOUNT, ItemStore.SECRET, "race");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = pool.invokeAll(List.of(
                    () -> store.insertItem(new StoredItem(id, "a", T0)),
                    () -> store.insertItem(new StoredItem(id, "b", T0)),
                    () -> store.insertItem(new StoredItem(id, "c", T0)),
                    () -> store.insertItem(new StoredItem(id, "d", T0))));

            long winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get(5, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
