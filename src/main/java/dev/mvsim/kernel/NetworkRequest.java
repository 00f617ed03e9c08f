package dev.mvsim.kernel;

/** A kernel object for one {@code mvRequestNetwork} call that has not been released. */
final class NetworkRequest {
    final long handle;
    final long notificationHandle;
    final int tag;

    NetworkRequest(long handle, long notificationHandle, int tag) {
        this.handle = handle;
        this.notificationHandle = notificationHandle;
        this.tag = tag;
    }
}
