package dev.mvsim.kernel;

/**
 * One record of a notification ring: the C {@code struct MvNotification}, 16 bytes in app memory.
 *
 * @param microseconds when the event happened, on the {@code mvGetMicroseconds} clock
 * @param eventType    what happened
 * @param tag          the tag of the network request or channel that caused it
 */
public record MvNotification(long microseconds, MvEventType eventType, int tag) {
}
