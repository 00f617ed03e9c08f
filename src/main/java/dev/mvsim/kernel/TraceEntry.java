package dev.mvsim.kernel;

/**
 * One system call a device made, with the status it returned.
 *
 * @param microseconds the device clock when the call returned
 * @param call         the C name of the call, for example {@code mvOpenChannel}
 * @param status       the status returned
 */
public record TraceEntry(long microseconds, String call, MvStatus status) {

    @Override
    public String toString() {
        return String.format("%,12d µs  %-32s %s", microseconds, call, status.cName());
    }
}
