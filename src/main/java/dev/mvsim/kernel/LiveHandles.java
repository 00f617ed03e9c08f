package dev.mvsim.kernel;

import java.util.List;

/**
 * The handles a kernel has issued to its app and the app has not closed: notification centres,
 * network requests and channels, with the app buffers each one uses. A channel that the network
 * closed stays live until the app closes it.
 *
 * @param centres         the live notification centres, in the order they were set up
 * @param networkRequests the handles of the live network requests, in the order they were made
 * @param channels        the live channels, in the order they were opened
 */
public record LiveHandles(List<Centre> centres, List<Long> networkRequests, List<Channel> channels) {

    public LiveHandles {
        centres = List.copyOf(centres);
        networkRequests = List.copyOf(networkRequests);
        channels = List.copyOf(channels);
    }

    /**
     * A notification centre and the ring it writes records into.
     *
     * @param handle the centre's handle
     * @param ring   the app's ring
     */
    public record Centre(long handle, AppBuffer ring) {
    }

    /**
     * A channel, the centre and tag of its notifications, its network request and its buffers.
     *
     * @param handle             the channel's handle
     * @param notificationHandle the centre that receives its records
     * @param tag                the tag of its records
     * @param networkHandle      the network request it was opened on
     * @param receiveBuffer      the app's receive buffer
     * @param sendBuffer         the app's send buffer
     * @param fetchPending       true while a config fetch was sent and its response has neither arrived nor failed
     */
    public record Channel(long handle, long notificationHandle, int tag, long networkHandle, AppBuffer receiveBuffer,
                          AppBuffer sendBuffer, boolean fetchPending) {
    }
}
