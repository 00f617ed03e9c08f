package dev.mvsim.wire;

/** Envelope constants and the bounds every receiver enforces before it allocates. */
public final class WireLimits {

    /** The first two bytes of every frame, "MV" in ASCII. */
    public static final int MAGIC = 0x564D;

    public static final int VERSION = 1;

    public static final int HEADER_BYTES = 16;

    /** Largest payload, 1 MiB: far above a 4096-byte item value or a full receive buffer in demos. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;

    public static final int MAX_FRAME_BYTES = HEADER_BYTES + MAX_PAYLOAD_BYTES;

    /** Maximum number of elements in one list field (config keys, HTTP headers). */
    public static final int MAX_LIST_ELEMENTS = 256;

    /** Maximum number of fields in one list element. */
    public static final int MAX_LIST_WIDTH = 16;

    /** Maximum length of a handshake peer name, in bytes of UTF-8. */
    public static final int MAX_PEER_NAME_BYTES = 64;

    /** Maximum length of an ERROR frame message, in bytes of UTF-8. */
    public static final int MAX_ERROR_MESSAGE_BYTES = 1024;

    /** Flag bit on REQUEST and CONTROL frames: the sender wants no response unless the frame fails. */
    public static final int FLAG_NO_REPLY = 0x0001;

    private WireLimits() {
    }
}
