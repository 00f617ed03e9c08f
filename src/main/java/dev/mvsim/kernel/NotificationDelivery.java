package dev.mvsim.kernel;

/**
 * One record the kernel has written into a notification ring, as a front end needs it to write the
 * 16 bytes into app memory and pend the interrupt.
 *
 * @param centreHandle the notification centre's handle
 * @param ringAddress  the app address of the ring
 * @param slot         the record index in the ring; its byte offset is {@code slot * 16}
 * @param record       the record's contents
 * @param irq          the interrupt to pend
 */
public record NotificationDelivery(long centreHandle, long ringAddress, int slot, MvNotification record, int irq) {
}
