package dev.mvsim.cloud.store;

import dev.mvsim.link.ItemScope;
import dev.mvsim.link.ItemStore;
import java.util.Objects;

/**
 * The identity of a config or secret: account, scope, device (null for account scope), store
 * and key. The SQLite store binds it to the ciphertext as associated data, so a secret copied
 * to another row fails to decrypt.
 */
public record ItemId(
        String accountSid, ItemScope scope, String deviceSid, ItemStore store, String key) {

    public ItemId {
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(key, "key");
        if ((scope == ItemScope.DEVICE) != (deviceSid != null)) {
            throw new IllegalArgumentException(
                    "deviceSid must be set for device scope and null for account scope, got scope "
                            + scope + " and deviceSid " + deviceSid);
        }
    }

    public static ItemId account(String accountSid, ItemStore store, String key) {
        return new ItemId(accountSid, ItemScope.ACCOUNT, null, store, key);
    }

    public static ItemId device(String accountSid, String deviceSid, ItemStore store, String key) {
        return new ItemId(accountSid, ItemScope.DEVICE, deviceSid, store, key);
    }
}
