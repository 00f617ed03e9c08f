package dev.mvsim.bridge;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The messages of the bridge handshake, each carried in one packet before any syscall frame. Every
 * message starts with the bytes {@code 'H' 'S'} and a type byte, which no frame does (frames start
 * with {@code 'M' 'V'}), so a receiver can tell a device that restarts its handshake from a frame.
 * Layouts are in docs/bridge.md.
 */
public sealed interface HandshakeMessage {

    byte MAGIC_0 = 'H';
    byte MAGIC_1 = 'S';
    int NONCE_BYTES = 16;
    int MAC_BYTES = 32;
    int MAX_SID_BYTES = 64;
    int MAX_REASON_BYTES = 200;
    /** The boot id and device time (u64 each) that follow the SID in a HELLO. */
    int HELLO_TIME_FIELDS_BYTES = 16;

    int TYPE_HELLO = 1;
    int TYPE_CHALLENGE = 2;
    int TYPE_PROOF = 3;
    int TYPE_WELCOME = 4;
    int TYPE_REJECT = 5;

    byte[] encode();

    /**
     * Device to server: the bridge protocol versions it speaks, its clock choice, a fresh nonce, its
     * SID, the boot id it chose at its start, and its device time in microseconds (0 on the first
     * connection of a boot). A HELLO without the last two fields, as devices before them sent it,
     * decodes with both at 0.
     */
    record Hello(int minimumVersion, int maximumVersion, ClockChoice clock, byte[] clientNonce, String deviceSid,
                 long bootId, long deviceTimeMicros) implements HandshakeMessage {

        /** Creates a HELLO with boot id 0 and device time 0, as a device without these fields sends it. */
        public Hello(int minimumVersion, int maximumVersion, ClockChoice clock, byte[] clientNonce, String deviceSid) {
            this(minimumVersion, maximumVersion, clock, clientNonce, deviceSid, 0, 0);
        }

        @Override
        public byte[] encode() {
            byte[] sid = deviceSid.getBytes(StandardCharsets.US_ASCII);
            int sidEnd = 7 + NONCE_BYTES + sid.length;
            byte[] bytes = new byte[sidEnd + HELLO_TIME_FIELDS_BYTES];
            header(bytes, TYPE_HELLO);
            bytes[3] = (byte) minimumVersion;
            bytes[4] = (byte) maximumVersion;
            bytes[5] = (byte) clock.code();
            bytes[6] = (byte) sid.length;
            System.arraycopy(clientNonce, 0, bytes, 7, NONCE_BYTES);
            System.arraycopy(sid, 0, bytes, 7 + NONCE_BYTES, sid.length);
            putU64(bytes, sidEnd, bootId);
            putU64(bytes, sidEnd + 8, deviceTimeMicros);
            return bytes;
        }
    }

    /**
     * Server to device: the version chosen, the server's fresh nonce, and the client nonce of the
     * HELLO it answers, so that a device on a lossy line can tell it from a CHALLENGE to an earlier HELLO.
     */
    record Challenge(int version, byte[] serverNonce, byte[] clientNonce) implements HandshakeMessage {
        @Override
        public byte[] encode() {
            byte[] bytes = new byte[4 + 2 * NONCE_BYTES];
            header(bytes, TYPE_CHALLENGE);
            bytes[3] = (byte) version;
            System.arraycopy(serverNonce, 0, bytes, 4, NONCE_BYTES);
            System.arraycopy(clientNonce, 0, bytes, 4 + NONCE_BYTES, NONCE_BYTES);
            return bytes;
        }
    }

    /** Device to server: HMAC-SHA-256 over the transcript under the device key. */
    record Proof(byte[] mac) implements HandshakeMessage {
        @Override
        public byte[] encode() {
            return withMac(TYPE_PROOF, mac);
        }
    }

    /** Server to device: the server's own HMAC, so the device learns that it reached a server with its key. */
    record Welcome(byte[] mac) implements HandshakeMessage {
        @Override
        public byte[] encode() {
            return withMac(TYPE_WELCOME, mac);
        }
    }

    /** Server to device: the handshake failed for {@code reason}; the server closes the connection after it. */
    record Reject(RejectReason reason, String message) implements HandshakeMessage {

        @Override
        public byte[] encode() {
            byte[] text = message.getBytes(StandardCharsets.UTF_8);
            int length = Math.min(text.length, MAX_REASON_BYTES);
            // Cut before a UTF-8 continuation byte, so a shortened reason is still valid UTF-8.
            while (length < text.length && length > 0 && (text[length] & 0xC0) == 0x80) {
                length--;
            }
            byte[] bytes = new byte[5 + length];
            header(bytes, TYPE_REJECT);
            bytes[3] = (byte) reason.code();
            bytes[4] = (byte) length;
            System.arraycopy(text, 0, bytes, 5, length);
            return bytes;
        }
    }

