package dev.mvsim.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.StoredItem;
import dev.mvsim.cloud.store.memory.InMemoryCloudStore;
import dev.mvsim.link.ItemLookup;
import dev.mvsim.link.ItemRef;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedCloudTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05.678Z"));
    private final SimulatedCloud cloud = SimulatedCloud.open(new InMemoryCloudStore(), clock);
    private final AccountRecord account = cloud.createAccount();

    @AfterEach
    void close() {
        cloud.close();
    }

    @Test
    void newAccountHasVendorShapedCredentials() {
        assertThat(account.sid()).matches("AC[0-9a-f]{32}");
        assertThat(account.authToken()).matches("[0-9a-f]{32}");
        assertThat(account.toString()).doesNotContain(account.authToken());
    }

    @Test
    void fixedAccountIsIdempotent() {
        String sid = "AC" + "ab".repeat(16);

        AccountRecord first = cloud.createAccount(sid, "token-1");
        AccountRecord again = cloud.createAccount(sid, "token-1");

        assertThat(again).isEqualTo(first);
        assertThatThrownBy(() -> cloud.createAccount(sid, "token-2")).isInstanceOf(CloudException.Conflict.class);
        assertThatThrownBy(() -> cloud.createAccount("AC123", "t")).isInstanceOf(CloudException.InvalidParameter.class);
    }

    @Test
    void authenticateChecksToken() {
        assertThat(cloud.authenticate(account.sid(), account.authToken())).contains(account);
        assertThat(cloud.authenticate(account.sid(), "wrong")).isEmpty();
        assertThat(cloud.authenticate("AC" + "0".repeat(32), account.authToken())).isEmpty();
        assertThat(cloud.authenticate("not-a-sid", account.authToken())).isEmpty();
    }

    @Test
    void authenticateAcceptsUppercaseHex() {
        String upper = "AC" + account.sid().substring(2).toUpperCase();

        assertThat(cloud.authenticate(upper, account.authToken())).contains(account);
    }

    @Test
    void registeredDeviceHasSidAndKey() {
        RegisteredDevice device = cloud.registerDevice(account.sid(), "rig");

        assertThat(device.sid()).matches("UV[0-9a-f]{32}");
        assertThat(device.deviceKey()).hasSize(32);
        assertThat(cloud.deviceKeys().deviceKey(device.sid())).hasValueSatisfying(
                key -> assertThat(key).isEqualTo(device.deviceKey()));
        assertThat(device.toString()).doesNotContain(device.deviceKeyHex());
        assertThat(cloud.deviceKeys().deviceKey("UV" + "0".repeat(32))).isEmpty();
    }

    @Test
    void datesAreTruncatedToSecond() {
        StoredItem item = cloud.createItem(ItemId.account(account.sid(), ItemStore.CONFIG, "k"), "v");

        assertThat(item.dateUpdated()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    }

    @Test
    void secretUpdateMovesDateAndValue() {
        ItemId id = ItemId.account(account.sid(), ItemStore.SECRET, "k");
        StoredItem created = cloud.createItem(id, "old");
        clock.advance(Duration.ofSeconds(90));

        StoredItem updated = cloud.updateItem(id, "new");

        assertThat(updated.dateUpdated()).isEqualTo(created.dateUpdated().plusSeconds(90));
        assertThat(updated.value()).as("secret value in the answer").isNull();
        assertThat(cloud.findItem(id).orElseThrow().value()).isEqualTo("new");
    }

    @Test
    void duplicateCreateKeepsFirstValue() {
        ItemId id = ItemId.account(account.sid(), ItemStore.CONFIG, "k");
        cloud.createItem(id, "first");

        assertThatThrownBy(() -> cloud.createItem(id, "second")).isInstanceOf(CloudException.Conflict.class);
        assertThat(cloud.findItem(id).orElseThrow().value()).isEqualTo("first");
    }

    @Test
    void itemOfUnknownDeviceIsNotFound() {
        ItemId id = ItemId.device(account.sid(), "UV" + "0".repeat(32), ItemStore.CONFIG, "k");

        assertThatThrownBy(() -> cloud.createItem(id, "v")).isInstanceOf(CloudException.NotFound.class);
    }

    @Test
    void itemOfOtherAccountsDeviceIsNotFound() {
        AccountRecord other = cloud.createAccount();
        RegisteredDevice theirs = cloud.registerDevice(other.sid(), null);
        ItemId id = ItemId.device(account.sid(), theirs.sid(), ItemStore.CONFIG, "k");

        assertThatThrownBy(() -> cloud.createItem(id, "v")).isInstanceOf(CloudException.NotFound.class);
    }

    @Test
    void deviceSeesOwnAndAccountItemsOnly() {
        RegisteredDevice mine = cloud.registerDevice(account.sid(), "mine");
        RegisteredDevice sibling = cloud.registerDevice(account.sid(), "sibling");
        AccountRecord other = cloud.createAccount();
        cloud.createItem(ItemId.account(account.sid(), ItemStore.SECRET, "shared"), "account-secret");
        cloud.createItem(ItemId.device(account.sid(), mine.sid(), ItemStore.CONFIG, "own"), "own-config");
        cloud.createItem(ItemId.device(account.sid(), sibling.sid(), ItemStore.CONFIG, "theirs"), "x");
        cloud.createItem(ItemId.account(other.sid(), ItemStore.SECRET, "foreign"), "y");

        List<ItemLookup> found = cloud.itemDirectory().lookup(mine.sid(), List.of(
                new ItemRef(ItemScope.ACCOUNT, ItemStore.SECRET, "shared"),
                new ItemRef(ItemScope.DEVICE, ItemStore.CONFIG, "own"),
                new ItemRef(ItemScope.DEVICE, ItemStore.CONFIG, "theirs"),
                new ItemRef(ItemScope.ACCOUNT, ItemStore.SECRET, "foreign"),
                new ItemRef(ItemScope.ACCOUNT, ItemStore.CONFIG, "shared")));

        assertThat(found).containsExactly(
                new ItemLookup.Found("account-secret".getBytes(StandardCharsets.UTF_8)),
                new ItemLookup.Found("own-config".getBytes(StandardCharsets.UTF_8)),
                ItemLookup.NOT_FOUND,
                ItemLookup.NOT_FOUND,
                ItemLookup.NOT_FOUND);
    }

    @Test
    void unknownDeviceGetsServerError() {
        List<ItemLookup> found = cloud.itemDirectory().lookup("UV" + "0".repeat(32),
                List.of(new ItemRef(ItemScope.ACCOUNT, ItemStore.CONFIG, "k")));

        assertThat(found).singleElement().isInstanceOf(ItemLookup.ServerError.class);
    }

    @Test
    void renameToTakenNameFails() {
        cloud.registerDevice(account.sid(), "a");
        RegisteredDevice b = cloud.registerDevice(account.sid(), "b");

        assertThatThrownBy(() -> cloud.renameDevice(account.sid(), b.sid(), "a"))
                .isInstanceOf(CloudException.Conflict.class);
        assertThat(cloud.findDevice(account.sid(), "b")).isPresent();
    }

    @Test
    void sameNameInTwoAccountsIsAllowed() {
        AccountRecord other = cloud.createAccount();

        RegisteredDevice mine = cloud.registerDevice(account.sid(), "rig");
        RegisteredDevice theirs = cloud.registerDevice(other.sid(), "rig");

        assertThat(cloud.findDevice(account.sid(), "rig").orElseThrow().sid()).isEqualTo(mine.sid());
        assertThat(cloud.findDevice(other.sid(), "rig").orElseThrow().sid()).isEqualTo(theirs.sid());
    }
}
