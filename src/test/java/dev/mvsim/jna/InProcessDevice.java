package dev.mvsim.jna;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.cloud.RegisteredDevice;
import dev.mvsim.cloud.SimulatedCloud;
import dev.mvsim.cloud.store.AccountRecord;
import dev.mvsim.kernel.DeviceKernel;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-memory simulated cloud with one account and one registered device, and libmvhost
 * connected in this JVM to a kernel for that device once a test calls {@link #open}. Registered
 * with {@code @RegisterExtension}, it closes after each test, and elsewhere a test closes it with
 * try-with-resources. Closing fails the test if libmvhost replied to any call differently from
 * the kernel.
 */
public final class InProcessDevice implements AfterEachCallback, AutoCloseable {

    public final SimulatedCloud cloud = SimulatedCloud.inMemory();
    public final AccountRecord account = cloud.createAccount();
    public final RegisteredDevice device;
    private InProcessHost host;

    /** Registers a device named {@code deviceName} in a new cloud. */
    public InProcessDevice(String deviceName) {
        device = cloud.registerDevice(account.sid(), deviceName);
    }

    /** Builds the device's kernel with {@code settings} and connects libmvhost to it with synchronous interrupts. */
    public InProcessHost open(Consumer<DeviceKernel.Builder> settings) {
        return open(InProcessHost.InterruptMode.SYNCHRONOUS, settings);
    }

    /** Builds the device's kernel with {@code settings} and connects libmvhost with interrupts in {@code mode}. */
    public InProcessHost open(InProcessHost.InterruptMode mode, Consumer<DeviceKernel.Builder> settings) {
        DeviceKernel.Builder kernel = DeviceKernel.builder(device.sid(), cloud.itemDirectory());
        settings.accept(kernel);
        host = InProcessHost.open(kernel.build(), mode);
        return host;
    }

    /** Runs a call that libmvhost must answer locally: asserts no exchange and one local answer, returns its status. */
    int answeredLocally(IntSupplier call) {
        LibMvHost.mvhost_stats before = host.stats();
        int status = call.getAsInt();
        LibMvHost.mvhost_stats after = host.stats();

        assertThat(after.exchanges).as("exchanges").isEqualTo(before.exchanges);
        assertThat(after.local_answers - before.local_answers).as("local answers").isEqualTo(1);
        return status;
    }

    /** Runs a call that must reach the kernel: asserts one exchange and no local answer, returns its status. */
    int exchangedOnce(IntSupplier call) {
        LibMvHost.mvhost_stats before = host.stats();
        int status = call.getAsInt();
        LibMvHost.mvhost_stats after = host.stats();

        assertThat(after.exchanges - before.exchanges).as("exchanges").isEqualTo(1);
        assertThat(after.local_answers).as("local answers").isEqualTo(before.local_answers);
        return status;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /** Closes the host, which fails on any divergence and does nothing if a test closed it already, then the cloud. */
    @Override
    public void close() {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            cloud.close();
        }
    }
}
