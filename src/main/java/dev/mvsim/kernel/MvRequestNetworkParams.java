package dev.mvsim.kernel;

/**
 * The C {@code struct MvRequestNetworkParams}. Only version 1 exists.
 *
 * @param version            the struct version; 1 is the only one the kernel accepts
 * @param notificationHandle the notification centre that receives network status changes
 * @param notificationTag    the tag copied into those notifications
 */
public record MvRequestNetworkParams(int version, long notificationHandle, int notificationTag) {
}
