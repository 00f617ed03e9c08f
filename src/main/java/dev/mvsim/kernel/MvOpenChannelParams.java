package dev.mvsim.kernel;

/**
 * The C {@code struct MvOpenChannelParams}, version 1 fields in header order. Enum-typed fields
 * carry the raw C value so that values the header does not define can reach the kernel.
 *
 * @param version            the struct version; 1 is the only one the kernel accepts
 * @param notificationHandle the centre for this channel's notifications
 * @param notificationTag    the tag copied into those notifications
 * @param networkHandle      the network request the channel runs on
 * @param receiveBuffer      app memory the response is received into
 * @param sendBuffer         app memory the request is staged in
 * @param channelType        the raw {@code MvChannelType} value
 * @param endpoint           the endpoint name; null is a NULL pointer to the struct
 *                           member, which cannot happen in C and is treated as empty
 */
public record MvOpenChannelParams(
        int version,
        long notificationHandle,
        int notificationTag,
        long networkHandle,
        AppBuffer receiveBuffer,
        AppBuffer sendBuffer,
        int channelType,
        MvSizedString endpoint) {
}
