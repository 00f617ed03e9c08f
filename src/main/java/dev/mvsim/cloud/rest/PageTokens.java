package dev.mvsim.cloud.rest;

import dev.mvsim.cloud.CloudException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks the opaque {@code PageToken} of list pages. A token carries the page number,
 * a direction and a key (or SID) that bounds the page, plus an HMAC-SHA-256 tag over those and the
 * account and list they belong to. The HMAC key comes from the store (see
 * {@link dev.mvsim.cloud.SimulatedCloud#pageTokenKey}), so a token from another list or account,
 * or from a server on another data directory, is rejected rather than misread, while a token from
 * before a restart on the same data directory still works.
 */
final class PageTokens {

    /**
     * Side of the token's key that a page lies on. {@code AFTER} opens the page of keys after it
     * (a next page), and {@code UP_TO} the page of keys at or before it (a previous page).
     */
    enum Direction { AFTER, UP_TO }

    /** A verified token: the page it opens, on which side of which key. */
    record Position(int page, Direction direction, String key) {}

    private static final String ALGORITHM = "HmacSHA256";
    private static final int TAG_BYTES = 16;
    private static final int PAGE_BYTES = Integer.BYTES;
    private static final int HEADER_BYTES = PAGE_BYTES + 1;

    private final SecretKeySpec key;
    private final boolean keyOutlivesRestart;

    /**
     * @param keyOutlivesRestart whether the key comes from a store on disk, which decides what
     *     the message of a rejected token tells about restarts
     */
    PageTokens(byte[] secret, boolean keyOutlivesRestart) {
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.keyOutlivesRestart = keyOutlivesRestart;
    }

    String issue(String accountSid, String listPath, int page, Direction direction, String key) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] tag = tag(accountSid, listPath, page, direction, keyBytes);

        ByteBuffer token = ByteBuffer.allocate(HEADER_BYTES + keyBytes.length + TAG_BYTES);
        token.putInt(page).put((byte) direction.ordinal()).put(keyBytes).put(tag);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    /** Checks a token against the account and list; throws InvalidParameter when it does not verify. */
    Position verify(String accountSid, String listPath, String token) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length < HEADER_BYTES + TAG_BYTES) {
            throw invalid();
        }

        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int page = buffer.getInt();
        int directionIndex = buffer.get();
        byte[] keyBytes = new byte[bytes.length - HEADER_BYTES - TAG_BYTES];
        buffer.get(keyBytes);
        byte[] tag = Arrays.copyOfRange(bytes, bytes.length - TAG_BYTES, bytes.length);

        if (page < 1 || directionIndex < 0 || directionIndex >= Direction.values().length) {
            throw invalid();
        }
        Direction direction = Direction.values()[directionIndex];
        if (!MessageDigest.isEqual(tag, tag(accountSid, listPath, page, direction, keyBytes))) {
            throw invalid();
        }
        return new Position(page, direction, new String(keyBytes, StandardCharsets.UTF_8));
    }

    private byte[] tag(String accountSid, String listPath, int page, Direction direction, byte[] boundKey) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((accountSid + '\n' + listPath + '\n' + page + '\n' + direction + '\n')
                    .getBytes(StandardCharsets.UTF_8));
            mac.update(boundKey);
            return Arrays.copyOf(mac.doFinal(), TAG_BYTES);
        } catch (GeneralSecurityException e) {
            // Every Java runtime ships HmacSHA256, so this means a broken JDK.
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private CloudException.InvalidParameter invalid() {
        String keyLifetime = keyOutlivesRestart
                ? "Tokens stay valid across restarts on the same data directory, but not after"
                        + " 'mvsim store rotate-key' or from a server on another data directory"
                : "This in-memory server signs tokens with a key made at its start, so tokens from"
                        + " before a restart are invalid too";
        return new CloudException.InvalidParameter("PageToken", "PageToken is invalid: this server"
                + " did not issue it for this list. " + keyLifetime + ". Start again from first_page_url");
    }
}
