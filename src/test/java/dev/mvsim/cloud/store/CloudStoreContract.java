package dev.mvsim.cloud.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CloudStore} promises. An implementation's test extends this class
 * and supplies a fresh, empty store from {@link #newStore()}.
 */
public abstract class CloudStoreContract {

    protected static final String ACCOUNT = "AC" + "0".repeat(31) + "1";
    protected static final String OTHER_ACCOUNT = "AC" + "0".repeat(31) + "2";
    protected static final String DEVICE = "UV" + "0".repeat(31) + "1";
    protected static final String OTHER_DEVICE = "UV" + "0".repeat(31) + "2";

    protected static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
    protected static final Instant LATER = Instant.parse("2026-02-03T04:05:06Z");

    protected CloudStore store;

    /** Returns a new, empty store; it is closed after each test. */
    protected abstract CloudStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static DeviceRecord device(String sid, String accountSid, String uniqueName) {
        return new DeviceRecord(sid, accountSid, uniqueName, CREATED, CREATED);
    }

    protected static String deviceSid(int n) {
        return String.format("UV%032x", n);
    }

    protected static StoredItem item(ItemId id, String value) {
        return new StoredItem(id, value, CREATED);
    }

    private static List<String> keys(List<StoredItem> items) {
        return items.stream().map(item -> item.id().key()).toList();
    }

    @Nested
    class Accounts {

        @Test
        void insertThenFind() {
            assertThat(store.insertAccount(new AccountRecord(ACCOUNT, "token-1"))).isTrue();

            Optional<AccountRecord> found = store.findAccount(ACCOUNT);

            assertThat(found).isPresent();
            assertThat(found.get().sid()).isEqualTo(ACCOUNT);
            assertThat(found.get().authToken()).isEqualTo("token-1");
        }

        @Test
        void duplicateSidRejected() {
            store.insertAccount(new AccountRecord(ACCOUNT, "token-1"));

            assertThat(store.insertAccount(new AccountRecord(ACCOUNT, "token-2"))).isFalse();
            assertThat(store.findAccount(ACCOUNT).orElseThrow().authToken()).isEqualTo("token-1");
        }

        @Test
        void unknownAccountIsEmpty() {
            assertThat(store.findAccount(ACCOUNT)).isEmpty();
        }

        @Test
        void listOrderedBySid() {
            store.insertAccount(new AccountRecord(OTHER_ACCOUNT, "token-2"));
            store.insertAccount(new AccountRecord(ACCOUNT, "token-1"));

            List<AccountRecord> accounts = store.listAccounts();

            assertThat(accounts).extracting(AccountRecord::sid).containsExactly(ACCOUNT, OTHER_ACCOUNT);
            assertThat(accounts).extracting(AccountRecord::authToken)
                    .containsExactly("token-1", "token-2");
        }

        @Test
        void listEmptyStore() {
            assertThat(store.listAccounts()).isEmpty();
        }
    }

    @Nested
    class Devices {

        @Test
        void insertThenFind() {
            DeviceRecord device = device(DEVICE, ACCOUNT, "bench-1");

            assertThat(store.insertDevice(device, new byte[] {1, 2, 3})).isTrue();

            assertThat(store.findDevice(DEVICE)).contains(device);
            assertThat(store.findDevice(OTHER_DEVICE)).isEmpty();
        }

        @Test
        void insertWithoutName() {
            DeviceRecord device = device(DEVICE, ACCOUNT, null);

            assertThat(store.insertDevice(device, new byte[] {1})).isTrue();

            assertThat(store.findDevice(DEVICE)).contains(device);
        }

        @Test
        void duplicateSidRejected() {
            store.insertDevice(device(DEVICE, ACCOUNT, "first"), new byte[] {1});

            assertThat(store.insertDevice(device(DEVICE, ACCOUNT, "second"), new byte[] {2})).isFalse();
            assertThat(store.findDevice(DEVICE).orElseThrow().uniqueName()).isEqualTo("first");
            assertThat(store.deviceKey(DEVICE).orElseThrow()).containsExactly(1);
        }

        @Test
        void nameTakenInAccountRejected() {
            store.insertDevice(device(DEVICE, ACCOUNT, "bench"), new byte[] {1});

            assertThat(store.insertDevice(device(OTHER_DEVICE, ACCOUNT, "bench"), new byte[] {2}))
                    .isFalse();
            assertThat(store.findDevice(OTHER_DEVICE)).isEmpty();
        }

        @Test
        void sameNameInOtherAccountAllowed() {
            store.insertDevice(device(DEVICE, ACCOUNT, "bench"), new byte[] {1});

            assertThat(store.insertDevice(device(OTHER_DEVICE, OTHER_ACCOUNT, "bench"), new byte[] {2}))
                    .isTrue();
            assertThat(store.findDeviceByUniqueName(OTHER_ACCOUNT, "bench").orElseThrow().sid())
                    .isEqualTo(OTHER_DEVICE);
        }

        @Test
        void manyDevicesWithoutName() {
            assertThat(store.insertDevice(device(DEVICE, ACCOUNT, null), new byte[] {1})).isTrue();
            assertThat(store.insertDevice(device(OTHER_DEVICE, ACCOUNT, null), new byte[] {2})).isTrue();
        }

        @Test
        void findByUniqueNameWithinAccount() {
            store.insertDevice(device(DEVICE, ACCOUNT, "bench"), new byte[] {1});

            assertThat(store.findDeviceByUniqueName(ACCOUNT, "bench").orElseThrow().sid())
                    .isEqualTo(DEVICE);
            assertThat(store.findDeviceByUniqueName(OTHER_ACCOUNT, "bench")).isEmpty();
            assertThat(store.findDeviceByUniqueName(ACCOUNT, "other")).isEmpty();
        }

        @Test
        void updateRenames() {
            store.insertDevice(device(DEVICE, ACCOUNT, "old"), new byte[] {1});
            DeviceRecord renamed = new DeviceRecord(DEVICE, ACCOUNT, "new", CREATED, LATER);

            assertThat(store.updateDevice(renamed)).isTrue();

            assertThat(store.findDevice(DEVICE)).contains(renamed);
            assertThat(store.findDeviceByUniqueName(ACCOUNT, "old")).isEmpty();
            assertThat(store.findDeviceByUniqueName(ACCOUNT, "new").orElseThrow().sid())
                    .isEqualTo(DEVICE);
        }

        @Test
        void updateClearsName() {
            store.insertDevice(device(DEVICE, ACCOUNT, "old"), new byte[] {1});

            assertThat(store.updateDevice(new DeviceRecord(DEVICE, ACCOUNT, null, CREATED, LATER)))
                    .isTrue();

            assertThat(store.findDevice(DEVICE).orElseThrow().uniqueName()).isNull();
        }

        @Test
        void updateToOwnNameAllowed() {
            store.insertDevice(device(DEVICE, ACCOUNT, "same"), new byte[] {1});

            assertThat(store.updateDevice(new DeviceRecord(DEVICE, ACCOUNT, "same", CREATED, LATER)))
                    .isTrue();

            assertThat(store.findDevice(DEVICE).orElseThrow().dateUpdated()).isEqualTo(LATER);
        }

        @Test
        void updateToTakenNameRejected() {
            store.insertDevice(device(DEVICE, ACCOUNT, "first"), new byte[] {1});
            store.insertDevice(device(OTHER_DEVICE, ACCOUNT, "second"), new byte[] {2});

            boolean updated =
                    store.updateDevice(new DeviceRecord(OTHER_DEVICE, ACCOUNT, "first", CREATED, LATER));

            assertThat(updated).isFalse();
            DeviceRecord unchanged = store.findDevice(OTHER_DEVICE).orElseThrow();
            assertThat(unchanged.uniqueName()).isEqualTo("second");
            assertThat(unchanged.dateUpdated()).isEqualTo(CREATED);
        }

        @Test
        void updateUnknownDeviceRejected() {
            assertThat(store.updateDevice(device(DEVICE, ACCOUNT, "name"))).isFalse();
            assertThat(store.findDevice(DEVICE)).isEmpty();
        }

        @Test
        void listPagesBySid() {
            for (int n = 5; n >= 1; n--) {
                store.insertDevice(device(deviceSid(n), ACCOUNT, null), new byte[] {(byte) n});
            }
            store.insertDevice(device(deviceSid(9), OTHER_ACCOUNT, null), new byte[] {9});

            List<DeviceRecord> firstPage = store.listDevices(ACCOUNT, null, 2);
            List<DeviceRecord> secondPage = store.listDevices(ACCOUNT, deviceSid(2), 2);
            List<DeviceRecord> lastPage = store.listDevices(ACCOUNT, deviceSid(4), 2);
            List<DeviceRecord> pastEnd = store.listDevices(ACCOUNT, deviceSid(5), 2);

            assertThat(firstPage).extracting(DeviceRecord::sid).containsExactly(deviceSid(1), deviceSid(2));
            assertThat(secondPage).extracting(DeviceRecord::sid).containsExactly(deviceSid(3), deviceSid(4));
            assertThat(lastPage).extracting(DeviceRecord::sid).containsExactly(deviceSid(5));
            assertThat(pastEnd).isEmpty();
        }

        @Test
        void listUpToSidNearestFirst() {
            for (int n = 1; n <= 5; n++) {
                store.insertDevice(device(deviceSid(n), ACCOUNT, null), new byte[] {(byte) n});
            }
            store.insertDevice(device(deviceSid(3 + 16), OTHER_ACCOUNT, null), new byte[] {9});

            List<DeviceRecord> upToFour = store.listDevicesUpTo(ACCOUNT, deviceSid(4), 2);
            List<DeviceRecord> upToOne = store.listDevicesUpTo(ACCOUNT, deviceSid(1), 2);
            List<DeviceRecord> beforeAll = store.listDevicesUpTo(ACCOUNT, deviceSid(0), 2);

            assertThat(upToFour).extracting(DeviceRecord::sid).containsExactly(deviceSid(4), deviceSid(3));
            assertThat(upToOne).extracting(DeviceRecord::sid).containsExactly(deviceSid(1));
            assertThat(beforeAll).isEmpty();
        }

        @Test
        void listLimitZeroIsEmpty() {
            store.insertDevice(device(DEVICE, ACCOUNT, null), new byte[] {1});

            assertThat(store.listDevices(ACCOUNT, null, 0)).isEmpty();
        }

        @Test
        void keyRoundTrips() {
            byte[] key = new byte[32];
            for (int i = 0; i < key.length; i++) {
                key[i] = (byte) (i * 7 - 100);
            }
            store.insertDevice(device(DEVICE, ACCOUNT, null), key);

            assertThat(store.deviceKey(DEVICE).orElseThrow()).containsExactly(key);
            assertThat(store.deviceKey(OTHER_DEVICE)).isEmpty();
        }
    }

    @Nested
    class Items {

        private final ItemId accountSecret = ItemId.account(ACCOUNT, ItemStore.SECRET, "api-key");
        private final ItemId accountConfig = ItemId.account(ACCOUNT, ItemStore.CONFIG, "api-key");
        private final ItemId deviceSecret = ItemId.device(ACCOUNT, DEVICE, ItemStore.SECRET, "api-key");
        private final ItemId otherDeviceSecret =
                ItemId.device(ACCOUNT, OTHER_DEVICE, ItemStore.SECRET, "api-key");

        @Test
        void insertThenFindSecret() {
            assertThat(store.insertItem(item(accountSecret, "s3cr3t"))).isTrue();

            StoredItem found = store.findItem(accountSecret).orElseThrow();

            assertThat(found.id()).isEqualTo(accountSecret);
            assertThat(found.value()).isEqualTo("s3cr3t");
            assertThat(found.dateUpdated()).isEqualTo(CREATED);
        }

        @Test
        void insertThenFindConfig() {
            assertThat(store.insertItem(item(accountConfig, "https://example.test"))).isTrue();

            assertThat(store.findItem(accountConfig))
                    .contains(item(accountConfig, "https://example.test"));
        }

        @Test
        void valueWithAnyText() {
            String value = "a&b=c+d%20\nline two\u00e9\u4e2d\ud83d\ude00" + "x".repeat(4000);
            store.insertItem(item(accountSecret, value));
            store.insertItem(item(accountConfig, value));

            assertThat(store.findItem(accountSecret).orElseThrow().value()).isEqualTo(value);
            assertThat(store.findItem(accountConfig).orElseThrow().value()).isEqualTo(value);
        }

        @Test
        void duplicateKeyRejected() {
            store.insertItem(item(accountSecret, "first"));

            assertThat(store.insertItem(new StoredItem(accountSecret, "second", LATER))).isFalse();

            StoredItem stored = store.findItem(accountSecret).orElseThrow();
            assertThat(stored.value()).isEqualTo("first");
            assertThat(stored.dateUpdated()).isEqualTo(CREATED);
        }

        @Test
        void sameKeyInEachStoreAndScope() {
            ItemId deviceConfig = ItemId.device(ACCOUNT, DEVICE, ItemStore.CONFIG, "api-key");
            ItemId otherAccountSecret = ItemId.account(OTHER_ACCOUNT, ItemStore.SECRET, "api-key");

            assertThat(store.insertItem(item(accountSecret, "1"))).isTrue();
            assertThat(store.insertItem(item(accountConfig, "2"))).isTrue();
            assertThat(store.insertItem(item(deviceSecret, "3"))).isTrue();
            assertThat(store.insertItem(item(deviceConfig, "4"))).isTrue();
            assertThat(store.insertItem(item(otherDeviceSecret, "5"))).isTrue();
            assertThat(store.insertItem(item(otherAccountSecret, "6"))).isTrue();

            assertThat(store.findItem(accountSecret).orElseThrow().value()).isEqualTo("1");
            assertThat(store.findItem(accountConfig).orElseThrow().value()).isEqualTo("2");
            assertThat(store.findItem(deviceSecret).orElseThrow().value()).isEqualTo("3");
            assertThat(store.findItem(deviceConfig).orElseThrow().value()).isEqualTo("4");
            assertThat(store.findItem(otherDeviceSecret).orElseThrow().value()).isEqualTo("5");
            assertThat(store.findItem(otherAccountSecret).orElseThrow().value()).isEqualTo("6");
        }

        @Test
        void unknownItemIsEmpty() {
            store.insertItem(item(accountSecret, "s3cr3t"));

            assertThat(store.findItem(deviceSecret)).isEmpty();
            assertThat(store.findMetadata(deviceSecret)).isEmpty();
            assertThat(store.findItem(ItemId.account(ACCOUNT, ItemStore.SECRET, "API-KEY"))).isEmpty();
        }

        @Test
        void metadataHasNoValue() {
            store.insertItem(item(accountSecret, "s3cr3t"));
            store.insertItem(item(accountConfig, "plain"));

            StoredItem secret = store.findMetadata(accountSecret).orElseThrow();
            StoredItem config = store.findMetadata(accountConfig).orElseThrow();

            assertThat(secret.id()).isEqualTo(accountSecret);
            assertThat(secret.value()).isNull();
            assertThat(secret.dateUpdated()).isEqualTo(CREATED);
            assertThat(config.value()).isNull();
        }

        @Test
        void updateReplacesValueAndDate() {
            store.insertItem(item(deviceSecret, "old"));

            assertThat(store.updateItem(new StoredItem(deviceSecret, "new", LATER))).isTrue();

            StoredItem updated = store.findItem(deviceSecret).orElseThrow();
            assertThat(updated.value()).isEqualTo("new");
            assertThat(updated.dateUpdated()).isEqualTo(LATER);
        }

        @Test
        void updateLeavesOtherScopes() {
            store.insertItem(item(deviceSecret, "mine"));
            store.insertItem(item(otherDeviceSecret, "theirs"));

            store.updateItem(new StoredItem(deviceSecret, "new", LATER));

            assertThat(store.findItem(otherDeviceSecret).orElseThrow().value()).isEqualTo("theirs");
        }

        @Test
        void updateUnknownItemRejected() {
            assertThat(store.updateItem(item(accountSecret, "value"))).isFalse();
            assertThat(store.findItem(accountSecret)).isEmpty();
        }

        @Test
        void deleteRemovesOnlyThatItem() {
            store.insertItem(item(accountSecret, "1"));
            store.insertItem(item(accountConfig, "2"));

            assertThat(store.deleteItem(accountSecret)).isTrue();

            assertThat(store.findItem(accountSecret)).isEmpty();
            assertThat(store.findItem(accountConfig)).isPresent();
            assertThat(store.deleteItem(accountSecret)).isFalse();
        }

        @Test
        void deletedKeyCanBeCreatedAgain() {
            store.insertItem(item(accountSecret, "1"));
            store.deleteItem(accountSecret);

            assertThat(store.insertItem(item(accountSecret, "2"))).isTrue();
            assertThat(store.findItem(accountSecret).orElseThrow().value()).isEqualTo("2");
        }

        @Test
        void listOrderedByKey() {
            for (String key : List.of("b", "a", "B", "a-1", "_x", "0")) {
                store.insertItem(item(ItemId.account(ACCOUNT, ItemStore.CONFIG, key), "v-" + key));
            }

            List<StoredItem> items = store.listItems(
                    ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.CONFIG, null, 100, true);

            assertThat(keys(items)).containsExactly("0", "B", "_x", "a", "a-1", "b");
            assertThat(items).extracting(StoredItem::value)
                    .containsExactly("v-0", "v-B", "v-_x", "v-a", "v-a-1", "v-b");
        }

        @Test
        void listPagesWithAfterKey() {
            for (int n = 1; n <= 5; n++) {
                store.insertItem(item(ItemId.device(ACCOUNT, DEVICE, ItemStore.SECRET, "k" + n), "v"));
            }

            List<StoredItem> first = store.listItems(
                    ACCOUNT, ItemScope.DEVICE, DEVICE, ItemStore.SECRET, null, 2, false);
            List<StoredItem> second = store.listItems(
                    ACCOUNT, ItemScope.DEVICE, DEVICE, ItemStore.SECRET, "k2", 2, false);
            List<StoredItem> last = store.listItems(
                    ACCOUNT, ItemScope.DEVICE, DEVICE, ItemStore.SECRET, "k4", 2, false);

            assertThat(keys(first)).containsExactly("k1", "k2");
            assertThat(keys(second)).containsExactly("k3", "k4");
            assertThat(keys(last)).containsExactly("k5");
        }

        @Test
        void listUpToKeyNearestFirst() {
            for (int n = 1; n <= 5; n++) {
                store.insertItem(item(ItemId.device(ACCOUNT, DEVICE, ItemStore.SECRET, "k" + n), "v" + n));
            }
            store.insertItem(item(ItemId.device(ACCOUNT, OTHER_DEVICE, ItemStore.SECRET, "k3b"), "v"));

            List<StoredItem> upToK4 = store.listItemsUpTo(
                    ACCOUNT, ItemScope.DEVICE, DEVICE, ItemStore.SECRET, "k4", 2, false);
            List<StoredItem> upToMissing = store.listItemsUpTo(
                    ACCOUNT, ItemScope.DEVICE, DEVICE, ItemStore.SECRET, "k3a", 10, true);
            List<StoredItem> beforeAll = store.listItemsUpTo(
                    ACCOUNT, ItemScope.DEVICE, DEVICE, ItemStore.SECRET, "a", 10, false);

            assertThat(keys(upToK4)).containsExactly("k4", "k3");
            assertThat(upToK4).extracting(StoredItem::value).containsOnlyNulls();
            assertThat(keys(upToMissing)).containsExactly("k3", "k2", "k1");
            assertThat(upToMissing).extracting(StoredItem::value).containsExactly("v3", "v2", "v1");
            assertThat(beforeAll).isEmpty();
        }

        @Test
        void listAfterMissingKey() {
            for (String key : List.of("a", "c", "e")) {
                store.insertItem(item(ItemId.account(ACCOUNT, ItemStore.SECRET, key), "v"));
            }

            List<StoredItem> items = store.listItems(
                    ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.SECRET, "b", 10, false);

            assertThat(keys(items)).containsExactly("c", "e");
        }

        @Test
        void listWithoutValuesHidesSecrets() {
            store.insertItem(item(accountSecret, "s3cr3t"));

            List<StoredItem> items = store.listItems(
                    ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.SECRET, null, 10, false);

            assertThat(items).hasSize(1);
            assertThat(items.get(0).id()).isEqualTo(accountSecret);
            assertThat(items.get(0).value()).isNull();
            assertThat(items.get(0).dateUpdated()).isEqualTo(CREATED);
        }

        @Test
        void listWithValuesDecryptsSecrets() {
            store.insertItem(item(accountSecret, "s3cr3t"));

            List<StoredItem> items = store.listItems(
                    ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.SECRET, null, 10, true);

            assertThat(items).extracting(StoredItem::value).containsExactly("s3cr3t");
        }

        @Test
        void listStaysInItsScope() {
            store.insertItem(item(accountSecret, "1"));
            store.insertItem(item(accountConfig, "2"));
            store.insertItem(item(deviceSecret, "3"));
            store.insertItem(item(otherDeviceSecret, "4"));
            store.insertItem(item(ItemId.account(OTHER_ACCOUNT, ItemStore.SECRET, "api-key"), "5"));

            List<StoredItem> deviceItems = store.listItems(
                    ACCOUNT, ItemScope.DEVICE, DEVICE, ItemStore.SECRET, null, 10, true);
            List<StoredItem> accountItems = store.listItems(
                    ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.SECRET, null, 10, true);

            assertThat(deviceItems).extracting(StoredItem::id).containsExactly(deviceSecret);
            assertThat(deviceItems).extracting(StoredItem::value).containsExactly("3");
            assertThat(accountItems).extracting(StoredItem::id).containsExactly(accountSecret);
            assertThat(accountItems).extracting(StoredItem::value).containsExactly("1");
        }

        @Test
        void listEmptyAndLimitZero() {
            assertThat(store.listItems(ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.CONFIG, null, 10, true))
                    .isEmpty();

            store.insertItem(item(accountConfig, "v"));

            assertThat(store.listItems(ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.CONFIG, null, 0, true))
                    .isEmpty();
        }

        @Test
        void countPerStoreAndScope() {
            for (int n = 0; n < 3; n++) {
                store.insertItem(item(ItemId.account(ACCOUNT, ItemStore.SECRET, "s" + n), "v"));
            }
            store.insertItem(item(accountConfig, "v"));
            store.insertItem(item(deviceSecret, "v"));
            store.insertItem(item(otherDeviceSecret, "v"));
            store.deleteItem(ItemId.account(ACCOUNT, ItemStore.SECRET, "s0"));

            assertThat(store.countItems(ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.SECRET)).isEqualTo(2);
            assertThat(store.countItems(ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.CONFIG)).isEqualTo(1);
            assertThat(store.countItems(ACCOUNT, ItemScope.DEVICE, DEVICE, ItemStore.SECRET)).isEqualTo(1);
            assertThat(store.countItems(ACCOUNT, ItemScope.DEVICE, DEVICE, ItemStore.CONFIG)).isZero();
            assertThat(store.countItems(OTHER_ACCOUNT, ItemScope.ACCOUNT, null, ItemStore.SECRET)).isZero();
        }
    }
}
