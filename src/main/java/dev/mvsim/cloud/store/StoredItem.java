package dev.mvsim.cloud.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A config or secret as the store holds it. {@code value} is null when the caller asked for
 * metadata only, which is always the case for secrets listed through the REST API.
 * {@code dateUpdated} is a config's {@code date_updated} or a secret's {@code date_rotated}.
 */
public record StoredItem(ItemId id, String value, Instant dateUpdated) {

    public StoredItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dateUpdated, "dateUpdated");
    }

    /** Shows the identity and time only: the value may be a secret. */
    @Override
    public String toString() {
        return "StoredItem[id=" + id + ", dateUpdated=" + dateUpdated
                + (value == null ? "" : ", value=<" + value.length() + " chars>") + "]";
    }
}
