package dev.mvsim.kernel.client;

/** Outcome of a config fetch made through {@link DeviceClient}. Each fetch ends in exactly one. */
public enum FetchOutcome {
    /** The response arrived and its items were read. */
    OK,
    /** The response arrived as RESPONSETOOLARGE, with no items. */
    RESPONSE_TOO_LARGE,
    /** The channel lost its connection before the response arrived. */
    CHANNEL_NOT_CONNECTED,
    /** A system call rejected the fetch; {@link FetchResult#status()} contains its status. */
    REJECTED,
    /** No response arrived within the wait, measured on the device clock. */
    TIMED_OUT
}
