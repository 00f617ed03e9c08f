package dev.mvsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvsim.link.FaultPlan;
import dev.mvsim.link.InMemoryItemDirectory;
import java.time.Duration;

/** A kernel on a virtual clock with an in-memory directory, plus the raw-call sequences tests repeat. */
final class KernelFixture {

    static final String DEVICE_SID = "UV0123456789abcdef0123456789abcdef";
    static final int IRQ = 41;
    static final int NETWORK_TAG = 1;
    static final int CHANNEL_TAG = 2;

    final InMemoryItemDirectory directory = new InMemoryItemDirectory();
    final VirtualClock clock = new VirtualClock();
    final DeviceKernel kernel;

    /** Next free app address for made-up buffers; 512-aligned, with gaps so that no two buffers touch. */
    private long nextAddress = 0x2000_0000L;

    KernelFixture() {
        this(FaultPlan.none(), KernelConfig.DEFAULTS);
    }

    KernelFixture(FaultPlan plan) {
        this(plan, KernelConfig.DEFAULTS);
    }

    KernelFixture(FaultPlan plan, KernelConfig config) {
        this(plan, config, 42);
    }

    KernelFixture(FaultPlan plan, KernelConfig config, long seed) {
        kernel = DeviceKernel.builder(DEVICE_SID, directory).clock(clock).seed(seed).faultPlan(plan)
                .config(config).build();
    }

    /** Returns a fresh 512-aligned app buffer of the given size that overlaps nothing else handed out. */
    AppBuffer buffer(int size) {
        AppBuffer buffer = new AppBuffer(nextAddress, size);
        nextAddress += ((Integer.toUnsignedLong(size) + 511) / 512 + 1) * 512;
        return buffer;
    }

    long setupCentre() {
        return setupCentre(IRQ, 8);
    }

    long setupCentre(int irq, int records) {
        Out.Handle handle = new Out.Handle();
        MvStatus status = kernel.mvSetupNotifications(new MvNotificationSetup(irq, buffer(records * 16)), handle);
        assertThat(status).as("mvSetupNotifications").isEqualTo(MvStatus.OKAY);
        return handle.value;
    }

    long requestNetwork(long centre) {
        Out.Handle handle = new Out.Handle();
        MvStatus status = kernel.mvRequestNetwork(new MvRequestNetworkParams(1, centre, NETWORK_TAG), handle);
        assertThat(status).as("mvRequestNetwork").isEqualTo(MvStatus.OKAY);
        return handle.value;
    }

    MvNetworkStatus networkStatus(long network) {
        Out.Value<MvNetworkStatus> status = new Out.Value<>();
        assertThat(kernel.mvGetNetworkStatus(network, status)).isEqualTo(MvStatus.OKAY);
        return status.value;
    }

    /** Sets up a centre and a network request and runs the clock until the device is connected. */
    Connected connect() {
        long centre = setupCentre();
        long network = requestNetwork(centre);
        boolean connected = kernel.runUntil(() -> networkStatus(network) == MvNetworkStatus.CONNECTED,
                Duration.ofSeconds(10));
        assertThat(connected).as("device connected within 10 s of device time").isTrue();
        kernel.takeNotifications(centre);
        return new Connected(centre, network);
    }

    record Connected(long centre, long network) {
    }

    MvOpenChannelParams channelParams(Connected connected, int receiveSize, int sendSize) {
        return new MvOpenChannelParams(1, connected.centre(), CHANNEL_TAG, connected.network(),
                buffer(receiveSize), buffer(sendSize), MvChannelType.CONFIGFETCH.code(), MvSizedString.EMPTY);
    }

    long openChannel(Connected connected) {
        return openChannel(connected, 4096, 512);
    }

    long openChannel(Connected connected, int receiveSize, int sendSize) {
        Out.Handle handle = new Out.Handle();
        MvStatus status = kernel.mvOpenChannel(channelParams(connected, receiveSize, sendSize), handle);
        assertThat(status).as("mvOpenChannel").isEqualTo(MvStatus.OKAY);
        return handle.value;
    }

    static MvConfigKeyToFetch key(int scope, int store, String name) {
        return new MvConfigKeyToFetch(scope, store, MvSizedString.of(name));
    }

    static MvConfigKeyFetchParams request(MvConfigKeyToFetch... keys) {
        return new MvConfigKeyFetchParams(keys.length, keys);
    }
}
