package dev.mvsim.kernel;

import dev.mvsim.link.ItemRef;
import java.util.Arrays;
import java.util.List;

/** A kernel object for one open config-fetch channel. */
final class Channel {

    /** State of the channel's single config fetch. */
    enum FetchState {
        NOT_SENT, PENDING, ARRIVED, FAILED
    }

    final long handle;
    final long notificationHandle;
    final int tag;
    final long networkHandle;
    final AppBuffer receiveBuffer;
    final AppBuffer sendBuffer;

    /** NONE while the channel is connected; the reason once the network or a fault closed it. */
    MvClosureReason closureReason = MvClosureReason.NONE;
    FetchState fetchState = FetchState.NOT_SENT;
    List<ItemRef> requestedItems = List.of();
    Scheduler.Task pendingResponse;
    ConfigResponse response;

    Channel(long handle, long notificationHandle, int tag, long networkHandle,
            AppBuffer receiveBuffer, AppBuffer sendBuffer) {
        this.handle = handle;
        this.notificationHandle = notificationHandle;
        this.tag = tag;
        this.networkHandle = networkHandle;
        this.receiveBuffer = receiveBuffer;
        this.sendBuffer = sendBuffer;
    }

    boolean isClosed() {
        return closureReason != MvClosureReason.NONE;
    }

    /** Overwrites received values, so that secrets do not linger in memory after the channel goes away. */
    void wipe() {
        if (response != null) {
            for (ConfigResponse.Item item : response.items()) {
                if (item.value() != null) {
                    Arrays.fill(item.value(), (byte) 0);
                }
            }
        }
    }
}