    /** Returns true if {@code payload} starts like a handshake message rather than a frame. */
    static boolean isHandshake(byte[] payload) {
        return payload.length >= 3 && payload[0] == MAGIC_0 && payload[1] == MAGIC_1;
    }

    /**
     * Decodes one handshake message.
     *
     * @throws HandshakeException with reason MALFORMED if the bytes do not match the type's layout
     */
    static HandshakeMessage decode(byte[] bytes) throws HandshakeException {
        if (!isHandshake(bytes)) {
            throw malformed("a " + bytes.length + "-byte packet is not a handshake message");
        }
        int type = bytes[2] & 0xFF;
        switch (type) {
            case TYPE_HELLO -> {
                requireAtLeast(bytes, 7 + NONCE_BYTES, "HELLO");
                int sidLength = bytes[6] & 0xFF;
                int sidEnd = 7 + NONCE_BYTES + sidLength;
                requireExactly(bytes, sidEnd + HELLO_TIME_FIELDS_BYTES, "HELLO");
                ClockChoice clock = ClockChoice.fromCode(bytes[5] & 0xFF);
                if (clock == null) {
                    throw malformed("HELLO names clock " + (bytes[5] & 0xFF) + "; expected 0 (server default), 1 (virtual) or 2 (wall)");
                }
                String sid = new String(bytes, 7 + NONCE_BYTES, sidLength, StandardCharsets.US_ASCII);
                long bootId = getU64(bytes, sidEnd);
                long deviceTime = getU64(bytes, sidEnd + 8);
                return new Hello(bytes[3] & 0xFF, bytes[4] & 0xFF, clock, Arrays.copyOfRange(bytes, 7, 7 + NONCE_BYTES), sid,
                        bootId, deviceTime);
            }
            case TYPE_CHALLENGE -> {
                requireExactly(bytes, 4 + 2 * NONCE_BYTES, "CHALLENGE");
                return new Challenge(bytes[3] & 0xFF, Arrays.copyOfRange(bytes, 4, 4 + NONCE_BYTES),
                        Arrays.copyOfRange(bytes, 4 + NONCE_BYTES, 4 + 2 * NONCE_BYTES));
            }
            case TYPE_PROOF -> {
                requireExactly(bytes, 3 + MAC_BYTES, "PROOF");
                return new Proof(Arrays.copyOfRange(bytes, 3, 3 + MAC_BYTES));
            }
            case TYPE_WELCOME -> {
                requireExactly(bytes, 3 + MAC_BYTES, "WELCOME");
                return new Welcome(Arrays.copyOfRange(bytes, 3, 3 + MAC_BYTES));
            }
            case TYPE_REJECT -> {
                requireAtLeast(bytes, 5, "REJECT");
                int length = bytes[4] & 0xFF;
                requireExactly(bytes, 5 + length, "REJECT");
                RejectReason reason = RejectReason.fromCode(bytes[3] & 0xFF);
                return new Reject(reason, strictUtf8(bytes, 5, length, "REJECT"));
            }
            default -> throw malformed("handshake message type " + type + " is unknown; expected 1 to 5");
        }
    }

    private static void header(byte[] bytes, int type) {
        bytes[0] = MAGIC_0;
        bytes[1] = MAGIC_1;
        bytes[2] = (byte) type;
    }

    private static void putU64(byte[] bytes, int offset, long value) {
        for (int i = 0; i < 8; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    private static long getU64(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value |= (bytes[offset + i] & 0xFFL) << (8 * i);
        }
        return value;
    }

    private static byte[] withMac(int type, byte[] mac) {
        byte[] bytes = new byte[3 + MAC_BYTES];
        header(bytes, type);
        System.arraycopy(mac, 0, bytes, 3, MAC_BYTES);
        return bytes;
    }

    private static void requireAtLeast(byte[] bytes, int length, String type) throws HandshakeException {
        if (bytes.length < length) {
            throw malformed(type + " of " + bytes.length + " bytes is shorter than its " + length + "-byte minimum");
        }
    }

    private static void requireExactly(byte[] bytes, int length, String type) throws HandshakeException {
        if (bytes.length != length) {
            throw malformed(type + " of " + bytes.length + " bytes should be " + length + " bytes");
        }
    }

    /** Decodes UTF-8 text, rejecting malformed bytes rather than replacing them, so a decoded message re-encodes to the same bytes. */
    private static String strictUtf8(byte[] bytes, int offset, int length, String type) throws HandshakeException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException invalid) {
            throw malformed(type + " reason text is not valid UTF-8");
        }
    }

    private static HandshakeException malformed(String message) {
        return new HandshakeException(RejectReason.MALFORMED, message);
    }
}
