package dev.mvsim.kernel;

import java.util.List;

/**
 * The app's notification centres, network requests and channels as the app's side of a lost
 * connection tracked them, for {@link DeviceKernel#restore} to recreate in a fresh kernel under
 * the same handles.
 *
 * @param centres         the notification centres, in the order they were set up
 * @param networkRequests the network requests, in the order they were made
 * @param channels        the channels, which the lost connection closed, in the order they were opened
 */
public record RestoredObjects(List<Centre> centres, List<NetworkRequest> networkRequests, List<Channel> channels) {

    public RestoredObjects {
        centres = List.copyOf(centres);
        networkRequests = List.copyOf(networkRequests);
        channels = List.copyOf(channels);
    }

    /** Returns the number of objects listed. */
    public int size() {
        return centres.size() + networkRequests.size() + channels.size();
    }

    /**
     * A notification centre.
     *
     * @param handle the centre's handle
     * @param ring   the app's ring
     * @param irq    the interrupt pended for each record
     */
    public record Centre(long handle, AppBuffer ring, int irq) {
    }

    /**
     * A network request.
     *
     * @param handle             the request's handle
     * @param notificationHandle the centre that receives its records
     * @param tag                the tag of its records
     */
    public record NetworkRequest(long handle, long notificationHandle, int tag) {
    }

    /**
     * A channel.
     *
     * @param handle             the channel's handle
     * @param notificationHandle the centre that receives its records
     * @param tag                the tag of its records
     * @param networkHandle      the network request it was opened on
     * @param receiveBuffer      the app's receive buffer
     * @param sendBuffer         the app's send buffer
     */
    public record Channel(long handle, long notificationHandle, int tag, long networkHandle, AppBuffer receiveBuffer,
                          AppBuffer sendBuffer) {
    }
}
