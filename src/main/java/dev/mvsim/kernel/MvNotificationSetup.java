package dev.mvsim.kernel;

/**
 * The C {@code struct MvNotificationSetup}.
 *
 * @param irq    the NVIC interrupt number Microvisor pends for each record, unsigned 32-bit
 * @param buffer the ring of {@code MvNotification} records in app memory; its size is
 *               {@code buffer_size} in bytes
 */
public record MvNotificationSetup(int irq, AppBuffer buffer) {
}
