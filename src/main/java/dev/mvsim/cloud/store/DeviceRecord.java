package dev.mvsim.cloud.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A simulated device: SID ({@code UV} + 32 hex digits), owning account, optional unique name
 * (null when unset) and its timestamps, truncated to the second.
 */
public record DeviceRecord(
        String sid, String accountSid, String uniqueName, Instant dateCreated, Instant dateUpdated) {

    public DeviceRecord {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(dateCreated, "dateCreated");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }
}
