package dev.mvsim.link;

import java.util.Objects;

/** One key a device asks for: its scope, its store and the key name. */
public record ItemRef(ItemScope scope, ItemStore store, String key) {

    public ItemRef {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(key, "key");
    }
}
