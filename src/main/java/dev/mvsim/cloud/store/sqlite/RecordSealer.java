package dev.mvsim.cloud.store.sqlite;

import dev.mvsim.cloud.store.ItemId;
import dev.mvsim.cloud.store.crypto.AssociatedData;
import dev.mvsim.cloud.store.crypto.DecryptionFailedException;
import dev.mvsim.cloud.store.crypto.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Seals the store's confidential columns, each bound to the identity of its row through the
 * associated data: a secret to its {@link ItemId}, a device key to its device and account, an
 * auth token to its account.
 */
final class RecordSealer {

    private static final byte[] KEY_CHECK_PLAINTEXT =
            "mvsim master key check".getBytes(StandardCharsets.US_ASCII);

    private final SecretCipher cipher;

    RecordSealer(SecretCipher cipher) {
        this.cipher = cipher;
    }

    byte[] sealSecret(ItemId id, String value) {
        return sealText(value, itemAssociatedData(id));
    }

    String openSecret(ItemId id, byte[] sealed) {
        return openText(sealed, itemAssociatedData(id), () -> "secret " + describe(id));
    }

    byte[] sealDeviceKey(String deviceSid, String accountSid, byte[] deviceKey) {
        return cipher.seal(deviceKey, deviceKeyAssociatedData(deviceSid, accountSid));
    }

    byte[] openDeviceKey(String deviceSid, String accountSid, byte[] sealed) {
        return cipher.open(sealed, deviceKeyAssociatedData(deviceSid, accountSid),
                () -> "the bridge key of device " + deviceSid);
    }

    byte[] sealAuthToken(String accountSid, String authToken) {
        return sealText(authToken, authTokenAssociatedData(accountSid));
    }

    String openAuthToken(String accountSid, byte[] sealed) {
        return openText(sealed, authTokenAssociatedData(accountSid),
                () -> "the auth token of account " + accountSid);
    }

    byte[] sealKeyCheck() {
        return cipher.seal(KEY_CHECK_PLAINTEXT, keyCheckAssociatedData());
    }

    /** Returns whether {@code sealed} was sealed by {@link #sealKeyCheck} under this master key. */
    boolean matchesKeyCheck(byte[] sealed) {
        try {
            byte[] plaintext = cipher.open(sealed, keyCheckAssociatedData(), () -> "key check");
            return Arrays.equals(plaintext, KEY_CHECK_PLAINTEXT);
        } catch (DecryptionFailedException wrongKey) {
            return false;
        }
    }

    /** Names an item by its identity, for error messages. */
    static String describe(ItemId id) {
        return "'" + id.key() + "' (account " + id.accountSid()
                + (id.deviceSid() == null ? "" : ", device " + id.deviceSid())
                + ", " + id.scope() + " scope, " + id.store() + " store)";
    }

    private byte[] sealText(String text, byte[] associatedData) {
        byte[] plaintext = text.getBytes(StandardCharsets.UTF_8);
        try {
            return cipher.seal(plaintext, associatedData);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private String openText(
            byte[] sealed, byte[] associatedData, Supplier<String> recordName) {
        byte[] plaintext = cipher.open(sealed, associatedData, recordName);
        try {
            return new String(plaintext, StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private static byte[] itemAssociatedData(ItemId id) {
        return AssociatedData.forPurpose("item")
                .add(id.accountSid())
                .add(id.scope().name())
                .add(id.deviceSid())
                .add(id.store().name())
                .add(id.key())
                .toBytes();
    }

    private static byte[] deviceKeyAssociatedData(String deviceSid, String accountSid) {
        return AssociatedData.forPurpose("device-key").add(deviceSid).add(accountSid).toBytes();
    }

    private static byte[] authTokenAssociatedData(String accountSid) {
        return AssociatedData.forPurpose("auth-token").add(accountSid).toBytes();
    }

    private static byte[] keyCheckAssociatedData() {
        return AssociatedData.forPurpose("key-check").toBytes();
    }
}
