package dev.mvsim.kernel;

/**
 * Receives every record the kernel writes into a notification ring, in order. The kernel calls it
 * outside its lock, so the listener may call back into the kernel, for example from the thread
 * that runs the app's interrupt handler.
 */
@FunctionalInterface
public interface NotificationListener {

    void onNotification(NotificationDelivery delivery);
}
