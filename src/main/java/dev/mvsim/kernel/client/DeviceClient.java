package dev.mvsim.kernel.client;

import dev.mvsim.kernel.AppBuffer;
import dev.mvsim.kernel.DeviceKernel;
import dev.mvsim.kernel.MvChannelType;
import dev.mvsim.kernel.MvEventType;
import dev.mvsim.kernel.MvNetworkStatus;
import dev.mvsim.kernel.MvNotification;
import dev.mvsim.kernel.MvNotificationSetup;
import dev.mvsim.kernel.MvOpenChannelParams;
import dev.mvsim.kernel.MvRequestNetworkParams;
import dev.mvsim.kernel.MvSizedString;
import dev.mvsim.kernel.MvStatus;
import dev.mvsim.kernel.Out;
import dev.mvsim.link.ItemRef;
import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fetches configs and secrets from Java tests the way firmware does, through the raw system calls
 * of one {@link DeviceKernel}: one notification centre, one network request, and one channel per
 * fetch. App buffers get made-up addresses that never overlap. Not thread-safe.
 *
 * <pre>{@code
 * DeviceClient client = DeviceClient.on(kernel).connect();
 * FetchResult result = client.fetch(DeviceClient.accountSecret("api-key")).await();
 * assertThat(result.item("api-key").asString()).isEqualTo("s3cr3t");
 * }</pre>
 */
public final class DeviceClient {

    /** The interrupt the client's centre uses: TIM1_BRK_IRQn (41), as vendor demos do. */
    public static final int IRQ = 41;
    /** Default maximum wait for the connection or a response, measured on the device clock. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private static final int RING_RECORDS = 16;
    private static final int NETWORK_TAG = 0;

    private final DeviceKernel kernel;
    private final long centre;
    private final Map<Integer, PendingFetch> pending = new HashMap<>();
    private long network;
    private long nextAddress = 0x2000_0000L;
    private int nextTag = 1;
    private int receiveBufferSize = 8192;
    private int sendBufferSize = 4096;
    private int valueBufferSize = 4096;

    private DeviceClient(DeviceKernel kernel) {
        this.kernel = kernel;
        Out.Handle handle = new Out.Handle();
        MvStatus status = kernel.mvSetupNotifications(
                new MvNotificationSetup(IRQ, allocate(RING_RECORDS * 16)), handle);
        check("mvSetupNotifications", status);
        this.centre = handle.value;
    }

    /** Sets up a notification centre on the kernel and returns a client that uses it. */
    public static DeviceClient on(DeviceKernel kernel) {
        return new DeviceClient(kernel);
    }

    public static ItemRef accountSecret(String key) {
        return new ItemRef(ItemScope.ACCOUNT, ItemStore.SECRET, key);
    }

    public static ItemRef accountConfig(String key) {
        return new ItemRef(ItemScope.ACCOUNT, ItemStore.CONFIG, key);
    }

    public static ItemRef deviceSecret(String key) {
        return new ItemRef(ItemScope.DEVICE, ItemStore.SECRET, key);
    }

    public static ItemRef deviceConfig(String key) {
        return new ItemRef(ItemScope.DEVICE, ItemStore.CONFIG, key);
    }

    /** Sets the receive buffer of later fetches' channels, in bytes; the kernel wants a multiple of 512. */
    public DeviceClient receiveBufferSize(int bytes) {
        this.receiveBufferSize = bytes;
        return this;
    }

    /** Sets the send buffer of later fetches' channels, in bytes; the kernel wants a multiple of 512. */
    public DeviceClient sendBufferSize(int bytes) {
        this.sendBufferSize = bytes;
        return this;
    }

    /** Sets the buffer each item value is read into, in bytes; longer values read as INVALIDBUFFERSIZE. */
    public DeviceClient valueBufferSize(int bytes) {
        this.valueBufferSize = bytes;
        return this;
    }

    /** Requests the network and runs the clock until the device is connected, for at most {@link #DEFAULT_WAIT}. */
    public DeviceClient connect() {
        return connect(DEFAULT_WAIT);
    }

    /**
     * Requests the network, unless the client already holds a request, and runs the clock until
     * the device is connected.
     *
     * @throws ClientException when a call fails or the device is not connected within {@code timeout}
     */
    public DeviceClient connect(Duration timeout) {
        if (network == 0) {
            Out.Handle handle = new Out.Handle();
            check("mvRequestNetwork", kernel.mvRequestNetwork(new MvRequestNetworkParams(1, centre, NETWORK_TAG), handle));
            network = handle.value;
        }
        if (!kernel.runUntil(this::isConnected, timeout)) {
            throw new ClientException("device " + kernel.deviceSid() + " did not connect within " + timeout
                    + " of device time; check the fault plan's down windows and connect delay\n"
                    + kernel.formatTrace(), null);
        }
        return this;
    }

    public boolean isConnected() {
        Out.Value<MvNetworkStatus> status = new Out.Value<>();
        return network != 0 && kernel.mvGetNetworkStatus(network, status) == MvStatus.OKAY
                && status.value == MvNetworkStatus.CONNECTED;
    }

    /** Opens a channel and sends a request for the items. The result is ready once the returned fetch is done. */
    public PendingFetch fetch(ItemRef... items) {
        List<ItemRef> refs = List.of(items);
        int tag = nextTag++;
        MvOpenChannelParams params = new MvOpenChannelParams(1, centre, tag, network,
                allocate(receiveBufferSize), allocate(sendBufferSize), MvChannelType.CONFIGFETCH.code(),
                MvSizedString.EMPTY);
        PendingFetch fetch = new PendingFetch(this, refs, valueBufferSize);
        fetch.start(params);
        if (!fetch.isDone()) {
            pending.put(tag, fetch);
        }
        return fetch;
    }

    public DeviceKernel kernel() {
        return kernel;
    }

    /** Returns the handle of the client's network request, or 0 before {@link #connect}. */
    public long networkHandle() {
        return network;
    }

    /** Returns the handle of the client's notification centre. */
    public long centreHandle() {
        return centre;
    }

    /** Takes the centre's new records and hands channel events to the fetch with that tag. */
    void pump() {
        for (MvNotification record : kernel.takeNotifications(centre)) {
            PendingFetch fetch = pending.get(record.tag());
            if (fetch == null) {
                continue;
            }
            if (record.eventType() == MvEventType.CHANNELDATAREADABLE) {
                fetch.onReadable();
            } else if (record.eventType() == MvEventType.CHANNELNOTCONNECTED) {
                fetch.onNotConnected();
            }
            if (fetch.isDone()) {
                pending.remove(record.tag());
            }
        }
    }

    void forget(PendingFetch fetch) {
        pending.values().remove(fetch);
    }

    private AppBuffer allocate(int size) {
        AppBuffer buffer = new AppBuffer(nextAddress, size);
        nextAddress += ((Integer.toUnsignedLong(size) + 511) / 512 + 1) * 512;
        return buffer;
    }

    private void check(String call, MvStatus status) {
        if (status != MvStatus.OKAY) {
            throw new ClientException(call + " returned " + status.cName() + " on device " + kernel.deviceSid()
                    + "\n" + kernel.formatTrace(), status);
        }
    }
}
