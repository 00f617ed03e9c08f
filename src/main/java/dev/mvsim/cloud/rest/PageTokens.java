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
 * Issues and checks the opaque {@code PageToken} of list pages. A token carries the page number
 * and the last key (or SID) of the previous page, plus an HMAC-SHA-256 tag over those and the
 * account and list they belong to. The HMAC key comes from the store (see
 * {@link dev.mvsim.cloud.SimulatedCloud#pageTokenKey}), so a token from another list or account,
 * or from a server on another data directory, is rejected rather than misread, while a token from
 * before a restart on the same data directory still works.
 */
final class PageTokens {

    /** A verified token: the page it opens and the key after which that page starts. */
    record Position(int page, String afterKey) {}

    private static final String ALGORITHM = "HmacSHA256";
    private static final int TAG_BYTES = 16;
    private static final int PAGE_BYTES = Integer.BYTES;

    private final SecretKeySpec key;

    PageTokens(byte[] secret) {
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    String issue(String accountSid, String listPath, int page, String afterKey) {
        byte[] keyBytes = afterKey.getBytes(StandardCharsets.UTF_8);
        byte[] tag = tag(accountSid, listPath, page, keyBytes);

        ByteBuffer token = ByteBuffer.allocate(PAGE_BYTES + keyBytes.length + TAG_BYTES);
        token.putInt(page).put(keyBytes).put(tag);
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
        if (bytes.length < PAGE_BYTES + TAG_BYTES) {
            throw invalid();
        }

        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int page = buffer.getInt();
        byte[] keyBytes = new byte[bytes.length - PAGE_BYTES - TAG_BYTES];
        buffer.get(keyBytes);
        byte[] tag = Arrays.copyOfRange(bytes, bytes.length - TAG_BYTES, bytes.length);

        if (page < 1 || !MessageDigest.isEqual(tag, tag(accountSid, listPath, page, keyBytes))) {
            throw invalid();
        }
        return new Position(page, new String(keyBytes, StandardCharsets.UTF_8));
    }

    private byte[] tag(String accountSid, String listPath, int page, byte[] afterKey) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((accountSid + '\n' + listPath + '\n' + page + '\n').getBytes(StandardCharsets.UTF_8));
            mac.update(afterKey);
            return Arrays.copyOf(mac.doFinal(), TAG_BYTES);
        } catch (GeneralSecurityException e) {
            // Every Java runtime ships HmacSHA256, so this means a broken JDK.
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static CloudException.InvalidParameter invalid() {
        return new CloudException.InvalidParameter("PageToken", "PageToken is invalid: this server"
                + " did not issue it for this list (tokens of an in-memory server expire when it"
                + " restarts); start again from first_page_url");
    }
}
