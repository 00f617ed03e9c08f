package dev.mvsim.kernel.client;

import dev.mvsim.kernel.MvStatus;

/** A system call that {@link DeviceClient} needs for its own setup returned an error. */
public final class ClientException extends RuntimeException {

    private final MvStatus status;

    ClientException(String message, MvStatus status) {
        super(message);
        this.status = status;
    }

    /** Returns the status of the failed call, or null when the failure was a wait that timed out. */
    public MvStatus status() {
        return status;
    }
}
