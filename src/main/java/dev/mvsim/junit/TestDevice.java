package dev.mvsim.junit;

import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.VirtualClock;
import dev.mvsim.kernel.client.DeviceClient;
import dev.mvsim.link.ItemStore;

/**
 * The device a {@link Mvsim} test gets: registered in the test's account, with its kernel on the
 * test's virtual clock. The helpers store items for it in the cloud.
 */
public final class TestDevice {

    private final SimulatedCloud cloud;
    private final AccountRecord account;
    private final String sid;
    private final DeviceKernel kernel;
    private final VirtualClock clock;
    private DeviceClient client;

    TestDevice(SimulatedCloud cloud, AccountRecord account, String sid, DeviceKernel kernel, VirtualClock clock) {
        this.cloud = cloud;
        this.account = account;
        this.sid = sid;
        this.kernel = kernel;
        this.clock = clock;
    }

    public String sid() {
        return sid;
    }

    public AccountRecord account() {
        return account;
    }

    public DeviceKernel kernel() {
        return kernel;
    }

    public VirtualClock clock() {
        return clock;
    }

    /** Returns the device's client, created on first use; it sets up a notification centre on IRQ 41. */
    public DeviceClient client() {
        if (client == null) {
            client = DeviceClient.on(kernel);
        }
        return client;
    }

    public TestDevice putAccountSecret(String key, String value) {
        cloud.createItem(ItemId.account(account.sid(), ItemStore.SECRET, key), value);
        return this;
    }

    public TestDevice putAccountConfig(String key, String value) {
        cloud.createItem(ItemId.account(account.sid(), ItemStore.CONFIG, key), value);
        return this;
    }

    public TestDevice putDeviceSecret(String key, String value) {
        cloud.createItem(ItemId.device(account.sid(), sid, ItemStore.SECRET, key), value);
        return this;
    }

    public TestDevice putDeviceConfig(String key, String value) {
        cloud.createItem(ItemId.device(account.sid(), sid, ItemStore.CONFIG, key), value);
        return this;
    }

    @Override
    public String toString() {
        return "TestDevice[" + sid + ", seed " + kernel.seed() + "]";
    }
}
